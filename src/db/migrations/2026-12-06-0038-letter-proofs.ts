import { type Kysely, sql } from 'kysely';

/**
 * Signed proofs of a letter's legal facts (issue 18, proofs module): one sealed PDF per letter and fact, made on
 * first request and given out unchanged afterwards. Goes with its letter (cascade) when the letter is deleted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table letter_proof (
      message_id uuid not null references message (id) on delete cascade,
      fact text not null check (fact in ('accepted', 'available', 'posted', 'opened', 'served', 'recalled')),
      sender_id uuid not null,
      occurred_at timestamptz not null,
      pdf bytea not null,
      sha256 char(64) not null,
      kid text not null,
      created_at timestamptz not null default now(),
      primary key (message_id, fact)
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table letter_proof`.execute(db);
}
