export const sentUrl = (id: string) => `/post/sendt/${id}`;

/** Who a page is written as: the logged-in person, and whose mailbox it is when that is someone else's. */
export interface Writing {
  writerName: string;
  mailboxOwnerName: string;
  isOwner: boolean;
}

export interface InboundFormValues {
  subject: string;
  body: string;
  formKey: string;
}
