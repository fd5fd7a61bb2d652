import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { eventually, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { birthDateFromCpr } from '../../kernel/identifiers.ts';
import { cronItems } from '../../worker.ts';
import { verifyAuditChain } from '../audit/audit.repository.ts';
import { ageRuleActor, enrolNewFifteenYearOlds, fifteenCutoff } from './age-rules.ts';
import { ageOn } from './enrolment.ts';

let kuvert: TestKuvert;
before(async () => {
  kuvert = await startTestKuvert();
});
after(async () => {
  await kuvert.stop();
});

async function person(cpr: string, enrolment: 'not_enrolled' | 'automatic' | 'exempted' | 'closed') {
  return kuvert.services.db
    .insertInto('recipient')
    .values({
      kind: 'person',
      cpr,
      name: `Person ${cpr.slice(0, 6)}`,
      birth_date: birthDateFromCpr(cpr),
      enrolment,
      exemption_ground: enrolment === 'exempted' ? 'other' : null,
      closed_reason: enrolment === 'closed' ? 'emigration' : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

async function stateOf(id: string) {
  return (
    await kuvert.services.db.selectFrom('recipient').select('enrolment').where('id', '=', id).executeTakeFirstOrThrow()
  ).enrolment;
}

test('the cutoff date agrees with ageOn for every day of four years, leap days included', () => {
  for (let day = Date.UTC(2027, 0, 1); day < Date.UTC(2031, 0, 1); day += 86_400_000) {
    const now = new Date(day + 13 * 3_600_000);
    const cutoff = fifteenCutoff(now);
    assert.equal(ageOn(cutoff, now), 15, `born ${cutoff} is 15 on ${now.toISOString()}`);
    const dayAfter = new Date(Date.parse(`${cutoff}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    assert.equal(ageOn(dayAfter, now), 14, `born ${dayAfter} is 14 on ${now.toISOString()}`);
  }
  assert.equal(fifteenCutoff(new Date('2024-02-29T12:00:00Z')), '2009-02-28');
});

test('someone born 2011-11-25 is enrolled on 2026-11-25, not the day before; twice changes nothing', async () => {
  const db = kuvert.services.db;
  const birthday = await person('2511114001', 'not_enrolled');
  const older = await person('2411114002', 'not_enrolled');
  const younger = await person('2611114003', 'not_enrolled');
  const exempted = await person('0101904004', 'exempted');
  const closed = await person('0101804005', 'closed');

  const eve = await enrolNewFifteenYearOlds(kuvert.services, new Date('2026-11-24T23:59:00Z'));
  assert.equal(await stateOf(birthday.id), 'not_enrolled', 'not 15 yet on 2026-11-24');
  assert.equal(await stateOf(older.id), 'automatic', 'born 2011-11-24: 15 on 2026-11-24');
  assert.equal(eve.enrolled, 1);

  const day = await enrolNewFifteenYearOlds(kuvert.services, new Date('2026-11-25T01:00:00Z'));
  assert.equal(day.enrolled, 1);
  assert.equal(await stateOf(birthday.id), 'automatic', '15 on 2026-11-25');
  assert.equal(await stateOf(younger.id), 'not_enrolled');
  assert.equal(await stateOf(exempted.id), 'exempted', 'an exemption is never overridden');
  assert.equal(await stateOf(closed.id), 'closed', 'a closed mailbox is never reopened by the rule');

  const historyBefore = await db.selectFrom('enrolment_change').selectAll().execute();
  const auditBefore = await db.selectFrom('audit_event').selectAll().execute();
  const again = await enrolNewFifteenYearOlds(kuvert.services, new Date('2026-11-25T01:00:00Z'));
  assert.equal(again.enrolled, 0, 'running twice changes nothing');
  assert.deepEqual(await db.selectFrom('enrolment_change').selectAll().execute(), historyBefore);
  assert.equal((await db.selectFrom('audit_event').selectAll().execute()).length, auditBefore.length);

  const history = await db
    .selectFrom('enrolment_change')
    .selectAll()
    .where('recipient_id', '=', birthday.id)
    .executeTakeFirstOrThrow();
  assert.equal(history.kind, 'enrolled_automatically');
  assert.equal(history.from_state, 'not_enrolled');
  assert.equal(history.to_state, 'automatic');
  assert.equal(history.note, 'turned_15');
  assert.equal(history.actor_id, ageRuleActor.id);
  assert.equal(history.occurred_at.toISOString(), '2026-11-25T01:00:00.000Z', 'the rule runs on the given clock');
  const audit = await db
    .selectFrom('audit_event')
    .selectAll()
    .where('subject_id', '=', birthday.id)
    .where('action', '=', 'registry.enrolled_automatically')
    .execute();
  assert.equal(audit.length, 1);
  assert.equal(await verifyAuditChain(db), null);
});

test('the rule is scheduled daily at 01:00 UTC, and the job runs it on the scheduled time', async () => {
  const item = cronItems().find((i) => i.task === 'enrol-fifteen-year-olds');
  assert.equal(item?.task, 'enrol-fifteen-year-olds');
  assert.equal(item?.identifier, 'enrol-fifteen-year-olds');
  assert.equal(item?.options.jobKey, 'enrol-fifteen-year-olds');
  const at = (hour: number, min: number) => ({ min, hour, date: 25, month: 11, dow: 3 });
  assert.ok(item?.match(at(1, 0)), 'runs at 01:00 UTC');
  assert.ok(!item?.match(at(2, 0)));
  assert.ok(!item?.match(at(1, 1)));

  // What graphile-worker's cron enqueues at 01:00 on 2027-03-10: the rule uses that moment, not the clock.
  const child = await person('1003124006', 'not_enrolled'); // born 2012-03-10
  await sql`select graphile_worker.add_job('enrol-fifteen-year-olds',
    json_build_object('_cron', json_build_object('ts', '2027-03-10T01:00:00.000Z', 'backfilled', false)))`.execute(
    kuvert.services.db,
  );
  await eventually(async () => (await stateOf(child.id)) === 'automatic');
});
