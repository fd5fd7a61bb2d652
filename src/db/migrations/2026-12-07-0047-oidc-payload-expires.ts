import { type Kysely, sql } from 'kysely';

/**
 * The built-in identity provider clears expired `oidc_payload` rows at about one write in a hundred
 * (identity/oidc-payload.repository.ts). Without an index on `expires_at` that delete read the whole table, which
 * holds every login's interaction, session, code and grant: at a tax-day peak of logins, a full scan a second.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index oidc_payload_expires on oidc_payload (expires_at) where expires_at is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index oidc_payload_expires`.execute(db);
}
