import { type Kysely, sql } from 'kysely';

/**
 * Kuvert's evidence key (issue 18): the Ed25519 key that signs proofs (legal facts), audit checkpoints and audit
 * exports, kept by the audit module. One row per key; the newest key that is not retired signs, every key (retired
 * ones too) stays published so that old proofs still verify. The private key is a JWK (audit/evidence-key.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table evidence_key (
      kid text primary key,
      created_at timestamptz not null default now(),
      retired_at timestamptz,
      public_jwk jsonb not null,
      private_jwk jsonb
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table evidence_key`.execute(db);
}
