/** Who is acting in a web session. Citizens are identified by their recipient id; CPR numbers stay out of sessions. */
export type Actor =
  | { kind: 'citizen'; subject: string; name: string; recipientId: string }
  | { kind: 'caseworker'; subject: string; name: string; staffId: string; municipalityCode: string }
  | { kind: 'sender_staff'; subject: string; name: string; staffId: string; senderId: string }
  | { kind: 'operator'; subject: string; name: string; staffId: string };

/** Who is acting through the sender API. */
export interface ApiCaller {
  apiKeyId: string;
  senderId: string;
  /** A test credential: its letters are routed but reach nobody (messages/test-mode.ts). */
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
    /** The page language: Danish by default, English when chosen. */
    lang: 'da' | 'en';
  }
}
