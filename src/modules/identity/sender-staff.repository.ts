import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { SenderRole } from './identity.tables.ts';

export interface SenderStaffMember {
  id: string;
  subject: string;
  name: string;
  role: SenderRole;
  createdAt: Date;
}

/** The current role of a sender staff member within their sender, or null if they are no longer its staff. */
export async function currentSenderRole(db: Db, staffId: string, senderId: string): Promise<SenderRole | null> {
  if (!/^[0-9a-f-]{36}$/i.test(staffId)) return null;
  const row = await db
    .selectFrom('staff_user')
    .select('sender_role')
    .where('id', '=', staffId)
    .where('role', '=', 'sender_staff')
    .where('sender_id', '=', senderId)
    .executeTakeFirst();
  if (!row) return null;
  return row.sender_role ?? 'staff';
}

export async function listStaffOf(db: Db, senderId: string): Promise<SenderStaffMember[]> {
  const rows = await db
    .selectFrom('staff_user')
    .select(['id', 'subject', 'name', 'sender_role', 'created_at'])
    .where('role', '=', 'sender_staff')
    .where('sender_id', '=', senderId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    subject: r.subject,
    name: r.name,
    role: r.sender_role ?? 'staff',
    createdAt: r.created_at,
  }));
}

/**
 * Locks the sender's staff rows for the rest of the transaction and counts its administrators, so that two
 * concurrent demotions cannot both see "another administrator is left".
 */
export async function lockAdminsOf(db: Db, senderId: string): Promise<string[]> {
  const rows = await sql<{ id: string; sender_role: SenderRole | null }>`
    select id, sender_role from staff_user where sender_id = ${senderId} and role = 'sender_staff' for update`.execute(
    db,
  );
  return rows.rows.filter((r) => r.sender_role === 'admin').map((r) => r.id);
}

/** Ends every web session of a staff member (removed staff lose access at once). */
export async function deleteSessionsOfStaff(db: Db, staffId: string): Promise<void> {
  await db.deleteFrom('web_session').where(sql<string>`actor->>'staffId'`, '=', staffId).execute();
}
