/** Who acts for a sender: one of its systems with an API key, or a staff member in the sender portal. */
export type SenderCaller = { senderId: string /** A test credential (API key or system client). */; test?: boolean } & (
  | { apiKeyId: string; staffUserId?: undefined }
  | { staffUserId: string; apiKeyId?: undefined }
);

/** The audit actor for a sender's caller, so the log says whether a system or a person did it. */
export function callerAudit(caller: SenderCaller): { actorKind: 'sender_api' | 'sender_staff'; actorId: string } {
  return caller.apiKeyId !== undefined
    ? { actorKind: 'sender_api', actorId: caller.apiKeyId }
    : { actorKind: 'sender_staff', actorId: caller.staffUserId };
}
