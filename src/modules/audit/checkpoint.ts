import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { loadEvidenceKey, signEvidence } from './evidence-key.ts';

/** The JWS `typ` of an audit checkpoint. */
export const CHECKPOINT_TYP = 'kuvert-audit-checkpoint+jwt';

/**
 * What a checkpoint signs. `heads` and `digest` cover the chains whose head moved since the checkpoint before
 * (stored in audit_checkpoint_head); `previous` links every checkpoint to the one before, so the sequence of
 * checkpoints covers every chain's head ever recorded and none can be dropped or replaced unnoticed.
 */
export interface CheckpointPayload {
  seq: string;
  hour: string;
  createdAt: string;
  /** SHA-256 (hex) of the previous checkpoint's JWS, or null for the first. */
  previous: string | null;
  /** How many heads this checkpoint records. */
  heads: number;
  /** SHA-256 (hex) over the recorded heads, one `chain lastId headHash count\n` line each, sorted by chain. */
  digest: string;
  /** All chains and events at the time (from audit_chain_head). */
  chains: number;
  events: number;
}

export interface CheckpointHead {
  chain: string;
  lastId: string;
  headHash: string;
  count: string;
}

export const headLine = (h: CheckpointHead) => `${h.chain} ${h.lastId} ${h.headHash} ${h.count}\n`;
export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const PAGE = 5000;

/**
 * A checkpoint's heads, sorted by chain, in pages (keyset): a checkpoint may record millions of heads, and neither
 * signing nor verifying holds more than one page.
 */
export async function* checkpointHeads(db: Db, checkpointId: string, pageSize = PAGE): AsyncGenerator<CheckpointHead> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('audit_checkpoint_head')
      .select(['chain', 'last_id', 'head_hash', 'event_count'])
      .where('checkpoint_id', '=', checkpointId)
      .where('chain', '>', after)
      .orderBy('chain')
      .limit(pageSize)
      .execute();
    for (const r of rows) yield { chain: r.chain, lastId: r.last_id, headHash: r.head_hash, count: r.event_count };
    if (rows.length < pageSize) return;
    after = (rows.at(-1) as { chain: string }).chain;
  }
}

/** The digest over a checkpoint's stored heads (what its payload's `digest` must be). */
export async function digestCheckpointHeads(db: Db, checkpointId: string): Promise<{ digest: string; heads: number }> {
  const hash = createHash('sha256');
  let heads = 0;
  for await (const head of checkpointHeads(db, checkpointId)) {
    hash.update(headLine(head));
    heads++;
  }
  return { digest: hash.digest('hex'), heads };
}

/**
 * Makes this hour's checkpoint, unless there is one: takes the heads that moved since the last checkpoint, signs
 * their digest with the evidence key and stores it. Idempotent and safe with two workers (an advisory lock and the
 * unique hour). Returns the new checkpoint's id, or null when this hour had one already.
 */
export async function createAuditCheckpoint(db: Db, now = new Date()): Promise<string | null> {
  const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  // The key is loaded (created on first use) before the transaction, which it must not wait in.
  await loadEvidenceKey(db);
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(7373039)`.execute(trx);
    const exists = await trx.selectFrom('audit_checkpoint').select('id').where('hour', '=', hour).executeTakeFirst();
    if (exists) return null;
    const previous = await trx
      .selectFrom('audit_checkpoint')
      .select('jws')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const { rows } = await sql<{ id: string }>`select nextval('audit_checkpoint_seq')::text as id`.execute(trx);
    const id = (rows[0] as { id: string }).id;
    await sql`select kuvert_audit_take_heads(${id}::bigint)`.execute(trx);
    const { digest, heads } = await digestCheckpointHeads(trx, id);
    const totals = await sql<{ chains: number; events: number }>`
      select count(*)::int as chains, coalesce(sum(event_count), 0)::float8 as events from audit_chain_head`.execute(
      trx,
    );
    const payload: CheckpointPayload = {
      seq: id,
      hour: hour.toISOString(),
      createdAt: now.toISOString(),
      previous: previous ? sha256(previous.jws) : null,
      heads,
      digest,
      chains: totals.rows[0]?.chains ?? 0,
      events: totals.rows[0]?.events ?? 0,
    };
    const jws = await signEvidence(trx, CHECKPOINT_TYP, payload);
    await trx.insertInto('audit_checkpoint').values({ id, hour, created_at: now, jws }).execute();
    return id;
  });
}

export interface PublishedCheckpoint {
  seq: string;
  createdAt: string;
  payload: CheckpointPayload;
  jws: string;
}

/** The payload of a stored JWS, read without checking it (checking is verify-audit's). */
export function decodeCheckpoint(jws: string): CheckpointPayload {
  const part = jws.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as CheckpointPayload;
}

/** Checkpoints newest first, for the JSON endpoint and /drift (unverified: anyone can check them with the keys). */
export async function listAuditCheckpoints(
  db: Db,
  options: { before?: string; limit: number },
): Promise<PublishedCheckpoint[]> {
  let query = db.selectFrom('audit_checkpoint').select(['id', 'created_at', 'jws']).orderBy('id', 'desc');
  if (options.before) query = query.where('id', '<', options.before);
  const rows = await query.limit(options.limit).execute();
  return rows.map((r) => ({
    seq: r.id,
    createdAt: new Date(r.created_at).toISOString(),
    payload: decodeCheckpoint(r.jws),
    jws: r.jws,
  }));
}

/** The newest checkpoint, or null before the first. */
export async function latestAuditCheckpoint(db: Db): Promise<PublishedCheckpoint | null> {
  return (await listAuditCheckpoints(db, { limit: 1 }))[0] ?? null;
}
