import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { secureCookies } from '../identity/index.ts';
import { findMailboxOwner, findStrongestAccess, listDelegationsHeld, UUID_RE } from './access.repository.ts';
import type { AccessVia, DelegationKind, MailboxAccess } from './mailbox.policy.ts';

/** The cookie holding the mailbox chosen in the switcher: a recipient id, never a CPR number. */
export const MAILBOX_COOKIE = 'kuvert_mailbox';

/** A mailbox someone may open, for the switcher and page headings. */
export interface OpenableMailbox {
  access: MailboxAccess;
  owner: { id: string; name: string; kind: 'person' | 'business' };
}

/** How a stored delegation shows as access: every access to a business's mailbox is through the business. */
function viaOf(kind: DelegationKind, mailboxKind: 'person' | 'business'): AccessVia {
  return mailboxKind === 'business' ? 'business' : kind;
}

/**
 * The actor's access to the mailbox of recipient `mailboxId` right now: owner, or through a grant, power of
 * attorney, parental access or business role that is in force (not revoked, not expired). Null: none.
 */
export async function resolveMailboxAccess(
  db: Db,
  actor: Actor | null,
  mailboxId: string,
  now: Date = new Date(),
): Promise<MailboxAccess | null> {
  if (actor?.kind !== 'citizen' || !UUID_RE.test(mailboxId)) return null;
  const id = mailboxId.toLowerCase();
  if (actor.recipientId === id) return { mailboxId: id, level: 'owner', via: 'self', grantId: null };
  const held = await findStrongestAccess(db, id, actor.recipientId, now);
  if (!held) return null;
  return {
    mailboxId: id,
    level: held.level,
    via: held.kind === 'business' ? 'business' : held.kind,
    grantId: held.id,
    folderIds: held.folderIds,
  };
}

/** The actor's own mailbox, without a query (a citizen's own mailbox is always a person's). */
function ownMailbox(actor: Extract<Actor, { kind: 'citizen' }>): OpenableMailbox {
  return {
    access: { mailboxId: actor.recipientId, level: 'owner', via: 'self', grantId: null },
    owner: { id: actor.recipientId, name: actor.name, kind: 'person' },
  };
}

/** Every mailbox the actor may open now: their own first, then the others by name (strongest access per mailbox). */
export async function listOpenableMailboxes(
  db: Db,
  actor: Actor | null,
  now: Date = new Date(),
): Promise<OpenableMailbox[]> {
  if (actor?.kind !== 'citizen') return [];
  const [own, delegations] = await Promise.all([
    findMailboxOwner(db, actor.recipientId),
    listDelegationsHeld(db, actor.recipientId, now),
  ]);
  const result: OpenableMailbox[] = [own ? { ...ownMailbox(actor), owner: own } : ownMailbox(actor)];
  const byMailbox = new Map<string, OpenableMailbox>();
  const rank = { owner: 0, read_write: 1, read: 2 } as const;
  for (const d of delegations) {
    const entry: OpenableMailbox = {
      access: {
        mailboxId: d.mailboxId,
        level: d.level,
        via: viaOf(d.kind, d.mailboxKind),
        grantId: d.id,
        folderIds: d.folderIds,
      },
      owner: { id: d.mailboxId, name: d.mailboxName, kind: d.mailboxKind },
    };
    const seen = byMailbox.get(d.mailboxId);
    if (!seen || rank[entry.access.level] < rank[seen.access.level]) byMailbox.set(d.mailboxId, entry);
  }
  const others = [...byMailbox.values()].sort(
    (a, b) => a.owner.name.localeCompare(b.owner.name, 'da') || a.owner.id.localeCompare(b.owner.id),
  );
  return [...result, ...others];
}

/**
 * The mailbox a citizen is looking at: the one chosen in the mailbox switcher (cookie `kuvert_mailbox`, a recipient
 * id — never a CPR number) if they still have access to it, else their own. Null for non-citizens. Resolved on
 * every request, so a revoked or expired access stops working at once. Their own mailbox costs no query.
 */
export async function currentMailbox(services: Services, request: FastifyRequest): Promise<OpenableMailbox | null> {
  const actor = request.actor;
  if (actor?.kind !== 'citizen') return null;
  const chosen = (request.cookies as Record<string, string | undefined> | undefined)?.[MAILBOX_COOKIE];
  if (!chosen || !UUID_RE.test(chosen) || chosen.toLowerCase() === actor.recipientId) return ownMailbox(actor);
  const access = await resolveMailboxAccess(services.db, actor, chosen);
  if (!access) return ownMailbox(actor);
  const owner = await findMailboxOwner(services.db, access.mailboxId);
  return owner ? { access, owner } : ownMailbox(actor);
}

/** Remembers the chosen mailbox (its recipient id) for this browser; choosing one's own clears the choice. */
export function setMailboxCookie(reply: FastifyReply, services: Services, mailboxId: string | null): void {
  const options = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secureCookies(services.config) };
  if (mailboxId === null) reply.clearCookie(MAILBOX_COOKIE, options);
  else reply.setCookie(MAILBOX_COOKIE, mailboxId, options);
}
