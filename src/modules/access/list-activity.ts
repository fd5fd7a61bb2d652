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
  /** Who, as recorded (actor kind and id): repeated views are grouped by it. */
  actorKey: string;
  /** The letter a view is of. */
  messageId: string | null;
  /** Grouped views (groupRepeatedViews): how many times the letter was opened, and the first of them. */
  repeated?: { times: number; firstAt: Date };
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
    /** The whole mailbox exported (mailbox module): requested, or the zip downloaded. */
    | { kind: 'export_request' | 'export_download' }
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

export function toItem(row: ActivityRow, mailbox: OpenableMailbox, viewerId: string): ActivityItem {
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
  } else if (row.action === 'mailbox.export.request' || row.action === 'mailbox.export.download') {
    what = { kind: row.action === 'mailbox.export.request' ? 'export_request' : 'export_download' };
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
  return {
    id: row.id,
    occurredAt: new Date(row.occurredAt),
    actorKey: `${row.actorKind}:${row.actorId}`,
    messageId: row.messageId,
    who,
    what,
  };
}

const isView = (item: ActivityItem) => item.what.kind === 'open' || item.what.kind === 'document_open';

/**
 * Folds consecutive views of the same letter by the same person into one line (items newest first): opening a
 * letter records the letter and its document, and reading it again records them again, so one reading showed as two
 * or three lines. The line keeps the newest view's time; with more than one opening it says how many and when the
 * first was. Only what is shown is grouped: the audit rows themselves are untouched (the log is hash-chained).
 */
export function groupRepeatedViews(items: ActivityItem[]): ActivityItem[] {
  const out: ActivityItem[] = [];
  let i = 0;
  while (i < items.length) {
    const first = items[i] as ActivityItem;
    let j = i + 1;
    if (isView(first) && first.messageId) {
      while (j < items.length) {
        const next = items[j] as ActivityItem;
        if (!isView(next) || next.messageId !== first.messageId || next.actorKey !== first.actorKey) break;
        j++;
      }
    }
    const group = items.slice(i, j);
    const opens = group.filter((item) => item.what.kind === 'open');
    if (group.length === 1) out.push(first);
    else if (opens.length === 0) {
      // Only documents (downloads without opening the letter here): the newest, with how many.
      out.push({ ...first, repeated: { times: group.length, firstAt: (group.at(-1) as ActivityItem).occurredAt } });
    } else {
      const label = 'label' in first.what ? first.what.label : null;
      out.push({
        ...first,
        what: { kind: 'open', label },
        ...(opens.length > 1
          ? { repeated: { times: opens.length, firstAt: (opens.at(-1) as ActivityItem).occurredAt } }
          : {}),
      });
    }
    i = j;
  }
  return out;
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
    items: groupRepeatedViews(page.map((row) => toItem(row, mailbox, actor.recipientId))),
    nextBefore: rows.length > ACTIVITY_PAGE_SIZE ? (page[page.length - 1]?.id ?? null) : null,
    isContinuation: before !== undefined,
  };
}
