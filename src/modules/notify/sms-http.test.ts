import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { createSender } from '../../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { minutes, personWithContacts, sendAndDeliver } from '../../../test/support/notify-fixtures.ts';
import { type SmsGatewayPeer, startSmsGatewayPeer } from '../../../test/support/sms-http-peer.ts';
import { sendDueNotifications } from './send-notifications.ts';
import { sweepPendingNotifications } from './sweep-new-mail.ts';

// 10:00 in Copenhagen: SMS may be sent.
const MORNING = new Date('2026-12-02T09:00:00Z');

let kuvert: TestKuvert;
let gateway: SmsGatewayPeer;
let sender: Awaited<ReturnType<typeof createSender>>;
let mobileSerial = 0;

before(async () => {
  gateway = await startSmsGatewayPeer();
  kuvert = await startTestKuvert({
    worker: false,
    env: {
      KUVERT_SMS_TRANSPORT: 'http',
      KUVERT_SMS_HTTP_URL: gateway.url,
      KUVERT_SMS_HTTP_TOKEN: 'gateway-token',
      // A held answer counts as no answer after this long (the test never waits on it otherwise).
      KUVERT_SMS_HTTP_TIMEOUT_MS: '300',
      KUVERT_SMS_FROM: 'Kuvert',
      KUVERT_NOTIFY_COALESCE_SECONDS: '0',
      KUVERT_NOTIFY_RETRY_BASE_SECONDS: '30',
    },
  });
  sender = await createSender(kuvert.services.db, 'SMS Kommune');
});

after(async () => {
  await kuvert?.stop();
  await gateway?.stop();
});

beforeEach(async () => {
  gateway.release();
  await gateway.start(); // after a test that stopped it
});

/** A person with a confirmed mobile number and one new letter; returns the number and the SMS notification's id. */
async function letterFor(at: Date) {
  const mobile = `+45${String(20_000_000 + ++mobileSerial)}`;
  const person = await personWithContacts(kuvert.services.db, { mobile }, at);
  await sendAndDeliver(kuvert, sender.apiKey, person.cpr as string, at);
  await sweepPendingNotifications(kuvert.services, at);
  const row = await kuvert.services.db
    .selectFrom('notification')
    .select(['id', 'dedup_key'])
    .where('recipient_id', '=', person.id)
    .where('channel', '=', 'sms')
    .executeTakeFirstOrThrow();
  return { mobile, person, notificationId: row.id, key: row.dedup_key };
}

const notification = (id: string) =>
  kuvert.services.db.selectFrom('notification').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const requestsFor = (key: string) => gateway.requests.filter((r) => r.key === key);

test('a send the gateway accepts: one request with the key, the token and the text; the notification is sent', async () => {
  const { mobile, notificationId, key } = await letterFor(MORNING);
  const result = await sendDueNotifications(kuvert.services, minutes(MORNING, 1));
  assert.ok(result.sent >= 1);
  const sent = await notification(notificationId);
  assert.equal(sent.state, 'sent');
  assert.equal(sent.provider_id, `sms-${key}`, 'the id from the answer is kept for receipts');
  const [request, ...more] = requestsFor(key);
  assert.equal(more.length, 0);
  assert.equal(request?.authorization, 'Bearer gateway-token');
  assert.equal(request?.body.to, mobile);
  assert.equal(request?.body.from, 'Kuvert');
  assert.equal(request?.body.reference, key);
  assert.match(request?.body.text ?? '', /\S/);
});

test('a number the gateway refuses (422) fails at once and is not tried again; the contact is marked failing', async () => {
  const { mobile, person, notificationId, key } = await letterFor(MORNING);
  gateway.reject.add(mobile);
  await sendDueNotifications(kuvert.services, minutes(MORNING, 1));
  const failed = await notification(notificationId);
  assert.equal(failed.state, 'failed');
  assert.match(failed.last_error ?? '', /422/);
  // Later runs leave it alone.
  await sendDueNotifications(kuvert.services, minutes(MORNING, 120));
  assert.equal(requestsFor(key).length, 1);
  const contact = await kuvert.services.db
    .selectFrom('contact_detail')
    .select('failing_since')
    .where('recipient_id', '=', person.id)
    .executeTakeFirstOrThrow();
  assert.ok(contact.failing_since, 'the number is marked failing');
});

test('a send whose answer never comes is retried with the same key; a de-duplicating gateway sends one SMS', async () => {
  const { mobile, notificationId, key } = await letterFor(MORNING);
  gateway.hold = true; // the gateway sends the SMS, but its answer is lost
  const first = await sendDueNotifications(kuvert.services, minutes(MORNING, 1));
  assert.equal(first.sent, 0);
  const waiting = await notification(notificationId);
  assert.equal(waiting.state, 'queued', 'a timeout is a temporary failure');
  assert.match(waiting.last_error ?? '', /SMS gateway/);
  assert.equal(gateway.sent.has(key), true, 'the gateway did send it');

  gateway.release();
  await sendDueNotifications(kuvert.services, minutes(MORNING, 10));
  const sent = await notification(notificationId);
  assert.equal(sent.state, 'sent');
  assert.equal(sent.attempts, 2);
  const asked = gateway.requests.filter((r) => r.body.to === mobile);
  assert.equal(asked.length, 2, 'asked twice');
  assert.deepEqual(
    asked.map((r) => r.key),
    [key, key],
    'with the same Idempotency-Key both times',
  );
  const smsTo = [...gateway.sent.values()].filter((r) => r.body.to === mobile);
  assert.equal(smsTo.length, 1, 'one SMS at the gateway');
  // Nothing left to send for it.
  await sendDueNotifications(kuvert.services, minutes(MORNING, 120));
  assert.equal(requestsFor(key).length, 2);
});

test('a gateway that is down (connection refused) is retried after the backoff, and the SMS goes out once it is back', async () => {
  const { notificationId, key } = await letterFor(MORNING);
  await gateway.stop();
  const first = await sendDueNotifications(kuvert.services, minutes(MORNING, 1));
  assert.equal(first.retried, 1);
  const waiting = await notification(notificationId);
  assert.equal(waiting.state, 'queued');
  assert.ok(waiting.next_attempt_at > minutes(MORNING, 1), 'retried later, not at once');
  assert.equal(requestsFor(key).length, 0);

  // Before the backoff has passed nothing is tried.
  await gateway.start();
  await sendDueNotifications(kuvert.services, minutes(MORNING, 1));
  assert.equal(requestsFor(key).length, 0);

  await sendDueNotifications(kuvert.services, minutes(MORNING, 5));
  const sent = await notification(notificationId);
  assert.equal(sent.state, 'sent');
  assert.equal(requestsFor(key).length, 1);
  assert.equal(gateway.sent.has(key), true);
});
