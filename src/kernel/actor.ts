/** Who is acting in a web session. Citizens are identified by their recipient id; CPR numbers stay out of sessions. */
export type Actor =
  | { kind: 'citizen'; subject: string; name: string; recipientId: string }
  | { kind: 'caseworker'; subject: string; name: string; staffId: string; municipalityCode: string }
  | { kind: 'sender_staff'; subject: string; name: string; staffId: string; senderId: string }
  | { kind: 'operator'; subject: string; name: string; staffId: string };

/** Who is acting through the sender API: an API key, or a sender's system with an OAuth access token. */
export interface ApiCaller {
  /** The credential's id: the API key's id, or (when `clientId` is set) the system client's id. */
  apiKeyId: string;
  senderId: string;
  /** Set when the caller used an access token: the system client (machine login) it was issued to. */
  clientId?: string;
  /** What the caller may do: an API key carries every sender scope, a token the scopes it was granted. */
  scopes?: readonly string[];
  /** A test credential (API key or system client): its letters are routed but reach nobody (messages/test-mode.ts). */
  test: boolean;
  /** A vendor's system acting for the sender (`senderId` is the authority's); see identity/on-behalf.ts. */
  onBehalfOf?: { authorisationId: string; vendorSenderId: string };
}

/** A business's own system calling with an access token (inbox scopes only); see docs/ARCHITECTURE.md. */
export interface BusinessCaller {
  clientId: string;
  /** The business (recipient.kind = 'business') whose inbox the system acts on. */
  businessRecipientId: string;
  scopes: readonly string[];
  test: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the identity module's session hook; null when not logged in. */
    actor: Actor | null;
    /** The session's CSRF token (for forms), null without a session. */
    csrfToken: string | null;
    /** Set by the API-key hook on /api/v1 routes that require a key. */
    apiCaller: ApiCaller | null;
    /** Set by the same hook (requireScopes) when a business's system calls with an access token; else null. */
    businessCaller: BusinessCaller | null;
    /** The page language: Danish by default, English when chosen. */
    lang: 'da' | 'en';
  }
}
