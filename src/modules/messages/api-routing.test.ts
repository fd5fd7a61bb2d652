import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createPerson, createSender, letterBody, tinyPdf } from '../../../test/support/fixtures.ts';
import { eventually, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { createSession } from '../identity/session.ts';
import { deliverMessage } from './deliver-message.ts';

const ANNA = '1503851234'; // enrolled
const BO = '0101901235'; // exempted
const CHILD = '0101151237'; // under 15, not enrolled
const DITTE = '2409441238'; // enrolled, closed later
const EMIL = '1112801239'; // closed

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let kuvert: TestKuvert;
let sender: Awaited<ReturnType<typeof createSender>>;
let anna: { id: string };

before(async () => {
  kuvert = await startTestKuvert();
  sender = await createSender(kuvert.services.db, 'Esbjerg Kommune');
  anna = await createPerson(kuvert.services.db, ANNA, 'Anna Jensen');
  await createPerson(kuvert.services.db, BO, 'Bo Hansen', 'exempted');
  await createPerson(kuvert.services.db, CHILD, 'Lille Lise', 'not_enrolled');
  await createPerson(kuvert.services.db, DITTE, 'Ditte Holm');
  await createPerson(kuvert.services.db, EMIL, 'Emil Berg', 'closed');
});
after(async () => kuvert?.stop());

async function send(body: unknown) {
  const response = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function status(id: string) {
  const response = await fetch(`${kuvert.url}/api/v1/messages/${id}`, {
    headers: { authorization: `Bearer ${sender.apiKey}` },
  });
  return (await response.json()) as any;
}

/** Sends and waits until the worker has routed the letter (any status past received). */
async function sendAndRoute(body: unknown) {
  const sent = await send(body);
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  return eventually(async () => {
    const s = await status(sent.body.id);
    return s.status !== 'received' ? s : null;
  });
}

const types = (s: { events: { type: string }[] }) => s.events.map((e) => e.type);

describe('routing at delivery time', () => {
  test('enrolled → the mailbox: available, AVAILABLE_TO_RECIPIENT', async () => {
    const s = await sendAndRoute(letterBody(ANNA));
    assert.equal(s.status, 'available');
    assert.ok(s.availableAt);
    assert.deepEqual(types(s), ['RECEIVED', 'VALIDATED', 'AVAILABLE_TO_RECIPIENT']);
  });

  test('exempted → remote print: print_queued, PRINT_QUEUED, never in the mailbox', async () => {
    const s = await sendAndRoute(letterBody(BO));
    assert.equal(s.status, 'print_queued');
    assert.equal(s.availableAt, null);
    assert.deepEqual(types(s), ['RECEIVED', 'VALIDATED', 'PRINT_QUEUED']);
  });

  test('not enrolled (under 15) → remote print', async () => {
    const s = await sendAndRoute(letterBody(CHILD));
    assert.equal(s.status, 'print_queued');
  });

  test('mandatory to an exempted recipient → FAILED recipient_not_digital: it never falls back to paper', async () => {
    const s = await sendAndRoute(letterBody(BO, { mandatory: true }));
    assert.equal(s.status, 'rejected');
    assert.equal(s.rejectedReason, 'recipient_not_digital');
    assert.equal(s.mandatory, true);
    assert.deepEqual(types(s), ['RECEIVED', 'VALIDATED', 'FAILED']);
    assert.deepEqual(s.events[2].data, { reason: 'recipient_not_digital' });
  });

  test('mandatory to a child who is not enrolled → FAILED recipient_not_digital', async () => {
    const s = await sendAndRoute(letterBody(CHILD, { mandatory: true }));
    assert.equal(s.rejectedReason, 'recipient_not_digital');
  });

  test('mandatory to an enrolled recipient → the mailbox as usual', async () => {
    const s = await sendAndRoute(letterBody(ANNA, { mandatory: true }));
    assert.equal(s.status, 'available');
  });

  test('a closed mailbox is refused at intake (422 recipient_closed), storing nothing', async () => {
    const sent = await send(letterBody(EMIL));
    assert.equal(sent.status, 422);
    assert.equal(sent.body.code, 'recipient_closed');
  });

  test('legal notification: delivered as usual, and served (LEGALLY_NOTIFIED) when first opened', async () => {
    const s = await sendAndRoute(letterBody(ANNA, { legalNotification: true }));
    assert.equal(s.status, 'available');
    assert.equal(s.legalNotification, true);
    const { sessionId, csrfToken } = await createSession(
      kuvert.services.db,
      { kind: 'citizen', subject: 'test-anna', name: 'Anna Jensen', recipientId: anna.id },
      null,
    );
    const cookie = `kuvert_session=${sessionId}`;
    // The recipient is told first: looking at the notice serves nothing.
    const notice = await fetch(`${kuvert.url}/post/${s.id}`, { headers: { cookie } });
    assert.equal(notice.status, 200);
    assert.deepEqual(types(await status(s.id)), ['RECEIVED', 'VALIDATED', 'AVAILABLE_TO_RECIPIENT']);
    // Opening it with the button serves it, once.
    for (let i = 0; i < 2; i++) {
      const opened = await fetch(`${kuvert.url}/post/${s.id}/aabn`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrfToken }).toString(),
        redirect: 'manual',
      });
      assert.equal(opened.status, 303);
    }
    const read = await status(s.id);
    assert.deepEqual(types(read), ['RECEIVED', 'VALIDATED', 'AVAILABLE_TO_RECIPIENT', 'READ', 'LEGALLY_NOTIFIED']);
  });
});

describe('do not deliver until', () => {
  test('a future date: scheduled for 00:00 Copenhagen time, not in the mailbox until then, then delivered', async () => {
    const sent = await send(letterBody(ANNA, { doNotDeliverUntil: '2099-07-01' }));
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const s = await status(sent.body.id);
    assert.equal(s.status, 'scheduled');
    assert.equal(s.doNotDeliverUntil, '2099-07-01');
    assert.equal(s.scheduledFor, '2099-06-30T22:00:00.000Z', 'midnight in Copenhagen summer time (UTC+2)');
    assert.equal(s.availableAt, null);
    const job = await sql<{ run_at: Date }>`
      select run_at from graphile_worker._private_jobs where payload->>'messageId' = ${sent.body.id}
    `.execute(kuvert.services.db);
    assert.equal(job.rows[0]?.run_at.toISOString(), '2099-06-30T22:00:00.000Z');

    // Run early (say, by hand): nothing happens.
    await deliverMessage(kuvert.services, { messageId: sent.body.id }, new Date('2099-06-30T21:59:00Z'));
    assert.equal((await status(sent.body.id)).status, 'scheduled');
    // Due: delivered.
    await deliverMessage(kuvert.services, { messageId: sent.body.id }, new Date('2099-06-30T22:00:00Z'));
    const delivered = await status(sent.body.id);
    assert.equal(delivered.status, 'available');
    assert.equal(delivered.availableAt, '2099-06-30T22:00:00.000Z');
  });

  test('winter dates are midnight at UTC+1', async () => {
    const sent = await send(letterBody(ANNA, { doNotDeliverUntil: '2099-01-15' }));
    assert.equal((await status(sent.body.id)).scheduledFor, '2099-01-14T23:00:00.000Z');
  });

  test('a date that has passed delivers at once', async () => {
    const s = await sendAndRoute(letterBody(ANNA, { doNotDeliverUntil: '2020-01-01' }));
    assert.equal(s.status, 'available');
    assert.equal(s.doNotDeliverUntil, '2020-01-01');
  });

  test('routing happens at delivery time: a mailbox closed while the letter waited → FAILED recipient_closed', async () => {
    const sent = await send(letterBody(DITTE, { doNotDeliverUntil: '2099-03-01' }));
    assert.equal(sent.status, 201);
    await kuvert.services.db.updateTable('recipient').set({ enrolment: 'closed' }).where('cpr', '=', DITTE).execute();
    await deliverMessage(kuvert.services, { messageId: sent.body.id }, new Date('2099-03-02T00:00:00Z'));
    const s = await status(sent.body.id);
    assert.equal(s.status, 'rejected');
    assert.equal(s.rejectedReason, 'recipient_closed');
    assert.deepEqual(s.events.at(-1), {
      type: 'FAILED',
      occurredAt: s.events.at(-1).occurredAt,
      data: { reason: 'recipient_closed' },
    });
  });
});

describe('the JSON message model', () => {
  test('flags, document roles and actions are stored and shown in the status', async () => {
    const body = letterBody(ANNA, {
      notification: 'Du har fået en afgørelse',
      replyAllowed: true,
      replyBy: '2099-02-01T12:00:00+01:00',
      postType: 'MYNDIGHEDSPOST',
      documents: [
        {
          title: 'Afgørelse',
          filename: 'afgoerelse.pdf',
          mediaType: 'application/pdf',
          content: tinyPdf.toString('base64'),
        },
        {
          title: 'Kort',
          filename: 'kort.png',
          mediaType: 'image/png',
          content: PNG.toString('base64'),
          role: 'additional',
        },
        {
          title: 'Data',
          filename: 'data.txt',
          mediaType: 'text/plain',
          content: Buffer.from('{"sag": 1}').toString('base64'),
          role: 'technical',
          language: 'en',
        },
      ],
      actions: [
        { actionCode: 'BETALING', label: 'Betal nu', url: 'https://betaling.example.dk/123' },
        {
          actionCode: 'AFTALE',
          label: 'Møde',
          document: 1,
          reservation: {
            description: 'Samtale',
            reservationUuid: '6f1c4c2e-3c1f-4f7a-9a43-3f2a0c3c9b10',
            abstract: 'Samtale om sagen',
            location: 'Rådhuset',
            startDateTime: '2099-02-10T09:00:00Z',
            endDateTime: '2099-02-10T10:00:00Z',
          },
        },
        { actionCode: 'BEKRAEFT', label: 'Bekræft modtagelse' },
      ],
    });
    const s = await sendAndRoute(body);
    assert.equal(s.notification, 'Du har fået en afgørelse');
    assert.equal(s.replyAllowed, true);
    assert.equal(s.replyBy, '2099-02-01T11:00:00.000Z');
    assert.equal(s.postType, 'MYNDIGHEDSPOST');
    assert.equal(s.messageType, 'DIGITALPOST');
    assert.equal(s.memoVersion, null);
    assert.deepEqual(
      s.documents.map((d: any) => [d.role, d.mediaType, d.language]),
      [
        ['main', 'application/pdf', 'da'],
        ['additional', 'image/png', 'da'],
        ['technical', 'text/plain', 'en'],
      ],
    );
    assert.deepEqual(
      s.actions.map((a: any) => [a.actionCode, a.document, a.url, a.status]),
      [
        ['BETALING', 0, 'https://betaling.example.dk/123', null],
        ['AFTALE', 1, null, null],
        ['BEKRAEFT', 0, null, 'pending'],
      ],
    );
    assert.equal(s.actions[1].reservation.reservationUUID, '6f1c4c2e-3c1f-4f7a-9a43-3f2a0c3c9b10');
  });

  test('each allowed type is accepted when its content matches: HTML (kept as sent), PNG, JPEG, GIF', async () => {
    const html = '<!doctype html><p>Hej <script>alert(1)</script></p>';
    const docs = [
      { title: 'Brev', filename: 'brev.html', mediaType: 'text/html', content: Buffer.from(html).toString('base64') },
      { title: 'Billede', filename: 'a.png', mediaType: 'image/png', content: PNG.toString('base64') },
      {
        title: 'Foto',
        filename: 'a.jpg',
        mediaType: 'image/jpeg',
        content: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]).toString('base64'),
      },
      {
        title: 'Gif',
        filename: 'a.gif',
        mediaType: 'image/gif',
        content: Buffer.from('GIF89a\x01\x00').toString('base64'),
      },
    ];
    const sent = await send(letterBody(ANNA, { documents: docs }));
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const s = await eventually(async () => {
      const r = await status(sent.body.id);
      return r.status === 'available' ? r : null;
    });
    const stored = await kuvert.services.documents.get(s.documents[0].sha256);
    assert.equal(stored.toString('utf8'), html);
    // Until the mailbox sanitises HTML, it is served sandboxed: no script, no forms, nothing from outside.
    const { sessionId } = await createSession(
      kuvert.services.db,
      { kind: 'citizen', subject: 'test-anna', name: 'Anna Jensen', recipientId: anna.id },
      null,
    );
    const served = await fetch(`${kuvert.url}/post/${s.id}/dokumenter/0`, {
      headers: { cookie: `kuvert_session=${sessionId}` },
    });
    assert.equal(served.status, 200);
    assert.match(served.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(served.headers.get('content-security-policy') ?? '', /^sandbox; default-src 'none'/);
  });
});
