import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { type ActivityRow, listActivity } from './access.repository.ts';
import { type AccessLevel, type AccessVia, type DelegationKind, mayInMailbox } from './mailbox.policy.ts';
import type { OpenableMailbox } from './mailbox-access.ts';

export const ACTIVITY_PAGE_SIZE = 25;

/** One line of the activity log, ready to show: who, when, what. Never content beyond a letter's label. */
export interface ActivityItem {
  id: string;
  occurredAt: Date;
  who:
    | { kind: 'owner'; viewerIsOwner: boolean }
    | { kind: 'delegate'; name: string; level: AccessLevel | null; via: AccessVia | null }
    | { kind: 'citizen_service'; municipality: string | null }
    | { kind: 'unknown' }
    | { kind: 'system' };
  what:
    | { kind: 'open'; label: string | null }
    | { kind: 'document_open'; label: string | null; title: string | null; all: boolean }
    | { kind: 'forward'; label: string | null; toName: string }
    | { kind: 'forward_received'; label: string | null; fromName: string }
    | {
        kind: 'grant' | 'register' | 'revoke';
        delegationKind: DelegationKind;
        level: AccessLevel;
        granteeName: string | null;
        endsAt: Date | null;
      };
}

export interface ActivityPage {
  items: ActivityItem[];
  /** The cursor of the next (older) page, if any. */
  nextBefore: string | null;
  isContinuation: boolean;
}

const levels = new Set<string>(['owner', 'read_write', 'read']);
const kinds = new Set<string>(['grant', 'power_of_attorney', 'parent', 'business']);

function toItem(row: ActivityRow, mailbox: OpenableMailbox, viewerId: string): ActivityItem {
  let who: ActivityItem['who'];
  if (row.actorKind === 'citizen' && row.actorId === mailbox.owner.id) {
    who = { kind: 'owner', viewerIsOwner: viewerId === mailbox.owner.id };
  } else if (row.action === 'letter.forward.received' && row.actorKind === 'citizen' && row.actorName) {
    // The forwarder acted in their own mailbox, not in this one: their name, without access they may not hold.
    who = { kind: 'delegate', name: row.actorName, level: null, via: null };
  } else if (row.actorKind === 'citizen' && row.actorName) {
    // What the reader held then: recorded with the read if the mailbox pages passed it, else looked up.
    const detailVia = typeof row.details.via === 'string' ? row.details.via : null;
    const detailLevel = typeof row.details.level === 'string' ? row.details.level : null;
    const level = (detailLevel && levels.has(detailLevel) ? detailLevel : row.heldLevel) as AccessLevel | null;
    const kind = detailVia ?? row.heldKind;
    const via: AccessVia | null =
      mailbox.owner.kind === 'business' && kind ? 'business' : ((kind as AccessVia | null) ?? null);
    who = { kind: 'delegate', name: row.actorName, level, via };
  } else if (row.actorKind === 'caseworker') {
    who = { kind: 'citizen_service', municipality: row.actorMunicipality };
  } else if (row.actorKind === 'citizen') {
    who = { kind: 'unknown' };
  } else {
    who = { kind: 'system' };
  }

  let what: ActivityItem['what'];
  const named = (value: unknown) => (typeof value === 'string' ? value : '');
  if (row.action === 'message.open') what = { kind: 'open', label: row.messageLabel };
  else if (row.action === 'letter.forward') {
    what = { kind: 'forward', label: row.messageLabel, toName: named(row.details.toName) };
  } else if (row.action === 'letter.forward.received') {
    what = { kind: 'forward_received', label: row.messageLabel, fromName: named(row.details.fromName) };
  } else if (row.action === 'message.document.open') {
    what = { kind: 'document_open', label: row.messageLabel, title: row.documentTitle, all: row.details.all === true };
  } else {
    const d = row.details;
    const endsAt = typeof d.endsAt === 'string' ? new Date(d.endsAt) : null;
    what = {
      kind: row.action === 'access.grant' ? 'grant' : row.action === 'access.register' ? 'register' : 'revoke',
      delegationKind: (typeof d.kind === 'string' && kinds.has(d.kind) ? d.kind : 'grant') as DelegationKind,
      level: (typeof d.level === 'string' && levels.has(d.level) ? d.level : 'read') as AccessLevel,
      granteeName: row.granteeName,
      endsAt: endsAt && !Number.isNaN(endsAt.getTime()) ? endsAt : null,
    };
  }
  return { id: row.id, occurredAt: new Date(row.occurredAt), who, what };
}

/**
 * A page of the activity log of the mailbox being viewed, for its owner only (policy 'view_activity'): 403
 * otherwise. Caseworkers and sender staff never get here (citizen pages only) and never see labels.
 */
export async function listMailboxActivity(
  services: Services,
  actor: Actor | null,
  mailbox: OpenableMailbox,
  before: string | undefined,
): Promise<ActivityPage> {
  if (!mayInMailbox(actor, mailbox.access, 'view_activity') || actor?.kind !== 'citizen') {
    throw new AppError(403, 'activity_forbidden', 'Only the owner of the mailbox can see the activity log.');
  }
  if (before !== undefined && !/^\d{1,18}$/.test(before)) {
    throw new AppError(400, 'invalid_cursor', 'The page cursor is not valid.', 'foer');
  }
  const rows = await listActivity(services.db, mailbox.owner.id, { before, limit: ACTIVITY_PAGE_SIZE + 1 });
  const page = rows.slice(0, ACTIVITY_PAGE_SIZE);
  return {
    items: page.map((row) => toItem(row, mailbox, actor.recipientId)),
    nextBefore: rows.length > ACTIVITY_PAGE_SIZE ? (page[page.length - 1]?.id ?? null) : null,
    isContinuation: before !== undefined,
  };
}
