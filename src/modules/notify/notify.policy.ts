/** Who may decide how a letter's recipient is notified: only the letter's own sender. */
export function canSetNotificationOptions(caller: { senderId: string }, message: { sender_id: string }): boolean {
  return caller.senderId === message.sender_id;
}

/** A sender's notification defaults can be changed only by that sender. */
export function canSetSenderDefaults(caller: { senderId: string }, senderId: string): boolean {
  return caller.senderId === senderId;
}
