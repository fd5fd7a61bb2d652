import type { Db } from '../../db/database.ts';
import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import { recordAudit } from '../audit/index.ts';
import { checkNewSender, type NewSenderInput, type SenderInputCode, SenderInputError } from './sender-input.ts';
import { maySender } from './sender-staff.policy.ts';

/** Who creates a sender: an operator on the operator page, or `kuvert senders add` at the server's terminal. */
export type SenderCreator = { kind: 'operator'; actor: Actor } | { kind: 'cli' };

export interface SenderListing {
  id: string;
  cvr: string | null;
  name: string;
  kind: 'municipality' | 'state' | 'region' | 'other';
  municipalityCode: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  admins: number;
  staff: number;
  createdAt: Date;
}

function mayCreate(by: SenderCreator): boolean {
  return by.kind === 'cli' || maySender(by.actor, 'create_sender', { senderId: null, role: null });
}

const uniqueViolation = (error: unknown, constraint: string) =>
  (error as { code?: string; constraint?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === constraint;

/**
 * Creates an authority (CVR, name, kind, contact) and its first administrator, a sender staff member who logs in
 * with `adminSubject`. One transaction with its audit event; a CVR or subject already in use is a 409 naming the
 * field, and nothing is written.
 */
export async function createSender(
  db: Db,
  input: NewSenderInput,
  by: SenderCreator,
): Promise<{ senderId: string; adminId: string }> {
  if (!mayCreate(by)) throw new AppError(403, 'forbidden', 'Only operators create senders.');
  const municipalities = await db.selectFrom('municipality').select('code').execute();
  const sender = checkNewSender(input, new Set(municipalities.map((m) => m.code)));
  try {
    return await db.transaction().execute(async (trx) => {
      const taken: { field: string; code: SenderInputCode }[] = [];
      const cvrRow = await trx.selectFrom('sender').select('id').where('cvr', '=', sender.cvr).executeTakeFirst();
      if (cvrRow) taken.push({ field: 'cvr', code: 'sender_cvr_taken' });
      const subjectRow = await trx
        .selectFrom('staff_user')
        .select('id')
        .where('subject', '=', sender.adminSubject)
        .executeTakeFirst();
      if (subjectRow) taken.push({ field: 'adminSubject', code: 'staff_subject_taken' });
      if (taken.length) throw new SenderInputError(taken);
      const created = await trx
        .insertInto('sender')
        .values({
          cvr: sender.cvr,
          name: sender.name,
          kind: sender.kind,
          municipality_code: sender.municipalityCode,
          contact_email: sender.contactEmail,
          contact_phone: sender.contactPhone,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const admin = await trx
        .insertInto('staff_user')
        .values({
          subject: sender.adminSubject,
          name: sender.adminName,
          role: 'sender_staff',
          sender_role: 'admin',
          sender_id: created.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const actor =
        by.kind === 'operator' && by.actor.kind === 'operator'
          ? { actorKind: 'operator' as const, actorId: by.actor.staffId }
          : { actorKind: 'system' as const, actorId: 'cli' };
      await recordAudit(trx, {
        ...actor,
        action: 'sender.create',
        subjectType: 'sender',
        subjectId: created.id,
        details: { cvr: sender.cvr, name: sender.name, kind: sender.kind, adminStaffId: admin.id },
      });
      return { senderId: created.id, adminId: admin.id };
    });
  } catch (error) {
    // Two creations of the same CVR or subject at once: the loser meets the unique index.
    if (uniqueViolation(error, 'sender_cvr_unique'))
      throw new SenderInputError([{ field: 'cvr', code: 'sender_cvr_taken' }]);
    if (uniqueViolation(error, 'staff_user_subject_key')) {
      throw new SenderInputError([{ field: 'adminSubject', code: 'staff_subject_taken' }]);
    }
    throw error;
  }
}

/** Every sender, by name, with how many administrators and staff it has (the operator page, `kuvert senders list`). */
export async function listSenders(db: Db): Promise<SenderListing[]> {
  const rows = await db
    .selectFrom('sender')
    .leftJoin('staff_user', (join) =>
      join.onRef('staff_user.sender_id', '=', 'sender.id').on('staff_user.role', '=', 'sender_staff'),
    )
    .select((eb) => [
      'sender.id',
      'sender.cvr',
      'sender.name',
      'sender.kind',
      'sender.municipality_code',
      'sender.contact_email',
      'sender.contact_phone',
      'sender.created_at',
      eb.fn.count<string>('staff_user.id').as('staff'),
      eb.fn.count<string>('staff_user.id').filterWhere('staff_user.sender_role', '=', 'admin').as('admins'),
    ])
    .groupBy('sender.id')
    .orderBy('sender.name')
    .orderBy('sender.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    cvr: r.cvr,
    name: r.name,
    kind: r.kind,
    municipalityCode: r.municipality_code,
    contactEmail: r.contact_email,
    contactPhone: r.contact_phone,
    admins: Number(r.admins),
    staff: Number(r.staff),
    createdAt: r.created_at,
  }));
}
