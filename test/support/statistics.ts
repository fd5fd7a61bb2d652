import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import { notificationTableExists } from '../../src/modules/statistics/take-snapshot.ts';

let cprCounter = 0;
const nextCpr = () => `99${String(++cprCounter).padStart(8, '0')}`;

async function person(
  db: Db,
  values: {
    enrolment: 'voluntary' | 'automatic' | 'exempted' | 'not_enrolled' | 'closed';
    ground?: 'disability' | 'no_internet';
    sex?: 'F' | 'M' | null;
    birth?: string | null;
    municipality?: string | null;
  },
): Promise<string> {
  const row = await db
    .insertInto('recipient')
    .values({
      kind: 'person',
      cpr: nextCpr(),
      name: 'Statistik Testesen',
      enrolment: values.enrolment,
      exemption_ground: values.ground ?? null,
      sex: values.sex ?? null,
      birth_date: values.birth ?? null,
      municipality_code: values.municipality ?? null,
      closed_reason: values.enrolment === 'closed' ? 'death' : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function letter(
  db: Db,
  values: {
    sender: string;
    recipient: string;
    received: string;
    status?: 'available' | 'print_queued' | 'rejected';
    readAfterMinutes?: number;
    type?: 'DIGITALPOST' | 'NEMSMS';
  },
): Promise<string> {
  const status = values.status ?? 'available';
  const received = new Date(values.received);
  const row = await db
    .insertInto('message')
    .values({
      sender_id: values.sender,
      recipient_id: values.recipient,
      message_uuid: randomUUID(),
      content_hash: '0'.repeat(64),
      label: 'Brev',
      status,
      message_type: values.type ?? 'DIGITALPOST',
      received_at: received,
      available_at: status === 'available' ? received : null,
      first_read_at:
        values.readAfterMinutes === undefined ? null : new Date(received.getTime() + values.readAfterMinutes * 60_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A small population and mail history whose statistics are known exactly (see src/modules/statistics/statistics.test.ts):
 * 6 people with a mailbox (2 voluntary, 2 automatic, 2 exempted), letters in April and May 2026 (one received at
 * 00:30 Copenhagen time on 1 May, which is still 30 April in UTC), one printed letter, and — once the notify module's
 * `notification` table exists — one e-mail, one SMS and one NemSMS sent in May.
 */
export async function seedKnownStatistics(db: Db) {
  const municipalitySender = await db
    .insertInto('sender')
    .values({ name: 'Statistik Kommune', kind: 'municipality' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const stateSender = await db
    .insertInto('sender')
    .values({ name: 'Statistik Styrelse', kind: 'state' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const p1 = await person(db, { enrolment: 'voluntary', sex: 'F', birth: '1985-03-15', municipality: '0101' });
  const p2 = await person(db, { enrolment: 'voluntary', sex: 'M', birth: '2000-01-01', municipality: '0751' });
  const p3 = await person(db, { enrolment: 'automatic', sex: 'F', birth: '1944-09-24', municipality: '0751' });
  const p4 = await person(db, {
    enrolment: 'exempted',
    ground: 'disability',
    sex: 'M',
    birth: '1950-05-05',
    municipality: '0101',
  });
  await person(db, {
    enrolment: 'exempted',
    ground: 'no_internet',
    sex: 'F',
    birth: '1960-01-01',
    municipality: '0751',
  });
  await person(db, { enrolment: 'not_enrolled', sex: 'F', birth: '2015-02-02', municipality: '0101' });
  const closed = await person(db, { enrolment: 'closed', sex: 'M', birth: '1930-01-01', municipality: '0101' });
  await person(db, { enrolment: 'automatic', sex: null, birth: null, municipality: null });
  await db
    .insertInto('recipient')
    .values({ kind: 'business', cvr: '99887766', name: 'Statistik ApS', enrolment: 'automatic' })
    .execute();

  const confirmed = new Date('2026-01-01T10:00:00Z');
  await db
    .insertInto('contact_detail')
    .values([
      { recipient_id: p1, kind: 'email', value: 'p1@example.dk', confirmed_at: confirmed },
      { recipient_id: p1, kind: 'mobile', value: '+4520000001', confirmed_at: confirmed },
      { recipient_id: p2, kind: 'email', value: 'p2@example.dk', confirmed_at: confirmed },
      { recipient_id: p2, kind: 'email', value: 'p2b@example.dk', confirmed_at: confirmed },
      { recipient_id: p3, kind: 'mobile', value: '+4520000003', confirmed_at: null },
      { recipient_id: p4, kind: 'mobile', value: '+4520000004', confirmed_at: confirmed },
      { recipient_id: closed, kind: 'email', value: 'closed@example.dk', confirmed_at: confirmed },
    ])
    .execute();

  const kk = municipalitySender.id;
  const st = stateSender.id;
  await letter(db, { sender: kk, recipient: p1, received: '2026-04-10T10:00:00Z', readAfterMinutes: 30 });
  await letter(db, { sender: st, recipient: p1, received: '2026-04-30T22:30:00Z', readAfterMinutes: 48 * 60 });
  await letter(db, { sender: st, recipient: p2, received: '2026-05-05T08:00:00Z' });
  const printed = await letter(db, {
    sender: kk,
    recipient: p4,
    received: '2026-05-06T08:00:00Z',
    status: 'print_queued',
  });
  await letter(db, { sender: st, recipient: p3, received: '2026-05-06T09:00:00Z', status: 'rejected' });
  await letter(db, { sender: kk, recipient: p2, received: '2026-05-07T09:00:00Z', type: 'NEMSMS' });
  await db
    .insertInto('print_job')
    .values({ message_id: printed, sender_id: kk, state: 'sent', sent_at: new Date('2026-05-07T12:00:00Z') })
    .execute();

  const notifications = await notificationTableExists(db);
  if (notifications) {
    const rows = [
      { channel: 'email', state: 'sent', sender: kk, sent: '2026-05-02T08:00:00Z' },
      { channel: 'sms', state: 'delivered', sender: st, sent: '2026-05-03T08:00:00Z' },
      { channel: 'nemsms', state: 'sent', sender: kk, sent: '2026-05-04T08:00:00Z' },
      { channel: 'email', state: 'failed', sender: kk, sent: null },
    ];
    for (const [index, row] of rows.entries()) {
      await sql`
        insert into notification (recipient_id, sender_id, channel, purpose, address, body, dedup_key, state,
          created_at, next_attempt_at, sent_at)
        values (${p1}, ${row.sender}, ${row.channel}, ${row.channel === 'nemsms' ? 'nemsms' : 'new_mail'},
          ${row.channel === 'email' ? 'p1@example.dk' : '+4520000001'}, 'Du har ny post', ${`stats-test-${index}`},
          ${row.state}, ${row.sent ?? '2026-05-02T08:00:00Z'}, ${row.sent ?? '2026-05-02T08:00:00Z'}, ${row.sent})
      `.execute(db);
    }
  }
  return { notifications, senders: { municipality: kk, state: st } };
}
