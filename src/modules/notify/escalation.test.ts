import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSender } from '../../../test/support/fixtures.ts';
import { postLetter, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { days, personWithContacts, sendAndDeliver } from '../../../test/support/notify-fixtures.ts';
import { deliverMessage } from '../messages/deliver-message.ts';
import { checkEscalationInput, planEscalationSchedule } from './escalation-plan.ts';
import { runEscalations } from './run-escalations.ts';

// 10:00 in Copenhagen (winter time, UTC+1).
const MORNING = new Date('2026-12-02T09:00:00Z');

let kuvert: TestKuvert;
before(async () => {
  kuvert = await startTestKuvert({ worker: false });
});
after(async () => {
  await kuvert.stop();
});

async function api(key: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${kuvert.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

type Status = {
  escalation: {
    plan: string | null;
    source: string;
    stopped: string | null;
    steps: { action: string; state: string; dueAt: string | null; doneAt: string | null; reason: string | null }[];
  } | null;
};
const statusOf = async (key: string, id: string) => (await api(key, 'GET', `/api/v1/messages/${id}`)).body as Status;
const states = (s: Status) => s.escalation?.steps.map((x) => x.state);

const reminders = (messageId: string) =>
  kuvert.services.db
    .selectFrom('notification')
    .select(['channel', 'next_attempt_at'])
    .where('message_id', '=', messageId)
    .where('purpose', '=', 'reminder')
    .orderBy('channel')
    .execute();

const PLAN = {
  steps: [
    { action: 'remind', afterDays: 3, channels: ['email'] },
    { action: 'remind', afterDays: 5, channels: ['sms'] },
    { action: 'print_if_unread', afterDays: 10 },
    { action: 'notify_sender', afterDays: 14 },
  ],
};

describe('escalation plans', () => {
  test('a plan given in the send body runs its steps in order at their due times and shows its progress', async () => {
    const db = kuvert.services.db;
    const sender = await createSender(db, 'Eskaleringskommune');
    const anna = await personWithContacts(db, { email: 'anna.esc@example.dk', mobile: '+4520100001' }, MORNING);
    const id = await sendAndDeliver(kuvert, sender.apiKey, anna.cpr as string, MORNING, { escalation: PLAN });

    let status = await statusOf(sender.apiKey, id);
    assert.equal(status.escalation?.source, 'letter');
    assert.deepEqual(states(status), ['pending', 'pending', 'pending', 'pending']);
    assert.equal(status.escalation?.steps[0]?.dueAt, days(MORNING, 3).toISOString());

    await runEscalations(kuvert.services, days(MORNING, 2.9));
    assert.equal((await reminders(id)).length, 0, 'nothing before day 3');

    await runEscalations(kuvert.services, days(MORNING, 3));
    assert.deepEqual(
      (await reminders(id)).map((r) => r.channel),
      ['email'],
      'the first reminder goes by e-mail only',
    );
    status = await statusOf(sender.apiKey, id);
    assert.deepEqual(states(status), ['done', 'pending', 'pending', 'pending']);

    // Day 5 at 22:30 Copenhagen time: the SMS reminder waits for 08:00.
    const night = new Date(days(MORNING, 5).getTime() + 12.5 * 3_600_000);
    await runEscalations(kuvert.services, night);
    const sms = (await reminders(id)).find((r) => r.channel === 'sms');
    assert.ok(sms, 'the second reminder goes by SMS');
    assert.equal(new Date(sms.next_attempt_at).toISOString(), '2026-12-08T07:00:00.000Z', 'after quiet hours');

    await runEscalations(kuvert.services, days(MORNING, 10));
    const printed = await db.selectFrom('print_job').select('message_id').where('message_id', '=', id).execute();
    assert.equal(printed.length, 1, 'queued for print when still unread on day 10');

    await runEscalations(kuvert.services, days(MORNING, 14));
    const events = await db
      .selectFrom('message_event_expanded')
      .select('type')
      .where('message_id', '=', id)
      .where('type', '=', 'UNREAD_AFTER_DEADLINE')
      .execute();
    assert.equal(events.length, 1, 'the sender is told in its event feed');
    status = await statusOf(sender.apiKey, id);
    assert.deepEqual(states(status), ['done', 'done', 'done', 'done']);
    assert.equal(status.escalation?.stopped, 'finished');
  });

  test('reading the letter stops every remaining step, and the status shows them cancelled_read at once', async () => {
    const db = kuvert.services.db;
    const sender = await createSender(db);
    const bo = await personWithContacts(db, { email: 'bo.esc@example.dk' }, MORNING);
    const id = await sendAndDeliver(kuvert, sender.apiKey, bo.cpr as string, MORNING, { escalation: PLAN });
    await runEscalations(kuvert.services, days(MORNING, 3));
    await db
      .updateTable('message')
      .set({ first_read_at: days(MORNING, 4) })
      .where('id', '=', id)
      .execute();

    assert.deepEqual(states(await statusOf(sender.apiKey, id)), [
      'done',
      'cancelled_read',
      'cancelled_read',
      'cancelled_read',
    ]);
    await runEscalations(kuvert.services, days(MORNING, 30));
    assert.equal((await reminders(id)).length, 1, 'no reminder after reading');
    const printed = await db.selectFrom('print_job').select('message_id').where('message_id', '=', id).execute();
    assert.equal(printed.length, 0, 'no print after reading');
    const row = await db
      .selectFrom('notify_escalation')
      .selectAll()
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.stopped, 'read');
    assert.equal(row.next_due_at, null, 'nothing left to sweep');
  });

  test('a named plan and the sender default: letters name it, or get the default without naming any', async () => {
    const db = kuvert.services.db;
    const sender = await createSender(db);
    const put = await api(sender.apiKey, 'PUT', '/api/v1/escalation-plans/standard', {
      steps: [
        { action: 'remind', afterDays: 2 },
        { action: 'notify_sender', afterDays: 7 },
      ],
      default: true,
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await api(sender.apiKey, 'PUT', '/api/v1/escalation-plans/fast', { steps: [{ action: 'remind', afterDays: 1 }] });
    const list = await api(sender.apiKey, 'GET', '/api/v1/escalation-plans');
    assert.deepEqual(
      list.body.items.map((p: { name: string; default: boolean }) => [p.name, p.default]),
      [
        ['fast', false],
        ['standard', true],
      ],
    );
    const cecilie = await personWithContacts(db, { email: 'cecilie.esc@example.dk' }, MORNING);
    const named = await sendAndDeliver(kuvert, sender.apiKey, cecilie.cpr as string, MORNING, {
      escalation: { plan: 'fast' },
    });
    const byDefault = await sendAndDeliver(kuvert, sender.apiKey, cecilie.cpr as string, MORNING);
    const none = await sendAndDeliver(kuvert, sender.apiKey, cecilie.cpr as string, MORNING, {
      escalation: { steps: [] },
    });
    const a = await statusOf(sender.apiKey, named);
    assert.equal(a.escalation?.plan, 'fast');
    assert.equal(a.escalation?.source, 'named');
    const b = await statusOf(sender.apiKey, byDefault);
    assert.equal(b.escalation?.plan, 'standard');
    assert.equal(b.escalation?.source, 'default');
    assert.deepEqual(
      b.escalation?.steps.map((s) => s.dueAt),
      [days(MORNING, 2).toISOString(), days(MORNING, 7).toISOString()],
    );
    assert.deepEqual((await statusOf(sender.apiKey, none)).escalation?.steps, [], 'steps: [] means no escalation');

    // Changing the named plan later does not rewrite letters already sent.
    await api(sender.apiKey, 'PUT', '/api/v1/escalation-plans/fast', { steps: [{ action: 'remind', afterDays: 9 }] });
    assert.equal((await statusOf(sender.apiKey, named)).escalation?.steps[0]?.dueAt, days(MORNING, 1).toISOString());
  });

  test('the per-letter call sets or replaces the plan; the older options call replaces it with its two steps', async () => {
    const db = kuvert.services.db;
    const sender = await createSender(db);
    const dorte = await personWithContacts(db, { email: 'dorte.esc@example.dk' }, MORNING);
    const id = await sendAndDeliver(kuvert, sender.apiKey, dorte.cpr as string, MORNING);
    assert.equal((await statusOf(sender.apiKey, id)).escalation, null);
    const set = await api(sender.apiKey, 'PUT', `/api/v1/messages/${id}/escalation`, {
      steps: [{ action: 'notify_sender', afterDays: 4 }],
    });
    assert.equal(set.status, 204, JSON.stringify(set.body));
    assert.equal((await statusOf(sender.apiKey, id)).escalation?.steps[0]?.dueAt, days(MORNING, 4).toISOString());
    const legacy = await api(sender.apiKey, 'PUT', `/api/v1/messages/${id}/notification`, {
      remindAfterDays: 2,
      printIfUnreadAfterDays: 6,
    });
    assert.equal(legacy.status, 204);
    const status = await statusOf(sender.apiKey, id);
    assert.equal(status.escalation?.source, 'options');
    assert.deepEqual(
      status.escalation?.steps.map((s) => s.action),
      ['remind', 'print_if_unread'],
    );
    const other = await createSender(db);
    const foreign = await api(other.apiKey, 'PUT', `/api/v1/messages/${id}/escalation`, { steps: [] });
    assert.equal(foreign.status, 404, "another sender's letter is unknown");
  });

  test('invalid plans are refused with 422, a code and a field, and nothing is stored', async () => {
    const db = kuvert.services.db;
    const sender = await createSender(db);
    const erik = await personWithContacts(db, { email: 'erik.esc@example.dk' }, MORNING);
    const cases: [unknown, string, string, Record<string, unknown>?][] = [
      [{ plan: 'nope' }, 'escalation_unknown_plan', '/escalation/plan'],
      [{ plan: 'x', steps: [] }, 'escalation_plan_or_steps', '/escalation'],
      [{ steps: [{ action: 'remind', afterDays: 0 }] }, 'escalation_invalid_days', '/escalation/steps/0/afterDays'],
      [{ steps: [{ action: 'fax', afterDays: 2 }] }, 'escalation_unknown_action', '/escalation/steps/0/action'],
      [
        {
          steps: [
            { action: 'remind', afterDays: 5 },
            { action: 'remind', afterDays: 2 },
          ],
        },
        'escalation_steps_out_of_order',
        '/escalation/steps/1/afterDays',
      ],
      [
        { steps: [{ action: 'remind', afterDays: 2, channels: ['fax'] }] },
        'escalation_invalid_channels',
        '/escalation/steps/0/channels',
      ],
      [
        { steps: [{ action: 'print_if_unread', afterDays: 2 }] },
        'escalation_print_mandatory',
        '/escalation/steps/0/action',
        { mandatory: true },
      ],
      [
        { steps: Array.from({ length: 7 }, (_, i) => ({ action: 'remind', afterDays: i + 1 })) },
        'escalation_too_many_steps',
        '/escalation/steps',
      ],
    ];
    const before = await db
      .selectFrom('message')
      .select(db.fn.countAll().as('n'))
      .where('sender_id', '=', sender.id)
      .executeTakeFirstOrThrow();
    for (const [escalation, code, field, extra] of cases) {
      const response = await fetch(`${kuvert.url}/api/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          recipient: { cpr: erik.cpr },
          label: 'Brev',
          documents: [
            {
              title: 'Brev',
              filename: 'brev.txt',
              mediaType: 'text/plain',
              content: Buffer.from('Hej').toString('base64'),
            },
          ],
          escalation,
          ...extra,
        }),
      });
      const problem = (await response.json()) as { code: string; errors?: { field: string }[] };
      assert.equal(response.status, 422, `${code}: ${JSON.stringify(problem)}`);
      assert.equal(problem.code, code);
      assert.equal(problem.errors?.[0]?.field, field);
    }
    const afterCount = await db
      .selectFrom('message')
      .select(db.fn.countAll().as('n'))
      .where('sender_id', '=', sender.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(afterCount.n), Number(before.n), 'no letter stored');
    const bad = await api(sender.apiKey, 'PUT', '/api/v1/escalation-plans/Bad Name', { steps: [] });
    assert.equal(bad.body.code, 'escalation_invalid_plan_name');
    const plans = await api(sender.apiKey, 'GET', '/api/v1/escalation-plans');
    assert.deepEqual(plans.body.items, [], 'no plan stored');
  });

  test('a letter not yet delivered keeps its plan until it becomes available', async () => {
    const db = kuvert.services.db;
    const sender = await createSender(db);
    const frida = await personWithContacts(db, { email: 'frida.esc@example.dk' }, MORNING);
    const id = await postLetter(kuvert, sender.apiKey, frida.cpr as string, {
      escalation: { steps: [{ action: 'remind', afterDays: 1 }] },
    });
    assert.equal((await statusOf(sender.apiKey, id)).escalation?.steps[0]?.dueAt, null, 'no due time before delivery');
    await deliverMessage(kuvert.services, { messageId: id }, MORNING);
    assert.equal((await statusOf(sender.apiKey, id)).escalation?.steps[0]?.dueAt, days(MORNING, 1).toISOString());
  });
});

describe('planEscalationSchedule', () => {
  test('due times from availability, SMS after quiet hours, unreachable channels and paper marked', () => {
    const choice = checkEscalationInput(
      {
        steps: [
          { action: 'remind', afterDays: 1 },
          { action: 'print_if_unread', afterDays: 2 },
        ],
      },
      '/escalation',
    );
    assert.ok('steps' in choice);
    const availableAt = new Date('2026-12-02T21:30:00Z'); // 22:30 in Copenhagen
    const [remind, print] = planEscalationSchedule(choice.steps, { availableAt, printable: false });
    assert.equal(remind?.dueAt.toISOString(), '2026-12-03T21:30:00.000Z');
    assert.deepEqual(
      remind?.sends.map((s) => [s.channel, s.at.toISOString()]),
      [
        ['email', '2026-12-03T21:30:00.000Z'],
        ['sms', '2026-12-04T07:00:00.000Z'],
      ],
    );
    assert.equal(print?.skip, 'not_printable');
    const [urgent] = planEscalationSchedule(choice.steps, {
      availableAt,
      urgent: true,
      channels: { email: false, sms: true },
    });
    assert.deepEqual(
      urgent?.sends.map((s) => [s.channel, s.at.toISOString()]),
      [['sms', '2026-12-03T21:30:00.000Z']],
    );
    const [none] = planEscalationSchedule(choice.steps, { availableAt, channels: { email: false, sms: false } });
    assert.equal(none?.skip, 'no_contact');
  });
});
