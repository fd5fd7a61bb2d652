import { type Kysely, sql } from 'kysely';

/**
 * Machine login (OAuth2 client credentials with private_key_jwt, RFC 7523): the systems that may ask Kuvert's token
 * endpoint for access tokens, the assertion ids already used (replay protection) and the access tokens issued
 * (opaque, stored as SHA-256 hashes). A system belongs either to a sender or to a business recipient.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table system_client (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      sender_id uuid references sender (id),
      business_recipient_id uuid references recipient (id),
      jwks jsonb,
      jwks_url text,
      scopes text[] not null,
      tls_client_certificate_thumbprint text,
      test boolean not null default false,
      created_at timestamptz not null default now(),
      revoked_at timestamptz,
      constraint system_client_one_owner check ((sender_id is null) <> (business_recipient_id is null)),
      constraint system_client_one_key_source check ((jwks is null) <> (jwks_url is null))
    );
    create index system_client_sender on system_client (sender_id);
    create index system_client_business on system_client (business_recipient_id);

    create table system_client_jti (
      client_id uuid not null references system_client (id),
      jti text not null,
      expires_at timestamptz not null,
      primary key (client_id, jti)
    );
    create index system_client_jti_expires_at on system_client_jti (expires_at);

    create table system_access_token (
      token_hash text primary key,
      client_id uuid not null references system_client (id),
      scopes text[] not null,
      certificate_thumbprint text,
      issued_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index system_access_token_expires_at on system_access_token (expires_at);
  `.execute(db);
}
