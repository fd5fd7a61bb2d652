/**
 * The closed list of OAuth scopes a machine client can be granted, in one place: the token endpoint, the
 * `requireScopes` preHandler, the CLI and the OpenAPI document all read it.
 */
export const SCOPES = {
  'messages:send': 'Send letters and batches, set notification options, recall letters',
  'messages:read': "Read the sender's letters' status, the event feed and MeMo exports",
  'recipients:reachability': 'Ask whether recipients can be reached digitally or on paper',
  'webhooks:manage': "Register, list and remove the sender's webhooks",
  'correspondence:read': 'Read citizens’ messages and replies to the sender',
  'correspondence:write': 'Answer citizens’ messages',
  'inbox:read': "Read a business's own Digital Post inbox (business systems only)",
  'inbox:write': "Act on a business's own inbox: mark read, file, reply (business systems only)",
} as const;

export type Scope = keyof typeof SCOPES;

export const ALL_SCOPES = Object.keys(SCOPES) as Scope[];

/** What a sender's system may be granted: everything but the business inbox. An API key carries all of these. */
export const SENDER_SCOPES: readonly Scope[] = ALL_SCOPES.filter((s) => !s.startsWith('inbox:'));

/** What a business's system may be granted: its inbox only. */
export const BUSINESS_SCOPES: readonly Scope[] = ['inbox:read', 'inbox:write'];

export const isScope = (value: string): value is Scope => Object.hasOwn(SCOPES, value);

/** A route's OpenAPI `security`: an API key (all sender scopes) or a machine-login access token with `scope`. */
export const machineSecurity = (scope: Scope): { [scheme: string]: string[] }[] => [
  { apiKey: [] },
  { machineLogin: [scope] },
];
