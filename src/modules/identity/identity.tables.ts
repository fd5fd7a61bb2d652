import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from '../../db/columns.ts';

export interface SenderTable {
  id: Generated<string>;
  name: string;
  kind: 'municipality' | 'state' | 'region' | 'other';
  cvr: string | null;
  municipality_code: string | null;
  /** The authority's Digital Post contact (migration 0033); null for senders created before it. */
  contact_email: string | null;
  contact_phone: string | null;
  created_at: Timestamp;
  /** Default retention in years of letters sent without deleteAfter (migration 0040); null: none. */
  retention_years: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ApiKeyTable {
  id: Generated<string>;
  sender_id: string;
  prefix: string;
  secret_hash: string;
  label: string;
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
  /** A test key ("kuv_test_…"): its letters reach nobody (messages/test-mode.ts). */
  test: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface StaffUserTable {
  id: Generated<string>;
  subject: string;
  name: string;
  role: 'caseworker' | 'sender_staff' | 'operator';
  municipality_code: string | null;
  sender_id: string | null;
  /** A sender staff member's role within the sender (migration 0033); null for others, and counts as 'staff'. */
  sender_role: SenderRole | null;
  created_at: Timestamp;
}

/** What a sender staff member may do within the sender: administrators manage staff and API keys. */
export type SenderRole = 'admin' | 'staff';

export interface WebSessionTable {
  id_hash: string;
  actor: Json<Record<string, unknown>>;
  csrf_token: string;
  id_token: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface OidcPayloadTable {
  id: string;
  type: string;
  payload: Json<Record<string, unknown>>;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  expires_at: NullableTimestamp;
  consumed_at: NullableTimestamp;
}

/** A machine client (OAuth2 client credentials, private_key_jwt): a sender's system or a business's system. */
export interface SystemClientTable {
  id: Generated<string>;
  name: string;
  sender_id: string | null;
  business_recipient_id: string | null;
  /** Inline public keys ({ keys: [...] }), or null when `jwks_url` is set. */
  jwks: ColumnType<{ keys: Record<string, unknown>[] } | null, string | null | undefined, string | null>;
  jwks_url: string | null;
  scopes: string[];
  /** x5t#S256 of the client certificate its tokens are bound to (RFC 8705), or null. */
  tls_client_certificate_thumbprint: string | null;
  test: Generated<boolean>;
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
}

/** Client-assertion ids already used, kept until the assertion would have expired anyway. */
export interface SystemClientJtiTable {
  client_id: string;
  jti: string;
  expires_at: Date;
}

/** Issued access tokens (opaque), stored as SHA-256 hashes. */
export interface SystemAccessTokenTable {
  token_hash: string;
  client_id: string;
  scopes: string[];
  certificate_thumbprint: string | null;
  issued_at: Timestamp;
  expires_at: Date;
  /** Issued to a vendor's system on behalf of an authority: checked at every use (migration 0036). */
  on_behalf_authorisation_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** An authority (sender) lets a vendor organisation's systems send for it, with some scopes, until ends_at. */
export interface OnBehalfAuthorisationTable {
  id: Generated<string>;
  authority_sender_id: string;
  vendor_sender_id: string;
  scopes: string[];
  valid_from: Timestamp;
  ends_at: Date;
  created_at: Timestamp;
  /** The authority's administrator (staff_user) who gave it; null when given by the CLI or the demo seed. */
  created_by: string | null;
  revoked_at: NullableTimestamp;
  revoked_by: string | null;
}

/** The identity module's tables: the sending organisations with their API keys, staff, sessions and OIDC state (merged into Database in src/db/schema.ts). */
export interface IdentityTables {
  sender: SenderTable;
  api_key: ApiKeyTable;
  staff_user: StaffUserTable;
  web_session: WebSessionTable;
  oidc_payload: OidcPayloadTable;
  system_client: SystemClientTable;
  system_client_jti: SystemClientJtiTable;
  system_access_token: SystemAccessTokenTable;
  on_behalf_authorisation: OnBehalfAuthorisationTable;
}
