import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { memoXml, tarOf } from '../../../test/support/batches.ts';
import { createPerson, createSender, letterBody, tinyPdf } from '../../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { issueTestToken } from '../../../test/support/machine-login.ts';
import { personWithContacts } from '../../../test/support/notify-fixtures.ts';
import { planMessage } from './plan-message.ts';

const EXEMPT = '0101901235';
const EXEMPT_NO_ADDRESS = '0202901234';
const UNKNOWN = '0303901233';
const CEASED_CVR = '29190623';
const ACTIVE_CVR = '43554204';
const EMAIL = 'anna.plan@example.dk';
const MOBILE = '+4512345678';

let kuvert: TestKuvert;
let sender: Awaited<ReturnType<typeof createSender>>;
let anna: { cpr: string | null };

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  const { db } = kuvert.services;
  sender = await createSender(db, 'Planlægning Kommune');
  anna = await personWithContacts(db, { email: EMAIL, mobile: MOBILE }, new Date(), 'Anna Plan');
  await createPerson(db, EXEMPT, 'Bo Papir', 'exempted');
  await createPerson(db, EXEMPT_NO_ADDRESS, 'Carl Uden Adresse', 'exempted');
  await db
    .updateTable('recipient')
    .set({ address_lines: ['Vestergade 1'], postcode: '6700', city: 'Esbjerg' })
    .where('cpr', 'in', [anna.cpr as string, EXEMPT])
    .execute();
  await db
    .insertInto('recipient')
    .values([
      { kind: 'business', cvr: CEASED_CVR, name: 'Lukket ApS', enrolment: 'closed', closed_reason: 'ceased' },
      { kind: 'business', cvr: ACTIVE_CVR, name: 'Åben A/S', enrolment: 'automatic' },
    ])
    .execute();
  // The sender's follow-ups: a reminder after 3 days, paper after 10 if still unread.
  await db
    .insertInto('notify_sender_default')
    .values({ sender_id: sender.id, label_in_notification: false, remind_after_days: 3, print_after_days: 10 })
    .execute();
});
after(async () => kuvert?.stop());

async function post(route: string, body: unknown, key = sender.apiKey) {
  const response = await fetch(`${kuvert.url}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.clone().text(), body: (await response.json()) as any };
}

const plan = (body: unknown, key?: string) => post('/api/v1/messages/plan', body, key);
const caller = () => ({ senderId: sender.id, apiKeyId: sender.apiKeyId });

describe('the plan of one letter', () => {
  test('an enrolled person at night: digital; e-mail after the coalescing window, SMS at 08:00; reminder and print-if-unread dates', async () => {
    // 23:30 in Copenhagen (winter, UTC+1): inside the SMS quiet hours.
    const now = new Date('2026-12-08T22:30:00Z');
    const result = await planMessage(kuvert.services, caller(), letterBody(anna.cpr as string) as never, now);
    assert.equal(result.channel, 'digital');
    assert.equal(result.reason, 'enrolled');
    assert.equal(result.failure, null);
    assert.equal(result.deliveryAt.toISOString(), now.toISOString());
    assert.equal(result.scheduled, false);
    const iso = (n: { channel: string; purpose: string; at: Date }) =>
      `${n.purpose} ${n.channel} ${n.at.toISOString()}`;
    assert.deepEqual(result.notifications.map(iso), [
      'new_mail email 2026-12-08T22:35:00.000Z', // + KUVERT_NOTIFY_COALESCE_SECONDS (300)
      'new_mail sms 2026-12-09T07:00:00.000Z', // quiet hours: 08:00 Copenhagen time
      'reminder email 2026-12-11T22:30:00.000Z',
      'reminder sms 2026-12-12T07:00:00.000Z',
    ]);
    assert.deepEqual(
      result.escalation.map((e) => [e.action, e.at.toISOString()]),
      [
        ['remind', '2026-12-11T22:30:00.000Z'],
        ['print_if_unread', '2026-12-18T22:30:00.000Z'],
      ],
    );
  });

  test("the letter's own escalation plan decides the steps; a plan name the sender does not have is refused as at sending", async () => {
    const now = new Date('2026-12-08T10:00:00Z');
    const body = letterBody(anna.cpr as string, {
      escalation: {
        steps: [
          { action: 'remind', afterDays: 2, channels: ['sms'] },
          { action: 'notify_sender', afterDays: 5 },
          { action: 'print_if_unread', afterDays: 7 },
        ],
      },
    });
    const result = await planMessage(kuvert.services, caller(), body as never, now);
    assert.deepEqual(
      result.escalation.map((e) => [e.action, e.afterDays, e.at.toISOString()]),
      [
        ['remind', 2, '2026-12-10T10:00:00.000Z'],
        ['notify_sender', 5, '2026-12-13T10:00:00.000Z'],
        ['print_if_unread', 7, '2026-12-15T10:00:00.000Z'],
      ],
    );
    // Only the SMS the step asks for: no e-mail reminder.
    assert.deepEqual(
      result.notifications.filter((n) => n.purpose === 'reminder').map((n) => n.channel),
      ['sms'],
    );
    const unknown = await plan(letterBody(anna.cpr as string, { escalation: { plan: 'no-such-plan' } }));
    const sent = await post(
      '/api/v1/messages',
      letterBody(anna.cpr as string, { escalation: { plan: 'no-such-plan' } }),
    );
    assert.equal(unknown.status, 422, unknown.text);
    assert.equal(sent.status, 422, sent.text);
    assert.equal(unknown.body.code, 'escalation_unknown_plan');
    assert.deepEqual([unknown.body.code, unknown.body.field], [sent.body.code, sent.body.field]);
  });

  test('by day the SMS goes with the e-mail; over HTTP the plan shows channel kinds, never the address or the name', async () => {
    const day = await planMessage(
      kuvert.services,
      caller(),
      letterBody(anna.cpr as string) as never,
      new Date('2026-12-08T10:00:00Z'),
    );
    assert.deepEqual(
      day.notifications.filter((n) => n.purpose === 'new_mail').map((n) => [n.channel, n.at.toISOString()]),
      [
        ['email', '2026-12-08T10:05:00.000Z'],
        ['sms', '2026-12-08T10:05:00.000Z'],
      ],
    );
    const answer = await plan(letterBody(anna.cpr as string));
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.channel, 'digital');
    assert.equal(answer.body.recipient, `${(anna.cpr as string).slice(0, 6)}-****`);
    assert.deepEqual(
      answer.body.notifications.map((n: { channel: string }) => n.channel),
      ['email', 'sms', 'email', 'sms'],
    );
    for (const secret of [EMAIL, MOBILE, 'Anna Plan', anna.cpr as string, 'Vestergade']) {
      assert.ok(!answer.text.includes(secret), `the plan must not reveal ${secret}`);
    }
  });

  test('an exempted person: print, no notifications; mandatory: none, recipient_not_digital at delivery', async () => {
    const paper = await plan(letterBody(EXEMPT));
    assert.equal(paper.status, 200, paper.text);
    assert.equal(paper.body.channel, 'print');
    assert.equal(paper.body.reason, 'exempted');
    assert.deepEqual(paper.body.notifications, []);
    assert.deepEqual(paper.body.escalation, []);
    const mandatory = await plan(letterBody(EXEMPT, { mandatory: true }));
    assert.equal(mandatory.body.channel, 'none');
    assert.equal(mandatory.body.reason, 'exempted');
    assert.deepEqual(mandatory.body.failure, { code: 'recipient_not_digital', stage: 'delivery' });
  });

  test('an exempted person without a postal address: none, no_postal_address at print', async () => {
    const answer = await plan(letterBody(EXEMPT_NO_ADDRESS));
    assert.equal(answer.body.channel, 'none');
    assert.equal(answer.body.reason, 'no_postal_address');
    assert.deepEqual(answer.body.failure, { code: 'no_postal_address', stage: 'print' });
  });

  test('an unknown person and a ceased business fail at intake; an active business is digital', async () => {
    const unknown = await plan(letterBody(UNKNOWN));
    assert.equal(unknown.status, 200, unknown.text);
    assert.equal(unknown.body.channel, 'none');
    assert.deepEqual(unknown.body.failure, { code: 'unknown_recipient', stage: 'intake' });
    const ceased = await plan({ ...letterBody(UNKNOWN), recipient: { cvr: CEASED_CVR } });
    assert.equal(ceased.body.channel, 'none');
    assert.equal(ceased.body.reason, 'business_ceased');
    assert.deepEqual(ceased.body.failure, { code: 'recipient_closed', stage: 'intake' });
    assert.equal(ceased.body.recipient, CEASED_CVR);
    const active = await plan({ ...letterBody(UNKNOWN), recipient: { cvr: ACTIVE_CVR } });
    assert.equal(active.body.channel, 'digital');
    // The same facts the real send meets: it refuses the unknown and the ceased with the same codes.
    const sent = await post('/api/v1/messages', letterBody(UNKNOWN));
    assert.equal(sent.body.code, 'unknown_recipient');
    const sentCeased = await post('/api/v1/messages', { ...letterBody(UNKNOWN), recipient: { cvr: CEASED_CVR } });
    assert.equal(sentCeased.body.code, 'recipient_closed');
  });

  test('doNotDeliverUntil: delivered at 00:00 Copenhagen time that day, and notified from then', async () => {
    const answer = await plan(letterBody(anna.cpr as string, { doNotDeliverUntil: '2099-06-01' }));
    assert.equal(answer.body.scheduled, true);
    assert.equal(answer.body.deliveryAt, '2099-05-31T22:00:00.000Z'); // summer time, UTC+2
    assert.equal(answer.body.notifications[0].at, '2099-05-31T22:05:00.000Z');
    assert.equal(answer.body.escalation[0].at, '2099-06-03T22:00:00.000Z');
  });

  test('the documents may be left out; a letter already sent is already_sent, other content under its uuid a conflict', async () => {
    const { documents: _, ...noDocuments } = letterBody(anna.cpr as string);
    const bare = await plan(noDocuments);
    assert.equal(bare.status, 200, bare.text);
    assert.equal(bare.body.channel, 'digital');
    const messageUuid = randomUUID();
    const body = letterBody(anna.cpr as string, { messageUuid });
    assert.equal((await post('/api/v1/messages', body)).status, 201);
    const again = await plan(body);
    assert.equal(again.body.reason, 'already_sent');
    assert.equal(again.body.failure, null);
    const other = await plan({ ...body, label: 'Et andet brev' });
    assert.deepEqual(other.body.failure, { code: 'message_uuid_conflict', stage: 'intake' });
  });
});

describe('validation is the send’s own', () => {
  const bad: [string, unknown][] = [
    ['an invalid CPR number', letterBody('3201901234')],
    ['an unknown field', letterBody(EXEMPT, { colour: 'blue' })],
    ['no label', { recipient: { cpr: EXEMPT }, documents: letterBody(EXEMPT).documents }],
    [
      'no main document',
      letterBody(EXEMPT, { documents: [{ ...letterBody(EXEMPT).documents[0], role: 'additional' }] }),
    ],
    [
      'a document that is not what it says',
      letterBody(EXEMPT, {
        documents: [{ ...letterBody(EXEMPT).documents[0], content: Buffer.from('hello').toString('base64') }],
      }),
    ],
    ['a bad doNotDeliverUntil', letterBody(EXEMPT, { doNotDeliverUntil: '2026-02-30' })],
    [
      'a NemSMS with a link',
      { recipient: { cpr: EXEMPT }, label: 'SMS', messageType: 'NEMSMS', notification: 'Se https://x.dk' },
    ],
  ];
  for (const [name, body] of bad) {
    test(`${name}: the same status and problem as POST /api/v1/messages`, async () => {
      const sent = await post('/api/v1/messages', body);
      const planned = await plan(body);
      assert.ok(sent.status >= 400 && sent.status < 500, `${sent.status} ${sent.text}`);
      assert.equal(planned.status, sent.status);
      assert.deepEqual(planned.body, sent.body);
    });
  }
});

describe('who may plan', () => {
  test('a system without recipients:reachability is refused 403 insufficient_scope; with both scopes it plans', async () => {
    const sendOnly = await issueTestToken(kuvert, { senderId: sender.id, scopes: ['messages:send'] });
    const refused = await plan(letterBody(EXEMPT), sendOnly.accessToken);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'insufficient_scope');
    const refusedBatch = await fetch(`${kuvert.url}/api/v1/batches/plan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sendOnly.accessToken}`, 'content-type': 'application/x-ndjson' },
      body: '{}\n',
    });
    assert.equal(refusedBatch.status, 403);
    const both = await issueTestToken(kuvert, {
      senderId: sender.id,
      scopes: ['messages:send', 'recipients:reachability'],
    });
    assert.equal((await plan(letterBody(EXEMPT), both.accessToken)).status, 200);
    assert.equal((await plan(letterBody(EXEMPT), 'kuv_live_nonsense')).status, 401);
  });

  test('a test key: routed for real, sent to nobody (no notifications, no follow-ups)', async () => {
    const testCaller = { ...caller(), test: true };
    const result = await planMessage(kuvert.services, testCaller, letterBody(anna.cpr as string) as never);
    assert.equal(result.channel, 'digital');
    assert.equal(result.test, true);
    assert.deepEqual(result.notifications, []);
    assert.deepEqual(result.escalation, []);
  });
});

async function planNdjson(lines: string[]) {
  const response = await fetch(`${kuvert.url}/api/v1/batches/plan`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/x-ndjson' },
    body: lines.join('\n'),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const line = (cpr: string, overrides: Record<string, unknown> = {}) =>
  JSON.stringify(letterBody(cpr, { messageUuid: randomUUID(), ...overrides }));

describe('the plan of a batch', () => {
  test('NDJSON: every line answered by its line number, bad lines with the batch’s error codes', async () => {
    const repeated = line(EXEMPT);
    const answer = await planNdjson([
      line(anna.cpr as string),
      '',
      '{not json',
      repeated,
      line('3201901234'),
      line(UNKNOWN),
      repeated,
      JSON.stringify({ ...JSON.parse(repeated), label: 'Andet' }),
      line(EXEMPT_NO_ADDRESS),
    ]);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.items, 8);
    const summary = answer.body.lines.map((l: any) => [l.line, l.plan ? l.plan.channel : l.error.code]);
    assert.deepEqual(summary, [
      [1, 'digital'],
      [3, 'malformed_json'],
      [4, 'print'],
      [5, 'invalid_cpr'],
      [6, 'none'],
      [7, 'none'],
      [8, 'message_uuid_conflict'],
      [9, 'none'],
    ]);
    assert.equal(answer.body.lines[4].plan.failure.code, 'unknown_recipient');
    assert.equal(answer.body.lines[5].plan.reason, 'already_sent');
    assert.equal(answer.body.lines[7].plan.reason, 'no_postal_address');
    assert.deepEqual(answer.body.counts, { digital: 1, print: 1, nemsms: 0, none: 3, invalid: 3 });
  });

  test('a later line may name an earlier line’s document by sha256, as in a batch; an unknown one is refused', async () => {
    const first = JSON.parse(line(EXEMPT));
    const sha256 = createHash('sha256').update(Buffer.from(first.documents[0].content, 'base64')).digest('hex');
    const byHash = { ...first.documents[0], content: undefined, sha256 };
    const answer = await planNdjson([
      JSON.stringify(
        letterBody(EXEMPT, { messageUuid: randomUUID(), documents: [{ ...byHash, sha256: 'f'.repeat(64) }] }),
      ),
      JSON.stringify(first),
      JSON.stringify(letterBody(EXEMPT, { messageUuid: randomUUID(), documents: [byHash] })),
    ]);
    assert.deepEqual(
      answer.body.lines.map((l: any) => (l.plan ? l.plan.channel : l.error.code)),
      ['unknown_document', 'print', 'print'],
    );
  });

  test('a tar.gz of MeMo files: each file answered by its number and name; a broken file by its MeMo error', async () => {
    const archive = await tarOf(
      [
        ['post/1.xml', memoXml(randomUUID(), anna.cpr as string)],
        ['post/2.xml', '<not memo'],
        ['post/3.xml', memoXml(randomUUID(), EXEMPT)],
      ],
      true,
    );
    const response = await fetch(`${kuvert.url}/api/v1/batches/plan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/gzip' },
      body: archive,
    });
    const answer = (await response.json()) as any;
    assert.equal(response.status, 200, JSON.stringify(answer));
    assert.deepEqual(
      answer.lines.map((l: any) => [l.line, l.entry, l.plan ? l.plan.channel : 'error']),
      [
        [1, 'post/1.xml', 'digital'],
        [2, 'post/2.xml', 'error'],
        [3, 'post/3.xml', 'print'],
      ],
    );
    assert.deepEqual(readdirSafe(path.join(kuvert.services.config.dataDir, 'plans')), [], 'the spool is removed');
  });

  test('a CSV mailing: answered by data row; a bad row by the batch’s code; the shared PDF is not stored', async () => {
    const form = new FormData();
    form.append(
      'template',
      JSON.stringify({
        batchKey: `plan-${randomUUID()}`,
        label: 'Ejendomsskat for {{adresse}}',
        document: { title: 'Opkrævning', filename: 'opkraevning.pdf', mediaType: 'application/pdf' },
      }),
    );
    const csv = `cpr;adresse\n${anna.cpr};Vestergade 1\n3201901234;Ukendt\n${EXEMPT};Torvet 2\n${EXEMPT};\n`;
    form.append('recipients', new Blob([csv], { type: 'text/csv' }), 'modtagere.csv');
    // A PDF no other test sends, so the store can be asked whether the plan kept it.
    const pdf = Buffer.concat([tinyPdf, Buffer.from('% plan only\n')]);
    form.append('document', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'a.pdf');
    const response = await fetch(`${kuvert.url}/api/v1/batches/plan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sender.apiKey}` },
      body: form,
    });
    const answer = (await response.json()) as any;
    assert.equal(response.status, 200, JSON.stringify(answer));
    assert.deepEqual(
      answer.lines.map((l: any) => [l.line, l.plan ? l.plan.channel : l.error.code]),
      [
        [1, 'digital'],
        [2, 'invalid_cpr'],
        [3, 'print'],
        [4, 'missing_merge_value'],
      ],
    );
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    await assert.rejects(kuvert.services.documents.get(sha256), { code: 'ENOENT' });
    const rows = await kuvert.services.db
      .selectFrom('document')
      .select('sha256')
      .where('sha256', '=', sha256)
      .execute();
    assert.deepEqual(rows, []);
  });

  test('one MeMo letter plans as it sends', async () => {
    const response = await fetch(`${kuvert.url}/api/v1/messages/plan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/xml' },
      body: memoXml(randomUUID(), EXEMPT),
    });
    const answer = (await response.json()) as any;
    assert.equal(response.status, 200, JSON.stringify(answer));
    assert.equal(answer.channel, 'print');
  });

  test('more than 1,000 items: 413 too_many_items as it streams', async () => {
    const body = Array.from({ length: 1001 }, () => '{}');
    const answer = await planNdjson(body);
    assert.equal(answer.status, 413);
    assert.equal(answer.body.code, 'too_many_items');
    assert.equal(answer.body.limitItems, 1000);
  });
});

describe('storing nothing', () => {
  test('plans leave every table’s row count as it was, queue no job and leave no file', async () => {
    const { db } = kuvert.services;
    const counts = async () => {
      const tables = await sql<{ schema: string; name: string }>`
        select table_schema as schema, table_name as name from information_schema.tables
        where table_type = 'BASE TABLE' and table_schema in ('public', 'graphile_worker')
        order by 1, 2
      `.execute(db);
      const out: Record<string, number> = {};
      for (const t of tables.rows) {
        const row = await sql<{
          n: string;
        }>`select count(*)::text as n from ${sql.table(`${t.schema}.${t.name}`)}`.execute(db);
        out[`${t.schema}.${t.name}`] = Number(row.rows[0]?.n);
      }
      return out;
    };
    const before = await counts();
    assert.ok(Object.keys(before).includes('public.message'));
    assert.ok(
      Object.keys(before).some((t) => t.startsWith('graphile_worker.')),
      'the job tables are counted',
    );
    assert.equal((await plan(letterBody(anna.cpr as string))).status, 200);
    assert.equal((await plan(letterBody(EXEMPT, { messageUuid: randomUUID() }))).status, 200);
    assert.equal((await plan(letterBody(UNKNOWN))).status, 200);
    assert.equal((await plan(letterBody('3201901234'))).status, 422);
    assert.equal((await planNdjson([line(anna.cpr as string), line(EXEMPT), 'x'])).status, 200);
    const tar = await fetch(`${kuvert.url}/api/v1/batches/plan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/x-tar' },
      body: await tarOf([['1.xml', memoXml(randomUUID(), anna.cpr as string)]]),
    });
    assert.equal(tar.status, 200);
    assert.deepEqual(await counts(), before);
    const plans = path.join(kuvert.services.config.dataDir, 'plans');
    assert.deepEqual(readdirSafe(plans), []);
  });
});

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
