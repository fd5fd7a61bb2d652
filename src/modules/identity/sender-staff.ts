import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import { recordAudit } from '../audit/index.ts';
import type { SenderRole } from './identity.tables.ts';
import { cleanStaffName, cleanSubject, type SenderInputCode, SenderInputError, senderRoles } from './sender-input.ts';
import { maySender, type SenderAction } from './sender-staff.policy.ts';
import {
  currentSenderRole,
  deleteSessionsOfStaff,
  listStaffOf,
  lockAdminsOf,
  type SenderStaffMember,
} from './sender-staff.repository.ts';

type SenderStaff = Extract<Actor, { kind: 'sender_staff' }>;

const adminRequired = () =>
  new AppError(403, 'sender_admin_required', 'Only your organisation’s administrators may do this.');

/**
 * Lets the request through only if the policy allows `action` for the actor in their own sender, with their role
 * as staff_user has it now; returns that role. Anyone else: 403.
 */
export async function authoriseSender(db: Db, actor: Actor | null, action: SenderAction): Promise<SenderRole> {
  if (actor?.kind !== 'sender_staff')
    throw new AppError(403, 'forbidden', 'Your login does not give access to this page.');
  const role = await currentSenderRole(db, actor.staffId, actor.senderId);
  if (!maySender(actor, action, { senderId: actor.senderId, role })) throw adminRequired();
  return role as SenderRole;
}

/** The staff page: the sender's staff and whether the viewer may manage them. */
export async function senderStaffPage(
  db: Db,
  actor: Actor | null,
): Promise<{ staff: SenderStaffMember[]; mayManage: boolean; viewerId: string }> {
  const role = await authoriseSender(db, actor, 'view_staff');
  const me = actor as SenderStaff;
  return { staff: await listStaffOf(db, me.senderId), mayManage: role === 'admin', viewerId: me.staffId };
}

function checkRole(role: string): SenderRole {
  const found = senderRoles.find((r) => r === role);
  if (!found) throw new AppError(400, 'staff_role_invalid', 'Choose administrator or staff.', 'role');
  return found;
}

const audit = (trx: Db, actor: SenderStaff, action: string, staffId: string, details: Record<string, unknown>) =>
  recordAudit(trx, {
    actorKind: 'sender_staff',
    actorId: actor.staffId,
    action,
    subjectType: 'staff_user',
    subjectId: staffId,
    details: { senderId: actor.senderId, ...details },
  });

/** An administrator adds a staff member (login subject, name, role) to their own sender. */
export async function addSenderStaff(
  db: Db,
  actor: Actor | null,
  input: { subject: string; name: string; role: string },
): Promise<string> {
  await authoriseSender(db, actor, 'manage_staff');
  const me = actor as SenderStaff;
  const problems: { field: string; code: SenderInputCode }[] = [];
  const subject = cleanSubject(input.subject);
  if (!subject) problems.push({ field: 'subject', code: 'staff_subject_invalid' });
  const name = cleanStaffName(input.name);
  if (!name) problems.push({ field: 'name', code: 'staff_name_invalid' });
  if (problems.length || !subject || !name) throw new SenderInputError(problems);
  const role = checkRole(input.role);
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('staff_user')
      .values({ subject, name, role: 'sender_staff', sender_role: role, sender_id: me.senderId })
      .onConflict((oc) => oc.column('subject').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw new SenderInputError([{ field: 'subject', code: 'staff_subject_taken' }]);
    await audit(trx, me, 'sender_staff.add', inserted.id, { role });
    return inserted.id;
  });
}

/**
 * Sets a staff member's role. Demoting the sender's last administrator is refused (409 last_administrator): a
 * sender always has someone who can manage it.
 */
export async function changeSenderStaffRole(db: Db, actor: Actor | null, staffId: string, role: string): Promise<void> {
  await authoriseSender(db, actor, 'manage_staff');
  const me = actor as SenderStaff;
  const newRole = checkRole(role);
  if (!/^[0-9a-f-]{36}$/i.test(staffId)) throw notFound('staff member');
  await db.transaction().execute(async (trx) => {
    const admins = await lockAdminsOf(trx, me.senderId);
    const current = await currentSenderRole(trx, staffId, me.senderId);
    if (current === null) throw notFound('staff member');
    if (current === newRole) return;
    if (current === 'admin' && admins.length <= 1) throw lastAdministrator();
    await trx.updateTable('staff_user').set({ sender_role: newRole }).where('id', '=', staffId).execute();
    await audit(trx, me, 'sender_staff.role', staffId, { from: current, to: newRole });
  });
}

/** Removes a staff member from the sender and ends their sessions; never the last administrator (409). */
export async function removeSenderStaff(db: Db, actor: Actor | null, staffId: string): Promise<void> {
  await authoriseSender(db, actor, 'manage_staff');
  const me = actor as SenderStaff;
  if (!/^[0-9a-f-]{36}$/i.test(staffId)) throw notFound('staff member');
  await db.transaction().execute(async (trx) => {
    const admins = await lockAdminsOf(trx, me.senderId);
    const current = await currentSenderRole(trx, staffId, me.senderId);
    if (current === null) throw notFound('staff member');
    if (current === 'admin' && admins.length <= 1) throw lastAdministrator();
    // Staff rows are referenced by what they did (batches, incidents): the row stays, detached from the sender
    // and without a role, so the login no longer reaches any sender's portal.
    await trx
      .updateTable('staff_user')
      .set({ sender_id: null, sender_role: null, subject: `removed:${staffId}` })
      .where('id', '=', staffId)
      .execute();
    await deleteSessionsOfStaff(trx, staffId);
    await audit(trx, me, 'sender_staff.remove', staffId, { role: current });
  });
}

const lastAdministrator = () =>
  new AppError(409, 'last_administrator', 'The organisation’s last administrator cannot be removed or demoted.');
