import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSender } from '../../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { days, minutes, personWithContacts, sendAndDeliver } from '../../../test/support/notify-fixtures.ts';
import {
  mailSubject,
  mailText,
  type SmppPeer,
  type SmtpPeer,
  startSmppPeer,
  startSmtpPeer,
} from '../../../test/support/notify-peers.ts';
import { runFollowups } from './followups.ts';
import { checkNotificationTransports } from './health.ts';
import { sendDueNotifications } from './send-notifications.ts';
import { sweepPendingNotifications } from './sweep-new-mail.ts';

// 10:00 in Copenhagen (winter time, UTC+1).
const MORNING = new Date('2026-12-02T09:00:00Z');
// 22:30 in Copenhagen.
const NIGHT = new Date('2026-12-02T21:30:00Z');

let kuvert: TestKuvert;
let smtp: SmtpPeer;
let smppPeer: SmppPeer;

before(async () => {
  smtp = await startSmtpPeer();
  smppPeer = await startSmppPeer();
  kuvert = await startTestKuvert({
    worker: false,
    env: {
      KUVERT_EMAIL_TRANSPORT: 'smtp',
      KUVERT_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      KUVERT_SMS_TRANSPORT: 'smpp',
      KUVERT_SMPP_URL: `smpp://kuvert:secret@127.0.0.1:${smppPeer.port}`,
      KUVERT_NOTIFY_COALESCE_SECONDS: '300',
      KUVERT_NOTIFY_RETRY_BASE_SECONDS: '30',
    },
  });
});

after(async () => {
  await kuvert.services.notifications.close();
  await kuvert.stop();
  await smtp.stop();
  await smppPeer.stop();
});

const mailsTo = (address: string) => smtp.messages.filter((m) => m.to.includes(address));
const smsTo = (number: string) => smppPeer.messages.filter((m) => `+${m.to}` === number);

/** Sweeps and sends at `at`, as the jobs would. */
async function runNotifyJobs(at: Date) {
  await sweepPendingNotifications(kuvert.services, at);
  return sendDueNotifications(kuvert.services, at);
}

describe('new-mail notifications', () => {
  test('several letters within the window give one e-mail and one SMS, with the senders and a link', async () => {
    const db = kuvert.services.db;
    const skat = await createSender(db, 'Skattestyrelsen');
    const kommune = await createSender(db, 'Odense Kommune');
    const anna = await personWithContacts(db, { email: 'anna.coalesce@example.dk', mobile: '+4520000001' }, MORNING);
    await sendAndDeliver(kuvert, skat.apiKey, anna.cpr as string, MORNING);
    await sendAndDeliver(kuvert, kommune.apiKey, anna.cpr as string, minutes(MORNING, 1));
    await sendAndDeliver(kuvert, skat.apiKey, anna.cpr as string, minutes(MORNING, 2));

    await runNotifyJobs(minutes(MORNING, 4));
    assert.equal(mailsTo('anna.coalesce@example.dk').length, 0, 'nothing before the window has passed');

    await runNotifyJobs(minutes(MORNING, 5));
    const mails = mailsTo('anna.coalesce@example.dk');
    assert.equal(mails.length, 1, 'one e-mail for three letters');
    const text = mailText(mails[0]!);
    assert.match(text, /3 nye breve i Digital Post fra Skattestyrelsen og Odense Kommune/);
    assert.ok(text.includes(`${kuvert.services.config.publicUrl}/post`), 'links to the mailbox');
    assert.match(mailSubject(mails[0]!), /Du har fået ny Digital Post/);
    const sms = smsTo('+4520000001');
    assert.equal(sms.length, 1, 'one SMS for three letters');
    assert.ok(sms[0]!.text.length <= 160);
    assert.match(sms[0]!.text, /3 nye breve i Digital Post/);

    // A letter after the notification starts a new window: one more notification, not a repeat of the old one.
    await sendAndDeliver(kuvert, skat.apiKey, anna.cpr as string, minutes(MORNING, 10));
    await runNotifyJobs(minutes(MORNING, 16));
    await runNotifyJobs(minutes(MORNING, 17));
    assert.equal(mailsTo('anna.coalesce@example.dk').length, 2);
    assert.match(mailText(mailsTo('anna.coalesce@example.dk')[1]!), /ny Digital Post fra Skattestyrelsen\./);
    const rows = await db.selectFrom('notification').selectAll().where('recipient_id', '=', anna.id).execute();
    assert.equal(rows.length, 4);
    assert.ok(rows.every((r) => r.state === 'sent' && r.sent_at !== null));
  });

  test('notifications never carry the label or content unless the sender marks the label as not sensitive', async () => {
    const db = kuvert.services.db;
    const sender = await createSender(db, 'Familieretshuset');
    const bo = await personWithContacts(db, { email: 'bo.private@example.dk', mobile: '+4520000002' }, MORNING);
    const secret = 'Afgørelse om anbringelse uden samtykke';
    await sendAndDeliver(kuvert, sender.apiKey, bo.cpr as string, MORNING, {
      label: secret,
      notification: 'Din sag om anbringelse',
    });
    await runNotifyJobs(minutes(MORNING, 6));
    const mail = mailsTo('bo.private@example.dk');
    assert.equal(mail.length, 1);
    const all = `${mailSubject(mail[0]!)}\n${mailText(mail[0]!)}\n${smsTo('+4520000002')
      .map((s) => s.text)
      .join('\n')}`;
    assert.ok(!all.includes('anbringelse'), 'neither label nor sender notification text leaks');
    assert.match(all, /Familieretshuset/);

    // A label the sender marks as not sensitive may be shown, in the person's language.
    await db.insertInto('notify_preference').values({ recipient_id: bo.id, language: 'en' }).execute();
    const id = await sendAndDeliver(kuvert, sender.apiKey, bo.cpr as string, minutes(MORNING, 30), {
      label: 'Your new health card',
    });
    const put = await fetch(`${kuvert.url}/api/v1/messages/${id}/notification`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ labelInNotification: true }),
    });
    assert.equal(put.status, 204);
    await runNotifyJobs(minutes(MORNING, 36));
    const second = mailText(mailsTo('bo.private@example.dk')[1]!);
    assert.match(second, /You have new Digital Post from Familieretshuset/);
    assert.match(second, /Subject: Your new health card/);

    // Another sender cannot change this letter's options.
    const other = await createSender(db, 'Anden Myndighed');
    const denied = await fetch(`${kuvert.url}/api/v1/messages/${id}/notification`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${other.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ labelInNotification: true }),
    });
    assert.equal(denied.status, 404);
  });

  test('a person who wants only e-mail gets no SMS', async () => {
    const db = kuvert.services.db;
    const sender = await createSender(db);
    const carl = await personWithContacts(db, { email: 'carl@example.dk', mobile: '+4520000003' }, MORNING);
    await db.insertInto('notify_preference').values({ recipient_id: carl.id, by_sms: false }).execute();
    await sendAndDeliver(kuvert, sender.apiKey, carl.cpr as string, MORNING);
    await runNotifyJobs(minutes(MORNING, 6));
    assert.equal(mailsTo('carl@example.dk').length, 1);
    assert.equal(smsTo('+4520000003').length, 0);
  });
});

describe('quiet hours', () => {
  test('SMS wait until 08:00 Copenhagen time; e-mail goes at once; urgent SMS go at night', async () => {
    const db = kuvert.services.db;
    const sender = await createSender(db);
    const dora = await personWithContacts(db, { email: 'dora@example.dk', mobile: '+4520000004' }, NIGHT);
    await sendAndDeliver(kuvert, sender.apiKey, dora.cpr as string, NIGHT);
    await runNotifyJobs(minutes(NIGHT, 6));
    assert.equal(mailsTo('dora@example.dk').length, 1, 'e-mail any time');
    assert.equal(smsTo('+4520000004').length, 0, 'no SMS at 22:36');
    await sendDueNotifications(kuvert.services, new Date('2026-12-03T06:59:00Z'));
    assert.equal(smsTo('+4520000004').length, 0, 'no SMS at 07:59');
    await sendDueNotifications(kuvert.services, new Date('2026-12-03T07:00:00Z'));
    assert.equal(smsTo('+4520000004').length, 1, 'the SMS at 08:00');

    const erik = await personWithContacts(db, { mobile: '+4520000005' }, NIGHT);
    const id = await sendAndDeliver(kuvert, sender.apiKey, erik.cpr as string, NIGHT);
    const put = await fetch(`${kuvert.url}/api/v1/messages/${id}/notification`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ urgent: true }),
    });
    assert.equal(put.status, 204);
    await runNotifyJobs(minutes(NIGHT, 6));
    assert.equal(smsTo('+4520000005').length, 1, 'urgent: at 22:36');
  });
});

describe('reliability', () => {
  test('with the SMTP peer down for 5 minutes, every queued e-mail arrives once after it returns', async () => {
    const db = kuvert.services.db;
    const sender = await createSender(db);
    const start = new Date('2026-12-04T10:00:00Z');
    const people = [];
    for (let i = 0; i < 12; i++) {
      people.push(await personWithContacts(db, { email: `outage${i}@example.dk` }, start));
    }
    for (const person of people) await sendAndDeliver(kuvert, sender.apiKey, person.cpr as string, start);

    await smtp.stop();
    const health = await checkNotificationTransports(kuvert.services);
    assert.equal(health.email.state, 'degraded', 'the status page sees the e-mail transport degraded');

    await sweepPendingNotifications(kuvert.services, minutes(start, 5));
    // The outage: the clock moves in 15-second steps for 5 minutes; every attempt fails and is retried later.
    let clock = minutes(start, 5);
    const outageEnds = minutes(start, 10);
    while (clock < outageEnds) {
      const result = await sendDueNotifications(kuvert.services, clock);
      assert.equal(result.sent, 0);
      clock = new Date(clock.getTime() + 15_000);
    }
    const waiting = await db
      .selectFrom('notification')
      .select(['state', 'attempts'])
      .where('address', 'like', 'outage%')
      .execute();
    assert.equal(waiting.length, 12);
    assert.ok(
      waiting.every((n) => n.state === 'queued' && n.attempts >= 3),
      'queued with backoff, none lost',
    );

    await smtp.start();
    for (let i = 0; i < 40; i++) {
      await sendDueNotifications(kuvert.services, clock);
      clock = new Date(clock.getTime() + 15_000);
    }
    for (const person of people) {
      const index = people.indexOf(person);
      assert.equal(mailsTo(`outage${index}@example.dk`).length, 1, `outage${index} got exactly one e-mail`);
    }
    const ids = smtp.messages.filter((m) => m.to[0]?.startsWith('outage')).map((m) => m.messageId);
    assert.equal(new Set(ids).size, 12, 'distinct Message-IDs (the de-duplication keys)');
    const done = await db.selectFrom('notification').select('state').where('address', 'like', 'outage%').execute();
    assert.ok(done.every((n) => n.state === 'sent'));
    assert.equal((await checkNotificationTransports(kuvert.services)).email.state, 'operational');

    // Running the sender again sends nothing twice.
    await sendDueNotifications(kuvert.services, days(clock, 1));
    assert.equal(smtp.messages.filter((m) => m.to[0]?.startsWith('outage')).length, 12);
  });

  test('a bounce or an invalid number marks the contact detail failing and stops using it', async () => {
    const db = kuvert.services.db;
    const sender = await createSender(db);
    const fie = await personWithContacts(db, { email: 'gone@example.dk', mobile: '+4520000099' }, MORNING);
    smtp.reject.add('gone@example.dk');
    smppPeer.invalid.add('4520000099');
    await sendAndDeliver(kuvert, sender.apiKey, fie.cpr as string, MORNING);
    await runNotifyJobs(minutes(MORNING, 6));
    const rows = await db
      .selectFrom('notification')
      .select(['state', 'channel'])
      .where('recipient_id', '=', fie.id)
      .execute();
    assert.deepEqual(rows.map((r) => r.state).sort(), ['failed', 'failed']);
    const contacts = await db
      .selectFrom('contact_detail')
      .select(['kind', 'failing_since'])
      .where('recipient_id', '=', fie.id)
      .execute();
    assert.ok(
      contacts.every((c) => c.failing_since !== null),
      'both marked failing',
    );

    // The next letter is not notified to failing details.
    await sendAndDeliver(kuvert, sender.apiKey, fie.cpr as string, minutes(MORNING, 20));
    await runNotifyJobs(minutes(MORNING, 26));
    const after = await db.selectFrom('notification').select('id').where('recipient_id', '=', fie.id).execute();
    assert.equal(after.length, 2);
  });
});

describe('reminders and print-if-unread', () => {
  test('a reminder and print come only for unread letters, and stop the moment a letter is read', async () => {
    const db = kuvert.services.db;
    const sender = await createSender(db, 'Udbetaling Danmark');
    const defaults = await fetch(`${kuvert.url}/api/v1/notification-defaults`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ labelInNotification: false, remindAfterDays: 3, printIfUnreadAfterDays: 7 }),
    });
    assert.equal(defaults.status, 200);
    const gitte = await personWithContacts(db, { email: 'gitte@example.dk' }, MORNING);
    const read = await sendAndDeliver(kuvert, sender.apiKey, gitte.cpr as string, MORNING);
    const unread = await sendAndDeliver(kuvert, sender.apiKey, gitte.cpr as string, MORNING);
    await runNotifyJobs(minutes(MORNING, 6));
    const before = mailsTo('gitte@example.dk').length;

    // Gitte reads one letter on day 2.
    await db
      .updateTable('message')
      .set({ first_read_at: days(MORNING, 2) })
      .where('id', '=', read)
      .execute();

    await runFollowups(kuvert.services, days(MORNING, 2.9));
    await sendDueNotifications(kuvert.services, days(MORNING, 2.9));
    assert.equal(mailsTo('gitte@example.dk').length, before, 'no reminder before day 3');

    await runFollowups(kuvert.services, days(MORNING, 3));
    await sendDueNotifications(kuvert.services, days(MORNING, 3));
    const reminders = mailsTo('gitte@example.dk').slice(before);
    assert.equal(reminders.length, 1, 'one reminder: for the unread letter only');
    assert.match(mailText(reminders[0]!), /Påmindelse: Du har ulæst Digital Post fra Udbetaling Danmark/);
    const reminderRow = await db
      .selectFrom('notification')
      .select('message_id')
      .where('purpose', '=', 'reminder')
      .where('recipient_id', '=', gitte.id)
      .executeTakeFirstOrThrow();
    assert.equal(reminderRow.message_id, unread);

    await runFollowups(kuvert.services, days(MORNING, 7));
    const printed = await db
      .selectFrom('print_job')
      .select('message_id')
      .where('message_id', 'in', [read, unread])
      .execute();
    assert.deepEqual(
      printed.map((p) => p.message_id),
      [unread],
      'only the unread letter goes to print',
    );
    const events = await db
      .selectFrom('message_event_expanded')
      .select('type')
      .where('message_id', '=', unread)
      .execute();
    assert.ok(events.some((e) => e.type === 'PRINT_QUEUED'));

    // Reading stops what is still due: a letter read before its reminder gets neither reminder nor print.
    const later = await sendAndDeliver(kuvert, sender.apiKey, gitte.cpr as string, days(MORNING, 10));
    await db
      .updateTable('message')
      .set({ first_read_at: days(MORNING, 11) })
      .where('id', '=', later)
      .execute();
    const count = mailsTo('gitte@example.dk').length;
    await runFollowups(kuvert.services, days(MORNING, 20));
    await sendDueNotifications(kuvert.services, days(MORNING, 20));
    assert.equal(mailsTo('gitte@example.dk').length, count);
    assert.equal(
      (await db.selectFrom('print_job').select('message_id').where('message_id', '=', later).execute()).length,
      0,
    );
  });
});

describe('NemSMS', () => {
  async function nemSms(senderId: string, recipientId: string, text: string) {
    const row = await kuvert.services.db
      .insertInto('message')
      .values({
        sender_id: senderId,
        recipient_id: recipientId,
        message_uuid: crypto.randomUUID(),
        content_hash: 'x',
        label: 'Påmindelse',
        status: 'received',
        message_type: 'NEMSMS',
        notification: text,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    const { deliverMessage } = await import('../messages/deliver-message.ts');
    await deliverMessage(kuvert.services, { messageId: row.id }, MORNING);
    return row.id;
  }
  const eventsOf = async (id: string) =>
    await kuvert.services.db
      .selectFrom('message_event_expanded')
      .select(['type', 'data'])
      .where('message_id', '=', id)
      .orderBy('id')
      .execute();

  test('an opted-in person gets the SMS; the sender sees sent and delivered', async () => {
    const db = kuvert.services.db;
    const sender = await createSender(db, 'Tandplejen');
    const hans = await personWithContacts(db, { mobile: '+4520000010' }, MORNING);
    await db.insertInto('notify_preference').values({ recipient_id: hans.id, nemsms: true }).execute();
    smppPeer.receipts = true;
    const text = 'Husk din tid i tandplejen tirsdag kl. 9.30.';
    const id = await nemSms(sender.id, hans.id, text);
    await sendDueNotifications(kuvert.services, MORNING);
    assert.deepEqual(
      smsTo('+4520000010').map((s) => s.text),
      [text],
    );
    // The receipt comes back over SMPP and becomes NEMSMS_DELIVERED.
    for (let i = 0; i < 50 && !(await eventsOf(id)).some((e) => e.type === 'NEMSMS_DELIVERED'); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    smppPeer.receipts = false;
    const types = (await eventsOf(id)).map((e) => e.type);
    assert.ok(types.includes('NEMSMS_SENT'));
    assert.ok(types.includes('NEMSMS_DELIVERED'));
    const mailbox = await db
      .selectFrom('message')
      .select(['available_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(mailbox.available_at, null, 'never in the mailbox');
  });

  test('NemSMS respects opt-out, and refuses links and long texts', async () => {
    const db = kuvert.services.db;
    const sender = await createSender(db);
    const ida = await personWithContacts(db, { mobile: '+4520000011' }, MORNING);
    const notOptedIn = await nemSms(sender.id, ida.id, 'Husk din tid.');
    await db.insertInto('notify_preference').values({ recipient_id: ida.id, nemsms: true }).execute();
    const link = await nemSms(sender.id, ida.id, 'Se mere på https://example.dk');
    const long = await nemSms(sender.id, ida.id, 'x'.repeat(161));
    // And opting out again after opting in.
    await db.updateTable('notify_preference').set({ nemsms: false }).where('recipient_id', '=', ida.id).execute();
    const optedOut = await nemSms(sender.id, ida.id, 'Husk din tid igen.');
    await sendDueNotifications(kuvert.services, MORNING);
    assert.equal(smsTo('+4520000011').length, 0);
    const reasons = [];
    for (const id of [notOptedIn, link, long, optedOut]) {
      const events = await eventsOf(id);
      const rejected = events.find((e) => e.type === 'NEMSMS_REJECTED');
      reasons.push((rejected?.data as { reason?: string } | undefined)?.reason);
    }
    assert.deepEqual(reasons, ['recipient_not_opted_in', 'nemsms_link', 'nemsms_too_long', 'recipient_not_opted_in']);
  });
});
