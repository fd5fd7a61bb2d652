import type { JSONWebKeySet } from 'jose';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { type AuditEntry, chainHash, GENESIS } from './chain-hash.ts';
import {
  CHECKPOINT_TYP,
  type CheckpointHead,
  type CheckpointPayload,
  digestCheckpointHeads,
  sha256,
} from './checkpoint.ts';
import { type EvidenceSignatureError, publicEvidenceKeys, verifyEvidence } from './evidence-key.ts';

/** What a verification found wrong: which chain, row or checkpoint, and why. */
export interface AuditFinding {
  kind:
    | 'edited_row'
    | 'missing_checkpointed_row'
    | 'missing_newest_rows'
    | 'recomputed_chain'
    | 'forged_checkpoint'
    | 'head_mismatch';
  chain?: string;
  id?: string;
  checkpoint?: string;
  reason: string;
}

export interface AuditVerifyReport {
  findings: AuditFinding[];
  chains: number;
  rows: number;
  checkpoints: number;
  /** The most rows held at once (one page): the verifier's memory does not grow with the log. */
  largestPage: number;
}

export interface VerifyOptions {
  /** Only this mailbox's chain ('-' for events about no mailbox); every chain when absent. */
  mailbox?: string;
  /** The keys to trust; the database's published evidence keys when absent. */
  keys?: JSONWebKeySet;
  pageSize?: number;
}

const MAX_FINDINGS = 100;
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

interface EventRow {
  id: string;
  occurred_at: Date;
  actor_kind: string;
  actor_id: string;
  action: string;
  subject_type: string;
  subject_id: string;
  mailbox_recipient_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** The hash an event should have after `prev`, from its stored fields. */
export function expectedHash(prev: string, row: Omit<EventRow, 'id' | 'prev_hash' | 'hash'>): string {
  return chainHash(prev, new Date(row.occurred_at).toISOString(), {
    actorKind: row.actor_kind as AuditEntry['actorKind'],
    actorId: row.actor_id,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    mailboxRecipientId: row.mailbox_recipient_id,
    details: row.details,
  });
}

/**
 * Verifies the audit log in bounded memory: every checkpoint (signature with the trusted keys, link to the one
 * before, digest over its stored heads), then every chain (or one), read in keyset pages of `pageSize` rows,
 * recomputing each hash and meeting each head a checkpoint recorded for the chain, and finally the chain's head in
 * audit_chain_head. Nothing is held beyond one page of rows and one page of checkpoint heads.
 */
export async function verifyAudit(db: Db, options: VerifyOptions): Promise<AuditVerifyReport> {
  const pageSize = options.pageSize ?? 1000;
  const keys = options.keys ?? (await publicEvidenceKeys(db));
  const report: AuditVerifyReport = { findings: [], chains: 0, rows: 0, checkpoints: 0, largestPage: 0 };
  const find = (finding: AuditFinding) => {
    if (report.findings.length < MAX_FINDINGS) report.findings.push(finding);
  };
  await verifyCheckpoints(db, keys, options.mailbox ?? null, report, find);
  if (options.mailbox !== undefined) {
    await verifyChain(db, options.mailbox, pageSize, report, find);
    return report;
  }
  for await (const chain of allChains(db)) await verifyChain(db, chain, pageSize, report, find);
  return report;
}

async function verifyCheckpoints(
  db: Db,
  keys: JSONWebKeySet,
  chain: string | null,
  report: AuditVerifyReport,
  find: (f: AuditFinding) => void,
) {
  let after = '0';
  let previousJws: string | null = null;
  for (;;) {
    const page = await db
      .selectFrom('audit_checkpoint')
      .select(['id', 'jws'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(100)
      .execute();
    for (const row of page) {
      report.checkpoints++;
      const forged = (reason: string) => find({ kind: 'forged_checkpoint', checkpoint: row.id, reason });
      let payload: CheckpointPayload;
      try {
        payload = await verifyEvidence<CheckpointPayload>(row.jws, keys, CHECKPOINT_TYP);
      } catch (error) {
        forged(`signature not valid with the trusted keys (${(error as EvidenceSignatureError).message})`);
        previousJws = row.jws;
        continue;
      }
      if (payload.seq !== row.id) forged(`signed as checkpoint ${payload.seq}, stored as ${row.id}`);
      const link = previousJws ? sha256(previousJws) : null;
      if (payload.previous !== link) forged('does not follow the checkpoint before it (one dropped or replaced)');
      const covers =
        chain === null ||
        (await db
          .selectFrom('audit_checkpoint_head')
          .select('chain')
          .where('checkpoint_id', '=', row.id)
          .where('chain', '=', chain)
          .executeTakeFirst()) !== undefined;
      if (covers) {
        const { digest, heads } = await digestCheckpointHeads(db, row.id);
        if (digest !== payload.digest || heads !== payload.heads) {
          forged(`its stored heads (${heads}) do not match the signed digest (${payload.heads} heads)`);
        }
      }
      previousJws = row.jws;
    }
    if (page.length < 100) return;
    after = (page.at(-1) as { id: string }).id;
  }
}

/** Every chain that has events, a head or a checkpointed head: '-' first, then mailboxes in order (keyset). */
async function* allChains(db: Db): AsyncGenerator<string> {
  const { rows } = await sql<{ any: boolean }>`
    select exists (select 1 from audit_event where mailbox_recipient_id is null)
        or exists (select 1 from audit_chain_head where chain = '-')
        or exists (select 1 from audit_checkpoint_head where chain = '-') as any`.execute(db);
  if (rows[0]?.any) yield '-';
  let after = '-';
  for (;;) {
    // Three index probes (a chain that is not a mailbox id is no chain: a forged head, which the digest finds): the next mailbox with events, with a head, with a checkpointed head.
    const next = await sql<{ chain: string | null }>`
      select least(
        (select mailbox_recipient_id::text from audit_event
          where mailbox_recipient_id is not null
            and (${after} = '-' or mailbox_recipient_id > ${after === '-' ? null : after}::uuid)
          order by mailbox_recipient_id limit 1),
        (select chain from audit_chain_head where chain > ${after} and chain ~ ${UUID} order by chain limit 1),
        (select chain from audit_checkpoint_head where chain > ${after} and chain ~ ${UUID} order by chain limit 1)
      ) as chain`.execute(db);
    const chain = next.rows[0]?.chain;
    if (!chain) return;
    yield chain;
    after = chain;
  }
}

/** The heads checkpoints recorded for a chain, oldest first, in pages. */
async function* recordedHeads(db: Db, chain: string): AsyncGenerator<CheckpointHead & { checkpoint: string }> {
  let after = '0';
  for (;;) {
    const rows = await db
      .selectFrom('audit_checkpoint_head')
      .select(['checkpoint_id', 'last_id', 'head_hash', 'event_count'])
      .where('chain', '=', chain)
      .where('checkpoint_id', '>', after)
      .orderBy('checkpoint_id')
      .limit(500)
      .execute();
    for (const r of rows) {
      yield { checkpoint: r.checkpoint_id, chain, lastId: r.last_id, headHash: r.head_hash, count: r.event_count };
    }
    if (rows.length < 500) return;
    after = (rows.at(-1) as { checkpoint_id: string }).checkpoint_id;
  }
}

async function verifyChain(
  db: Db,
  chain: string,
  pageSize: number,
  report: AuditVerifyReport,
  find: (f: AuditFinding) => void,
) {
  report.chains++;
  if (chain !== '-' && !new RegExp(UUID).test(chain))
    throw new Error(`"${chain}" is not a chain (a mailbox id or "-")`);
  const heads = recordedHeads(db, chain);
  let pending = (await heads.next()).value ?? null;
  let prev = GENESIS;
  let count = 0n;
  let lastId: string | null = null;
  let broken = false;
  let after = '0';
  for (;;) {
    let query = db.selectFrom('audit_event').selectAll().where('id', '>', after).orderBy('id').limit(pageSize);
    query =
      chain === '-' ? query.where('mailbox_recipient_id', 'is', null) : query.where('mailbox_recipient_id', '=', chain);
    const page = (await query.execute()) as EventRow[];
    report.largestPage = Math.max(report.largestPage, page.length);
    for (const row of page) {
      report.rows++;
      count++;
      if (!broken && row.prev_hash !== prev) {
        broken = true;
        find({
          kind: 'edited_row',
          chain,
          id: row.id,
          reason: 'does not follow the event before it (one removed or changed)',
        });
      } else if (!broken && row.hash !== expectedHash(prev, row)) {
        broken = true;
        find({ kind: 'edited_row', chain, id: row.id, reason: 'its content does not match its hash (edited)' });
      }
      while (pending && BigInt(pending.lastId) < BigInt(row.id)) {
        find({
          kind: 'missing_checkpointed_row',
          chain,
          id: pending.lastId,
          checkpoint: pending.checkpoint,
          reason: `checkpoint ${pending.checkpoint} recorded event ${pending.lastId} as the head; it is gone`,
        });
        pending = (await heads.next()).value ?? null;
      }
      if (pending && pending.lastId === row.id) {
        if (pending.headHash !== row.hash) {
          find({
            kind: 'recomputed_chain',
            chain,
            id: row.id,
            checkpoint: pending.checkpoint,
            reason: `checkpoint ${pending.checkpoint} recorded another hash for this event (chain rewritten)`,
          });
        } else if (BigInt(pending.count) !== count) {
          find({
            kind: 'recomputed_chain',
            chain,
            id: row.id,
            checkpoint: pending.checkpoint,
            reason: `checkpoint ${pending.checkpoint} counted ${pending.count} events up to here, the chain has ${count}`,
          });
        }
        pending = (await heads.next()).value ?? null;
      }
      prev = row.hash;
      lastId = row.id;
    }
    if (page.length < pageSize) break;
    after = (page.at(-1) as EventRow).id;
  }
  while (pending) {
    find({
      kind: 'missing_newest_rows',
      chain,
      id: pending.lastId,
      checkpoint: pending.checkpoint,
      reason:
        `checkpoint ${pending.checkpoint} recorded ${pending.count} events up to event ${pending.lastId}; ` +
        `the chain now ends at ${lastId ?? 'nothing'} with ${count}`,
    });
    pending = (await heads.next()).value ?? null;
  }
  // Every append marks its chain in audit_chain_head: a chain without a mark was written around kuvert_audit_append.
  // (Events newer than the last checkpoint are covered by the chain's hashes only, until the next checkpoint.)
  if (count > 0n) {
    const head = await db.selectFrom('audit_chain_head').select('chain').where('chain', '=', chain).executeTakeFirst();
    if (!head) {
      find({
        kind: 'head_mismatch',
        chain,
        id: lastId ?? undefined,
        reason: 'the chain has no recorded head (events written around kuvert_audit_append)',
      });
    }
  }
}
