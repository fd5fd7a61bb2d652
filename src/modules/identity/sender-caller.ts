/**
 * Who acts for a sender: one of its systems (with an API key, or with an access token — then `clientId` is set and
 * `apiKeyId` holds the same id), or a staff member in the sender portal.
 */
export type SenderCaller = { senderId: string /** A test credential (API key or system client). */; test?: boolean } & (
  | {
      apiKeyId: string;
      staffUserId?: undefined;
      clientId?: string;
      /** A vendor's system sending for this sender (identity/on-behalf.ts): the letters record `clientId`. */
      onBehalfOf?: { authorisationId: string; vendorSenderId: string };
    }
  | { staffUserId: string; apiKeyId?: undefined; clientId?: undefined; onBehalfOf?: undefined }
);

/** The audit actor for a sender's caller, so the log says whether a system or a person did it. */
export function callerAudit(caller: SenderCaller): {
  actorKind: 'sender_api' | 'sender_staff' | 'system_client';
  actorId: string;
} {
  if (caller.clientId !== undefined) return { actorKind: 'system_client', actorId: caller.clientId };
  return caller.apiKeyId !== undefined
    ? { actorKind: 'sender_api', actorId: caller.apiKeyId }
    : { actorKind: 'sender_staff', actorId: caller.staffUserId };
}
