/** What routing needs to know of a letter. */
export interface RoutableMessage {
  id: string;
  sender_id: string;
  recipient_id: string;
  mandatory: boolean;
  legal_notification: boolean;
}
