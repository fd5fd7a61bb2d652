import { type Kysely, sql } from 'kysely';

/**
 * Sending on behalf of (issue 17, item 6; Maskinporten's delegation is the model).
 *
 * - on_behalf_authorisation: an authority (a sender) lets a vendor organisation (another sender — all of its
 *   systems) send for it with some scopes, from valid_from until ends_at (required). Given and revoked by the
 *   authority's administrators (created_by / revoked_by: staff_user ids; null when done by the CLI or the seed).
 * - system_access_token.on_behalf_authorisation_id: a vendor's token issued on behalf of an authority. The
 *   authorisation is checked at every use (revoked or expired → the token stops working).
 * - message.technical_sender_client_id: the vendor's system that sent a letter on an authority's behalf.
 * - batch.system_client_id: the system client that submitted a batch (so chunk audits name it), and
 *   batch.on_behalf: whether it did so on the batch sender's behalf (its letters then record the client).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table on_behalf_authorisation (
      id uuid primary key default gen_random_uuid(),
      authority_sender_id uuid not null references sender (id),
      vendor_sender_id uuid not null references sender (id),
      scopes text[] not null check (cardinality(scopes) > 0),
      valid_from timestamptz not null default now(),
      ends_at timestamptz not null,
      created_at timestamptz not null default now(),
      created_by uuid references staff_user (id),
      revoked_at timestamptz,
      revoked_by uuid references staff_user (id),
      constraint on_behalf_not_self check (authority_sender_id <> vendor_sender_id),
      constraint on_behalf_ends_after_start check (ends_at > valid_from)
    );
    create index on_behalf_authority on on_behalf_authorisation (authority_sender_id, created_at desc);
    create index on_behalf_vendor on on_behalf_authorisation (vendor_sender_id, created_at desc);

    alter table system_access_token
      add column on_behalf_authorisation_id uuid references on_behalf_authorisation (id);
    alter table message add column technical_sender_client_id uuid references system_client (id);
    alter table batch add column system_client_id uuid references system_client (id);
    alter table batch add column on_behalf boolean not null default false;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table batch drop column if exists on_behalf;
    alter table batch drop column if exists system_client_id;
    alter table message drop column if exists technical_sender_client_id;
    alter table system_access_token drop column if exists on_behalf_authorisation_id;
    drop table if exists on_behalf_authorisation;
  `.execute(db);
}
