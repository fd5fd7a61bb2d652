import { type Kysely, sql } from 'kysely';

/**
 * Onboarding senders without the seed (issue 17, item 7).
 *
 * - sender.contact_email / contact_phone: the authority's Digital Post contact, given when the sender is created
 *   (`kuvert senders add`, the operator page /drift/styring/afsendere).
 * - sender.cvr is unique: one authority per CVR number (existing rows have distinct ones or none).
 * - staff_user.sender_role: a sender staff member's role within the sender: 'admin' manages staff and API keys,
 *   'staff' sends letters. Null for caseworkers and operators; a sender staff row without one counts as 'staff'.
 *   Existing sender staff (the demo's) become administrators, so no sender is left without one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table sender add column contact_email text, add column contact_phone text;
    create unique index sender_cvr_unique on sender (cvr) where cvr is not null;

    alter table staff_user add column sender_role text check (sender_role in ('admin', 'staff'));
    alter table staff_user add constraint staff_user_sender_role_only_for_sender_staff
      check (sender_role is null or role = 'sender_staff');
    update staff_user set sender_role = 'admin' where role = 'sender_staff';
    create index staff_user_sender on staff_user (sender_id) where sender_id is not null;
  `.execute(db);
}
