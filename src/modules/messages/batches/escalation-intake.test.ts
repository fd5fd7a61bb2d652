import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  type BatchEnv,
  getJson,
  postBatch,
  startBatchEnv,
  waitBatchFinished,
} from '../../../../test/support/batches.ts';
import { createPerson, createSender, letterBody, realMemoFile, tinyPdf } from '../../../../test/support/fixtures.ts';
import { type MemoDocument, parseMemo, toMemoXml } from '../memo/index.ts';

// Escalation plans given with letters in the other intake formats: NDJSON lines, CSV mailings and MeMo (Kuvert's
// extension outside the official schema). The JSON send body, execution and status: notify/escalation.test.ts.

const ANNA = '1503851234';
const DORTE = '0303701237';
const EXAMPLE_CPR = '2211771212'; // the official MeMo examples' recipient

let env: BatchEnv;
let sender: Awaited<ReturnType<typeof createSender>>;

before(async () => {
  env = await startBatchEnv({ worker: true });
  const db = env.services.db;
  sender = await createSender(db, 'Eskaleringsstyrelsen');
  await createPerson(db, ANNA, 'Anna');
  await createPerson(db, DORTE, 'Dorte');
  await createPerson(db, EXAMPLE_CPR, 'Eksempel Modtager');
  const put = await fetch(`${env.url}/api/v1/escalation-plans/standard`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      steps: [
        { action: 'remind', afterDays: 5 },
        { action: 'print_if_unread', afterDays: 20 },
      ],
    }),
  });
  assert.equal(put.status, 200);
});
after(async () => env?.stop());

const planOf = (uuid: string) =>
  env.services.db
    .selectFrom('notify_escalation')
    .innerJoin('message', 'message.id', 'notify_escalation.message_id')
    .select(['notify_escalation.plan_name', 'notify_escalation.source', 'notify_escalation.steps'])
    .where('message.sender_id', '=', sender.id)
    .where('message.message_uuid', '=', uuid)
    .executeTakeFirst();

describe('escalation plans in batches and MeMo', () => {
  test('NDJSON lines carry their own plan or a named one; a line naming an unknown plan fails alone', async () => {
    const [own, named, unknown, mandatoryPrint, none] = Array.from({ length: 5 }, () => randomUUID());
    const line = (uuid: string, escalation: unknown, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ messageUuid: uuid, ...letterBody(ANNA), escalation, ...extra });
    const ndjson = [
      line(own as string, { steps: [{ action: 'notify_sender', afterDays: 3 }] }),
      line(named as string, { plan: 'standard' }),
      line(unknown as string, { plan: 'missing' }),
      line(mandatoryPrint as string, { plan: 'standard' }, { mandatory: true }),
      JSON.stringify({ messageUuid: none, ...letterBody(DORTE) }),
    ].join('\n');
    const submitted = await postBatch(env, sender.apiKey, `${ndjson}\n`, 'application/x-ndjson');
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    const done = await waitBatchFinished(env, sender.apiKey, submitted.body.id);
    assert.equal(done.counts.accepted, 3);
    assert.equal(done.counts.failed, 2);
    const errors = await getJson(env, sender.apiKey, `/api/v1/batches/${submitted.body.id}/errors`);
    assert.deepEqual(
      errors.body.errors.map((e: { line: number; code: string; field: string }) => [e.line, e.code, e.field]),
      [
        [3, 'escalation_unknown_plan', '/escalation/plan'],
        [4, 'escalation_print_mandatory', '/escalation/steps/1/action'],
      ],
    );
    const ownPlan = await planOf(own as string);
    assert.equal(ownPlan?.source, 'letter');
    assert.deepEqual(ownPlan?.steps, [{ action: 'notify_sender', afterDays: 3 }]);
    const namedPlan = await planOf(named as string);
    assert.equal(namedPlan?.plan_name, 'standard');
    assert.equal(namedPlan?.steps.length, 2);
    assert.equal(await planOf(none as string), undefined, 'no plan: no default either');
    // The letters were routed to the mailbox by the insert itself: the plan started at once.
    const started = await env.services.db
      .selectFrom('notify_escalation')
      .select(['next_due_at', 'available_at'])
      .where('plan_name', '=', 'standard')
      .executeTakeFirstOrThrow();
    assert.ok(started.available_at && started.next_due_at, 'due time set at delivery');
    assert.equal(new Date(started.next_due_at).getTime() - new Date(started.available_at).getTime(), 5 * 86_400_000);
  });

  test('a CSV mailing gives every row the template plan, and an escalation_plan column names one per row', async () => {
    const form = new FormData();
    form.append(
      'template',
      JSON.stringify({
        batchKey: `esc-${randomUUID()}`,
        label: 'Opkrævning',
        document: { title: 'Opkrævning', filename: 'o.pdf', mediaType: 'application/pdf' },
        escalation: { steps: [{ action: 'remind', afterDays: 2, channels: ['sms'] }] },
      }),
    );
    form.append('recipients', new Blob([`cpr;escalation_plan\n${ANNA};standard\n${DORTE};\n`], { type: 'text/csv' }));
    form.append('document', new Blob([new Uint8Array(tinyPdf)], { type: 'application/pdf' }), 'o.pdf');
    const submitted = await postBatch(env, sender.apiKey, form);
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    const done = await waitBatchFinished(env, sender.apiKey, submitted.body.id);
    assert.equal(done.counts.accepted, 2, JSON.stringify(done));
    const rows = await env.services.db
      .selectFrom('notify_escalation')
      .innerJoin('message', 'message.id', 'notify_escalation.message_id')
      .innerJoin('recipient', 'recipient.id', 'message.recipient_id')
      .select(['recipient.cpr', 'notify_escalation.plan_name', 'notify_escalation.steps'])
      .where('message.label', '=', 'Opkrævning')
      .orderBy('recipient.cpr')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.cpr, r.plan_name, r.steps[0]?.afterDays]),
      [
        [DORTE, null, 2],
        [ANNA, 'standard', 5],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });

  test('MeMo: a kuvert:escalation element outside the schema gives the plan; a bad one is refused with 422', async () => {
    const { message } = await parseMemo(
      readFileSync(new URL('../../../../test/fixtures/memo/MeMo_Minimum_Example.v12.xml', import.meta.url)),
    );
    const doc = (d: MemoDocument): MemoDocument => ({ ...d, files: d.files.map(realMemoFile) });
    const memo = (extension: string) => {
      const xml = toMemoXml(
        {
          ...message,
          messageUUID: randomUUID(),
          body: message.body && { ...message.body, mainDocument: doc(message.body.mainDocument) },
        },
        '1.2',
      );
      const close = xml.lastIndexOf('</');
      return (xml.slice(0, close) + extension + xml.slice(close)).replace(
        /<([\w]+:)?Message /,
        (m) => `${m}xmlns:kuvert="urn:kuvert:memo-extension:1" `,
      );
    };
    const post = async (xml: string) => {
      const response = await fetch(`${env.url}/api/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/xml' },
        body: xml,
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const sent = await post(
      memo(
        '<kuvert:escalation>\n  <kuvert:step action="remind" afterDays="4" channels="email"/>\n' +
          '  <kuvert:step action="notify_sender" afterDays="9"></kuvert:step>\n</kuvert:escalation>',
      ),
    );
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const status = await getJson(env, sender.apiKey, `/api/v1/messages/${sent.body.id}`);
    assert.deepEqual(
      status.body.escalation.steps.map((s: { action: string; afterDays: number }) => [s.action, s.afterDays]),
      [
        ['remind', 4],
        ['notify_sender', 9],
      ],
    );
    const named = await post(memo('<kuvert:escalation plan="standard"/>'));
    assert.equal(named.status, 201, JSON.stringify(named.body));
    assert.equal(
      (await getJson(env, sender.apiKey, `/api/v1/messages/${named.body.id}`)).body.escalation.plan,
      'standard',
    );

    const bad = await post(
      memo('<kuvert:escalation><kuvert:step action="remind" afterDays="soon"/></kuvert:escalation>'),
    );
    assert.equal(bad.status, 422);
    assert.equal(bad.body.code, 'escalation_invalid_days');
    assert.equal(bad.body.errors[0].field, '/kuvert:escalation/steps/0/afterDays');
    const unknown = await post(memo('<kuvert:escalation plan="nope"/>'));
    assert.equal(unknown.body.code, 'escalation_unknown_plan');
    // Elements of the extension are not MeMo: without the namespace binding the document is invalid MeMo.
    const foreign = await post(memo('<escalation plan="standard"/>'));
    assert.equal(foreign.status, 422);
  });
});
