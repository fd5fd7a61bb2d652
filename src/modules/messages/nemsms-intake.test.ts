import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createPerson, createSender, letterBody, tinyPdf } from '../../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { nextCpr, personWithContacts } from '../../../test/support/notify-fixtures.ts';
import { type SmppPeer, startSmppPeer } from '../../../test/support/notify-peers.ts';
import { sendDueNotifications } from '../notify/send-notifications.ts';
import { deliverBatchChunk } from './batches/deliver-batch-chunk.ts';
import { processBatch } from './batches/process-batch.ts';
import { deliverMessage } from './deliver-message.ts';

/** The official MeMo NemSMS example, as Digital Post publishes it (placeholder recipient "Recipient ID"). */
const MEMO_EXAMPLE = readFileSync(new URL('../../../test/fixtures/memo/MeMo_NemSMS.v12.xml', import.meta.url), 'utf8');

// 10:00 in Copenhagen (winter time): inside SMS hours, so a NemSMS goes at once.
const MORNING = new Date('2026-12-02T09:00:00Z');

type Json = any;

let kuvert: TestKuvert;
let smppPeer: SmppPeer;
let sender: Awaited<ReturnType<typeof createSender>>;

before(async () => {
  smppPeer = await startSmppPeer();
  // No worker: the test drives routing and sending with its own clock, as src/modules/notify/notify.test.ts does.
  kuvert = await startTestKuvert({
    worker: false,
    env: {
      KUVERT_SMS_TRANSPORT: 'smpp',
      KUVERT_SMPP_URL: `smpp://kuvert:secret@127.0.0.1:${smppPeer.port}`,
    },
  });
  sender = await createSender(kuvert.services.db, 'Tandplejen Aarhus');
});

after(async () => {
  await kuvert?.stop();
  await smppPeer?.stop();
});

const smsTo = (number: string) => smppPeer.messages.filter((m) => `+${m.to}` === number).map((m) => m.text);

async function post(path: string, body: string, contentType: string, key = sender.apiKey) {
  const response = await fetch(`${kuvert.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
    body,
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: (await response.json()) as Json,
  };
}
const sendJson = (body: unknown) => post('/api/v1/messages', JSON.stringify(body), 'application/json');
const sendMemo = (xml: string) => post('/api/v1/messages', xml, 'application/xml');

async function get(path: string) {
  const response = await fetch(`${kuvert.url}${path}`, { headers: { authorization: `Bearer ${sender.apiKey}` } });
  return { status: response.status, text: await response.text() };
}

/** A JSON NemSMS: label and text, nothing else. */
const nemSmsBody = (cpr: string, notification: string | undefined, extra: Record<string, unknown> = {}) => ({
  messageType: 'NEMSMS',
  recipient: { cpr },
  label: 'Påmindelse om tandpleje',
  ...(notification === undefined ? {} : { notification }),
  ...extra,
});

/** A person who opted in to NemSMS and has a confirmed mobile (confirmed the day before `at`). */
async function optedIn(mobile: string, at: Date, enrolment: 'automatic' | 'exempted' = 'automatic') {
  const db = kuvert.services.db;
  const person = await personWithContacts(db, { mobile }, at);
  await db.insertInto('notify_preference').values({ recipient_id: person.id, nemsms: true }).execute();
  if (enrolment !== 'automatic') {
    await db
      .updateTable('recipient')
      .set({ enrolment, exemption_ground: 'other' })
      .where('id', '=', person.id)
      .execute();
  }
  return person;
}

/** Where a message ended: its row, its event types, the reason of a NEMSMS_REJECTED and whether print has it. */
async function outcome(id: string) {
  const db = kuvert.services.db;
  const message = await db
    .selectFrom('message')
    .select(['status', 'message_type', 'available_at', 'rejected_reason'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const events = await db
    .selectFrom('message_event_expanded')
    .select(['type', 'data'])
    .where('message_id', '=', id)
    .orderBy('id')
    .execute();
  const printJobs = await db.selectFrom('print_job').select('message_id').where('message_id', '=', id).execute();
  const rejected = events.find((e) => e.type === 'NEMSMS_REJECTED')?.data as { reason?: string } | undefined;
  return { ...message, events: events.map((e) => e.type), rejectedReason: rejected?.reason, printed: printJobs.length };
}

async function messageCount() {
  return (
    await kuvert.services.db
      .selectFrom('message')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
  ).n;
}

const memoFor = (cpr: string, text = 'Message Text') =>
  MEMO_EXAMPLE.replace('fcdcf318-59b6-427c-9879-4f0af833d593', randomUUID())
    .replace('<memo:recipientID>Recipient ID</memo:recipientID>', `<memo:recipientID>${cpr}</memo:recipientID>`)
    .replace('<memo:notification>Message Text</memo:notification>', `<memo:notification>${text}</memo:notification>`);

describe('NemSMS through POST /api/v1/messages (JSON)', () => {
  test('reaches an opted-in citizen’s confirmed mobile with the exact text, never the mailbox or print', async () => {
    // One enrolled citizen and one exempted from Digital Post: a NemSMS is for whoever opted in, whatever the mailbox.
    const enrolled = await optedIn('+4521000001', MORNING);
    const exempted = await optedIn('+4521000002', MORNING, 'exempted');
    const text = 'Husk din tid i tandplejen tirsdag kl. 9.30. Mvh Tandplejen Aarhus';
    const ids: string[] = [];
    for (const person of [enrolled, exempted]) {
      const sent = await sendJson(nemSmsBody(person.cpr as string, text));
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      ids.push(sent.body.id);
      await deliverMessage(kuvert.services, { messageId: sent.body.id }, MORNING);
    }
    await sendDueNotifications(kuvert.services, MORNING);
    assert.deepEqual(smsTo('+4521000001'), [text]);
    assert.deepEqual(smsTo('+4521000002'), [text]);
    for (const id of ids) {
      const o = await outcome(id);
      assert.equal(o.message_type, 'NEMSMS');
      assert.equal(o.available_at, null, 'never in the mailbox');
      assert.equal(o.printed, 0, 'never printed');
      assert.ok(!o.events.includes('AVAILABLE_TO_RECIPIENT'));
      assert.ok(o.events.includes('NEMSMS_SENT'), o.events.join());
    }

    // The sender sees a NemSMS without documents, and can have it as MeMo: NEMSMS with no MessageBody.
    const status = JSON.parse((await get(`/api/v1/messages/${ids[0]}`)).text);
    assert.equal(status.messageType, 'NEMSMS');
    assert.equal(status.notification, text);
    assert.deepEqual(status.documents, []);
    const memo = await get(`/api/v1/messages/${ids[0]}/memo`);
    assert.equal(memo.status, 200, memo.text);
    assert.match(memo.text, /<memo:messageType>NEMSMS<\/memo:messageType>/);
    assert.ok(!memo.text.includes('MessageBody'));
  });

  test('to a citizen who did not opt in, or has no confirmed mobile, it ends NEMSMS_REJECTED with the reason', async () => {
    const db = kuvert.services.db;
    const notOptedIn = await personWithContacts(db, { mobile: '+4521000003' }, MORNING);
    const noMobile = await createPerson(db, nextCpr(), 'Uden Mobil');
    await db.insertInto('notify_preference').values({ recipient_id: noMobile.id, nemsms: true }).execute();
    const reasons = [];
    for (const person of [notOptedIn, noMobile]) {
      const sent = await sendJson(nemSmsBody(person.cpr as string, 'Husk din tid.'));
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      await deliverMessage(kuvert.services, { messageId: sent.body.id }, MORNING);
      const o = await outcome(sent.body.id);
      assert.equal(o.status, 'rejected');
      assert.equal(o.printed, 0);
      reasons.push(o.rejectedReason);
    }
    await sendDueNotifications(kuvert.services, MORNING);
    assert.deepEqual(smsTo('+4521000003'), []);
    assert.deepEqual(reasons, ['recipient_not_opted_in', 'no_confirmed_mobile']);
  });

  test('an unknown or closed recipient is refused as for letters, nothing stored', async () => {
    const closed = await createPerson(kuvert.services.db, nextCpr(), 'Lukket Postkasse', 'closed');
    const before = await messageCount();
    const unknown = await sendJson(nemSmsBody(nextCpr(), 'Husk din tid.'));
    assert.equal(unknown.status, 422, JSON.stringify(unknown.body));
    assert.equal(unknown.body.code, 'unknown_recipient');
    const refused = await sendJson(nemSmsBody(closed.cpr as string, 'Husk din tid.'));
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'recipient_closed');
    assert.equal(refused.body.errors[0].field, '/recipient/cpr');
    assert.equal(await messageCount(), before);
  });

  const document = {
    title: 'Indkaldelse',
    filename: 'indkaldelse.pdf',
    mediaType: 'application/pdf',
    content: tinyPdf.toString('base64'),
  };
  const refusals: [string, (cpr: string) => unknown, number, string, string][] = [
    [
      'a text with a link',
      (cpr) => nemSmsBody(cpr, 'Se din tid på https://tandplejen.dk/tid'),
      422,
      'nemsms_link',
      '/notification',
    ],
    [
      'a text with a bare web address',
      (cpr) => nemSmsBody(cpr, 'Se mere på tandplejen.dk'),
      422,
      'nemsms_link',
      '/notification',
    ],
    ['no text', (cpr) => nemSmsBody(cpr, undefined), 422, 'nemsms_text_missing', '/notification'],
    ['a text of blanks', (cpr) => nemSmsBody(cpr, '   '), 422, 'nemsms_text_missing', '/notification'],
    [
      'documents',
      (cpr) => nemSmsBody(cpr, 'Husk din tid.', { documents: [document] }),
      422,
      'nemsms_documents',
      '/documents',
    ],
    [
      'actions',
      (cpr) => nemSmsBody(cpr, 'Husk din tid.', { actions: [{ actionCode: 'BEKRAEFT', label: 'Bekræft' }] }),
      422,
      'nemsms_actions',
      '/actions',
    ],
    [
      'a reply option',
      (cpr) => nemSmsBody(cpr, 'Husk din tid.', { replyAllowed: true }),
      422,
      'nemsms_reply',
      '/replyAllowed',
    ],
    [
      'legal notification',
      (cpr) => nemSmsBody(cpr, 'Husk din tid.', { legalNotification: true }),
      422,
      'nemsms_legal_notification',
      '/legalNotification',
    ],
    // MeMo caps notification at 150 characters, below the SMS's 160: the same schema rule as for letters refuses it.
    ['a text over 150 characters', (cpr) => nemSmsBody(cpr, 'x'.repeat(151)), 400, 'invalid_field', '/notification'],
    [
      'an unknown messageType',
      (cpr) => nemSmsBody(cpr, 'Husk.', { messageType: 'SMS' }),
      400,
      'invalid_field',
      '/messageType',
    ],
    // A letter still needs its documents, answered as before.
    [
      'a DIGITALPOST without documents',
      (cpr) => ({ ...letterBody(cpr), documents: undefined, messageType: 'DIGITALPOST' }),
      400,
      'invalid_field',
      '/documents',
    ],
  ];
  for (const [name, body, status, code, field] of refusals) {
    test(`a NemSMS with ${name} → ${status} ${code} on ${field}, nothing stored`, async () => {
      const person = await optedIn(`+45219${String(Math.floor(Math.random() * 100000)).padStart(5, '0')}`, MORNING);
      const before = await messageCount();
      const r = await sendJson(body(person.cpr as string));
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.equal(r.type, 'application/problem+json; charset=utf-8');
      assert.equal(r.body.code, code);
      assert.equal(r.body.errors?.[0]?.field, field, JSON.stringify(r.body));
      assert.ok(r.body.detail.length > 15, 'the detail explains the refusal');
      assert.equal(await messageCount(), before);
    });
  }

  test('a 150-character text (the most MeMo allows) is accepted and sent whole', async () => {
    const person = await optedIn('+4521000004', MORNING);
    const text = 'Husk din tid i tandplejen tirsdag kl. 9.30, og tag dit sygesikringskort med.'.padEnd(150, '!');
    assert.equal(text.length, 150);
    const sent = await sendJson(nemSmsBody(person.cpr as string, text));
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    await deliverMessage(kuvert.services, { messageId: sent.body.id }, MORNING);
    await sendDueNotifications(kuvert.services, MORNING);
    assert.deepEqual(smsTo('+4521000004'), [text]);
  });
});

describe('NemSMS to a mailbox closed after intake', () => {
  test('ends FAILED recipient_closed when it is routed, by either path, and no SMS is sent', async () => {
    const db = kuvert.services.db;
    const single = await optedIn('+4521000011', MORNING);
    const inBatch = await optedIn('+4521000012', MORNING);
    const sent = await sendJson(nemSmsBody(single.cpr as string, 'Husk din tid i morgen.'));
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const batchUuid = randomUUID();
    const queued = await post(
      '/api/v1/batches',
      JSON.stringify(nemSmsBody(inBatch.cpr as string, 'Husk din tid i morgen.', { messageUuid: batchUuid })),
      'application/x-ndjson',
    );
    assert.equal(queued.status, 202, JSON.stringify(queued.body));
    await processBatch(kuvert.services, { batchId: queued.body.id });
    const batchMessage = await db
      .selectFrom('message')
      .select('id')
      .where('message_uuid', '=', batchUuid)
      .executeTakeFirstOrThrow();
    // Both mailboxes close before routing runs.
    await db.updateTable('recipient').set({ enrolment: 'closed' }).where('id', 'in', [single.id, inBatch.id]).execute();
    await deliverMessage(kuvert.services, { messageId: sent.body.id }, MORNING);
    await deliverBatchChunk(kuvert.services, { messageIds: [batchMessage.id] });
    await sendDueNotifications(kuvert.services, MORNING);
    for (const id of [sent.body.id as string, batchMessage.id]) {
      const o = await outcome(id);
      assert.equal(o.status, 'rejected', id);
      assert.equal(o.rejected_reason, 'recipient_closed', id);
      assert.ok(o.events.includes('FAILED'), id);
    }
    assert.deepEqual(smsTo('+4521000011'), []);
    assert.deepEqual(smsTo('+4521000012'), []);
  });
});

describe('NemSMS as MeMo', () => {
  test('the official example as published is still refused for its placeholder recipient', async () => {
    const r = await sendMemo(MEMO_EXAMPLE);
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.equal(r.body.code, 'memo_recipient_invalid');
  });

  test('the official example, addressed to a real citizen, is accepted and ends as an SMS or NEMSMS_REJECTED', async () => {
    const withMobile = await optedIn('+4521000005', MORNING);
    const notOptedIn = await personWithContacts(kuvert.services.db, { mobile: '+4521000006' }, MORNING);
    const ids: string[] = [];
    for (const person of [withMobile, notOptedIn]) {
      const sent = await sendMemo(memoFor(person.cpr as string));
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      ids.push(sent.body.id);
      await deliverMessage(kuvert.services, { messageId: sent.body.id }, MORNING);
    }
    await sendDueNotifications(kuvert.services, MORNING);
    assert.deepEqual(smsTo('+4521000005'), ['Message Text']);
    assert.deepEqual(smsTo('+4521000006'), []);
    const [sms, rejected] = [await outcome(ids[0] as string), await outcome(ids[1] as string)];
    assert.ok(sms.events.includes('NEMSMS_SENT'));
    assert.equal(sms.available_at, null);
    assert.equal(rejected.status, 'rejected');
    assert.equal(rejected.rejectedReason, 'recipient_not_opted_in');
    assert.equal(rejected.available_at, null);
    const status = JSON.parse((await get(`/api/v1/messages/${ids[0]}`)).text);
    assert.equal(status.memoVersion, '1.2');
    assert.equal(status.label, 'Label Text');
  });

  test('a MeMo NemSMS with a link, a MessageBody, no text, a reply option or legal notification is refused naming the MeMo element', async () => {
    const person = await optedIn('+4521000007', MORNING);
    const before = await messageCount();
    const link = await sendMemo(memoFor(person.cpr as string, 'Book tid på www.tandplejen.dk'));
    assert.equal(link.status, 422, JSON.stringify(link.body));
    assert.equal(link.body.code, 'nemsms_link');
    assert.equal(link.body.errors[0].field, '/MessageHeader/notification');
    const body = memoFor(person.cpr as string).replace(
      '</memo:MessageHeader>',
      `</memo:MessageHeader>
	<memo:MessageBody>
		<memo:createdDateTime>2026-12-01T10:00:00Z</memo:createdDateTime>
		<memo:MainDocument>
			<memo:label>Indkaldelse</memo:label>
			<memo:File>
				<memo:encodingFormat>application/pdf</memo:encodingFormat>
				<memo:filename>indkaldelse.pdf</memo:filename>
				<memo:language>da</memo:language>
				<memo:content>${tinyPdf.toString('base64')}</memo:content>
			</memo:File>
		</memo:MainDocument>
	</memo:MessageBody>`,
    );
    const withBody = await sendMemo(body);
    assert.equal(withBody.status, 422, JSON.stringify(withBody.body));
    assert.equal(withBody.body.code, 'nemsms_documents');
    assert.equal(withBody.body.errors[0].field, '/MessageBody');
    const header = (element: string) => (xml: string) =>
      xml.replace('</memo:notification>', `</memo:notification>\n\t\t${element}`);
    const refusals: [(xml: string) => string, string, string][] = [
      [
        (xml) => xml.replace(/\s*<memo:notification>.*<\/memo:notification>/, ''),
        'nemsms_text_missing',
        '/MessageHeader/notification',
      ],
      [
        header('<memo:legalNotification>true</memo:legalNotification>'),
        'nemsms_legal_notification',
        '/MessageHeader/legalNotification',
      ],
      [header('<memo:reply>true</memo:reply>'), 'nemsms_reply', '/MessageHeader/reply'],
    ];
    for (const [change, code, field] of refusals) {
      const refused = await sendMemo(change(memoFor(person.cpr as string)));
      assert.equal(refused.status, 422, JSON.stringify(refused.body));
      assert.equal(refused.body.code, code);
      assert.equal(refused.body.errors[0].field, field);
    }
    assert.equal(await messageCount(), before);
  });
});

describe('NemSMS in an NDJSON batch', () => {
  test('a NemSMS item is delivered by SMS; bad NemSMS items fail with their code and field', async () => {
    const now = new Date();
    // Exempted from Digital Post, opted in to NemSMS: the SMS still goes, never print.
    const hans = await optedIn('+4521000008', now, 'exempted');
    const enrolled = await optedIn('+4521000009', now);
    const closed = await createPerson(kuvert.services.db, nextCpr(), 'Lukket', 'closed');
    const uuids = Array.from({ length: 6 }, () => randomUUID());
    const lines = [
      nemSmsBody(hans.cpr as string, 'Husk vaccination i morgen kl. 10.', { messageUuid: uuids[0] }),
      nemSmsBody(enrolled.cpr as string, 'Husk vaccination i morgen kl. 11.', { messageUuid: uuids[1] }),
      nemSmsBody(hans.cpr as string, 'Læs mere på https://vaccination.dk', { messageUuid: uuids[2] }),
      nemSmsBody(hans.cpr as string, 'Husk.', {
        messageUuid: uuids[3],
        documents: [
          { title: 'x', filename: 'x.pdf', mediaType: 'application/pdf', content: tinyPdf.toString('base64') },
        ],
      }),
      nemSmsBody(closed.cpr as string, 'Husk.', { messageUuid: uuids[4] }),
      nemSmsBody(hans.cpr as string, undefined, { messageUuid: uuids[5] }),
    ];
    const submitted = await post(
      '/api/v1/batches',
      lines.map((l) => JSON.stringify(l)).join('\n'),
      'application/x-ndjson',
    );
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    // The worker's job, run here.
    await processBatch(kuvert.services, { batchId: submitted.body.id });
    const batch = JSON.parse((await get(`/api/v1/batches/${submitted.body.id}`)).text);
    assert.equal(batch.counts.accepted, 2, JSON.stringify(batch));
    assert.equal(batch.counts.failed, 4);
    const errors = JSON.parse((await get(`/api/v1/batches/${submitted.body.id}/errors`)).text).errors;
    assert.deepEqual(
      errors.map((e: Json) => [e.line, e.code, e.field]),
      [
        [3, 'nemsms_link', '/notification'],
        [4, 'nemsms_documents', '/documents'],
        [5, 'recipient_closed', '/recipient/cpr'],
        [6, 'nemsms_text_missing', '/notification'],
      ],
    );

    const rows = await kuvert.services.db
      .selectFrom('message')
      .select(['id', 'message_uuid', 'status'])
      .where('message_uuid', 'in', [uuids[0] as string, uuids[1] as string])
      .orderBy('message_uuid')
      .execute();
    assert.equal(rows.length, 2);
    for (const row of rows) assert.equal(row.status, 'received', 'not routed to the mailbox by the insert');
    // process-batch queued them for deliver-batch-chunk; those jobs, run here, hand them to the NemSMS channel.
    const jobs = await sql<{ payload: { messageIds: string[] } }>`
      select payload from graphile_worker._private_jobs
      where payload::jsonb->'messageIds' ?| ${rows.map((r) => r.id)}::text[]
    `.execute(kuvert.services.db);
    assert.deepEqual(
      jobs.rows.flatMap((j) => j.payload.messageIds).sort(),
      rows.map((r) => r.id).sort(),
      'both NemSMS are queued for routing',
    );
    for (const job of jobs.rows) await deliverBatchChunk(kuvert.services, job.payload);
    // Sent when the SMS is due (now, or 08:00 if this runs in the quiet hours).
    const due = await kuvert.services.db
      .selectFrom('notification')
      .select(['next_attempt_at'])
      .where(
        'message_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    assert.equal(due.length, 2, 'one SMS per NemSMS');
    const at = new Date(Math.max(...due.map((d) => new Date(d.next_attempt_at).getTime())));
    await sendDueNotifications(kuvert.services, at);
    assert.deepEqual(smsTo('+4521000008'), ['Husk vaccination i morgen kl. 10.']);
    assert.deepEqual(smsTo('+4521000009'), ['Husk vaccination i morgen kl. 11.']);
    for (const row of rows) {
      const o = await outcome(row.id);
      assert.ok(o.events.includes('NEMSMS_SENT'), o.events.join());
      assert.equal(o.available_at, null, 'never in the mailbox');
      assert.equal(o.printed, 0, 'never printed');
    }
  });
});
