import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { Services } from '../../services.ts';
import type { Actor } from '../identity/actor.ts';
import type { MailboxAccess } from '../mailbox/mailbox.policy.ts';

/** A mailbox someone may open, for the switcher and page headings. */
export interface OpenableMailbox {
  access: MailboxAccess;
  owner: { id: string; name: string; kind: 'person' | 'business' };
}

/**
 * The actor's access to the mailbox of recipient `mailboxId` right now: owner, or through a grant, power of
 * attorney, parental access or business role that is in force (not revoked, not expired). Null: none.
 */
export async function resolveMailboxAccess(
  _db: Db,
  actor: Actor | null,
  mailboxId: string,
  _now: Date = new Date(),
): Promise<MailboxAccess | null> {
  if (actor?.kind !== 'citizen') return null;
  if (actor.recipientId === mailboxId) return { mailboxId, level: 'owner', via: 'self', grantId: null };
  return null;
}

/** Every mailbox the actor may open now, their own first. */
export async function listOpenableMailboxes(
  db: Db,
  actor: Actor | null,
  now: Date = new Date(),
): Promise<OpenableMailbox[]> {
  if (actor?.kind !== 'citizen') return [];
  const own = await resolveMailboxAccess(db, actor, actor.recipientId, now);
  const owner = await db
    .selectFrom('recipient')
    .select(['id', 'name', 'kind'])
    .where('id', '=', actor.recipientId)
    .executeTakeFirst();
  return own && owner ? [{ access: own, owner }] : [];
}

/**
 * The mailbox a citizen is looking at: the one chosen in the mailbox switcher (cookie `kuvert_mailbox`, a recipient
 * id — never a CPR number) if they still have access to it, else their own. Null for non-citizens.
 */
export async function currentMailbox(services: Services, request: FastifyRequest): Promise<OpenableMailbox | null> {
  const actor = request.actor;
  if (actor?.kind !== 'citizen') return null;
  const mailboxes = await listOpenableMailboxes(services.db, actor);
  const chosen = (request.cookies as Record<string, string | undefined>).kuvert_mailbox;
  return mailboxes.find((m) => m.owner.id === chosen) ?? mailboxes[0] ?? null;
}
