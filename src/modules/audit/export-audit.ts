import { createHash } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import type { Db } from '../../db/database.ts';
import { canonicalJson, GENESIS } from './chain-hash.ts';
import { CHECKPOINT_TYP, type CheckpointHead, type CheckpointPayload } from './checkpoint.ts';
import { signEvidence, verifyEvidence } from './evidence-key.ts';
import { type AuditFinding, expectedHash } from './verify-audit.ts';

/** The JWS `typ` of a signed audit export. */
export const EXPORT_TYP = 'kuvert-audit-export+jwt';
export const EXPORT_FORMAT = 'kuvert-audit-export/1';

/** One event of the chain, as stored (the fields its hash covers, and the hashes). */
export interface ExportedEvent {
  id: string;
  occurredAt: string;
  actorKind: string;
  actorId: string;
  action: string;
  subjectType: string;
  subjectId: string;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** What the export's signature covers: the chain's end, a digest of its events and the checkpoint it meets. */
export interface ExportPayload {
  format: typeof EXPORT_FORMAT;
  mailbox: string;
  exportedAt: string;
  count: number;
  lastId: string | null;
  head: string;
  /** SHA-256 (hex) over the events, one canonical JSON line each, in order. */
  eventsDigest: string;
  /** The newest checkpoint that recorded this chain's head, and the head it recorded. */
  checkpoint: { seq: string; head: CheckpointHead } | null;
}

/** A signed export of one mailbox's audit chain: anyone with Kuvert's public keys can check it offline. */
export interface AuditExport {
  format: typeof EXPORT_FORMAT;
  mailbox: string;
  exportedAt: string;
  /** Where Kuvert publishes the keys to check it with (not trusted from here: fetch them yourself). */
  keysUrl: string;
  events: ExportedEvent[];
  /** The checkpoint's own JWS (typ kuvert-audit-checkpoint+jwt). */
  checkpointJws: string | null;
  /** A JWS (typ kuvert-audit-export+jwt) over ExportPayload. */
  signature: string;
}

const eventsDigest = (events: ExportedEvent[]) => {
  const hash = createHash('sha256');
  for (const event of events) hash.update(`${canonicalJson(event)}\n`);
  return hash.digest('hex');
};

/**
 * The whole audit chain of one mailbox, signed with the evidence key, with the newest checkpoint that recorded its
 * head. For the owner's "download signed log" and for the mailbox export. Holds the chain in memory (one mailbox).
 */
export async function exportAuditChain(db: Db, mailboxId: string, now = new Date()): Promise<AuditExport> {
  const rows = await db
    .selectFrom('audit_event')
    .selectAll()
    .where('mailbox_recipient_id', '=', mailboxId)
    .orderBy('id')
    .execute();
  const events: ExportedEvent[] = rows.map((r) => ({
    id: r.id,
    occurredAt: new Date(r.occurred_at).toISOString(),
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    details: r.details,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
  const recorded = await db
    .selectFrom('audit_checkpoint_head as h')
    .innerJoin('audit_checkpoint as c', 'c.id', 'h.checkpoint_id')
    .select(['h.checkpoint_id', 'h.last_id', 'h.head_hash', 'h.event_count', 'c.jws'])
    .where('h.chain', '=', mailboxId)
    .orderBy('h.checkpoint_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const payload: ExportPayload = {
    format: EXPORT_FORMAT,
    mailbox: mailboxId,
    exportedAt: now.toISOString(),
    count: events.length,
    lastId: events.at(-1)?.id ?? null,
    head: events.at(-1)?.hash ?? GENESIS,
    eventsDigest: eventsDigest(events),
    checkpoint: recorded
      ? {
          seq: recorded.checkpoint_id,
          head: {
            chain: mailboxId,
            lastId: recorded.last_id,
            headHash: recorded.head_hash,
            count: recorded.event_count,
          },
        }
      : null,
  };
  return {
    format: EXPORT_FORMAT,
    mailbox: mailboxId,
    exportedAt: payload.exportedAt,
    keysUrl: '/.well-known/kuvert-evidence-keys.json',
    events,
    checkpointJws: recorded?.jws ?? null,
    signature: await signEvidence(db, EXPORT_TYP, payload),
  };
}

/**
 * Checks a signed export offline against keys the verifier trusts: the export's signature, the chain's hashes from
 * the start, the signed end and digest, and the checkpoint (its signature, and the head it recorded within the chain).
 * Returns what is wrong; empty when the export is intact.
 */
export async function verifyAuditExport(data: unknown, keys: JSONWebKeySet): Promise<AuditFinding[]> {
  const findings: AuditFinding[] = [];
  const exp = data as Partial<AuditExport>;
  if (!exp || exp.format !== EXPORT_FORMAT || !Array.isArray(exp.events) || typeof exp.signature !== 'string') {
    return [{ kind: 'forged_checkpoint', reason: `not a ${EXPORT_FORMAT} file` }];
  }
  let payload: ExportPayload;
  try {
    payload = await verifyEvidence<ExportPayload>(exp.signature, keys, EXPORT_TYP);
  } catch (error) {
    return [{ kind: 'forged_checkpoint', reason: `the export's signature is not valid (${(error as Error).message})` }];
  }
  const chain = payload.mailbox;
  if (exp.mailbox !== chain) findings.push({ kind: 'edited_row', chain, reason: 'the mailbox is not the signed one' });
  let prev = GENESIS;
  for (const event of exp.events) {
    const expected = expectedHash(prev, {
      occurred_at: new Date(event.occurredAt),
      actor_kind: event.actorKind,
      actor_id: event.actorId,
      action: event.action,
      subject_type: event.subjectType,
      subject_id: event.subjectId,
      mailbox_recipient_id: chain,
      details: event.details,
    });
    if (event.prevHash !== prev || event.hash !== expected) {
      findings.push({ kind: 'edited_row', chain, id: event.id, reason: 'the event does not match its hash chain' });
      break;
    }
    prev = event.hash;
  }
  const last = exp.events.at(-1);
  if (exp.events.length < payload.count) {
    findings.push({ kind: 'missing_newest_rows', chain, reason: `signed with ${payload.count} events, has fewer` });
  } else if (exp.events.length !== payload.count || (last?.id ?? null) !== payload.lastId || prev !== payload.head) {
    findings.push({ kind: 'recomputed_chain', chain, reason: 'the chain does not end where the signature says' });
  } else if (eventsDigest(exp.events) !== payload.eventsDigest) {
    findings.push({ kind: 'edited_row', chain, reason: 'the events differ from the signed ones' });
  }
  if (payload.checkpoint) {
    const recorded = payload.checkpoint.head;
    try {
      const checkpoint = await verifyEvidence<CheckpointPayload>(exp.checkpointJws ?? '', keys, CHECKPOINT_TYP);
      if (checkpoint.seq !== payload.checkpoint.seq) throw new Error('another checkpoint');
    } catch (error) {
      findings.push({
        kind: 'forged_checkpoint',
        chain,
        checkpoint: payload.checkpoint.seq,
        reason: `the checkpoint is not valid (${(error as Error).message})`,
      });
    }
    const index = exp.events.findIndex((e) => e.id === recorded.lastId);
    const at = exp.events[index];
    if (!at || at.hash !== recorded.headHash || index + 1 !== Number(recorded.count)) {
      findings.push({
        kind: 'recomputed_chain',
        chain,
        checkpoint: payload.checkpoint.seq,
        reason: `checkpoint ${payload.checkpoint.seq} recorded event ${recorded.lastId} as the head; the export differs`,
      });
    }
  }
  return findings;
}
