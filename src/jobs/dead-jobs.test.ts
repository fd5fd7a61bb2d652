import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createSender } from '../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../test/support/kuvert.ts';
import { scheduleWebhookDispatch } from '../modules/events/index.ts';
import { DEAD_JOB_RETENTION_MS, removeDeadJobs } from './dead-jobs.ts';
import { enqueue } from './queue.ts';

let kuvert: TestKuvert;

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
});
after(async () => {
  await kuvert?.stop();
});

const jobs = async (task: string) =>
  (
    await sql<{ id: string; attempts: number; max_attempts: number }>`
      select id, attempts, max_attempts from graphile_worker.jobs where task_identifier = ${task} order by id
    `.execute(kuvert.services.db)
  ).rows;

/** Fails the task's jobs for good, as graphile-worker does after their last attempt. */
const failForGood = (task: string) =>
  sql`
    select graphile_worker.permanently_fail_jobs(
      array(select id from graphile_worker.jobs where task_identifier = ${task}), 'endpoint answered 500')
  `.execute(kuvert.services.db);

test('a webhook dispatch that failed for good is removed after an hour, and the next event schedules a fresh one', async () => {
  const db = kuvert.services.db;
  const sender = await createSender(db, 'Webhook Kommune');
  await db
    .insertInto('webhook_endpoint')
    .values({ sender_id: sender.id, url: 'https://hooks.example.test/kuvert', secret: 'whsec', created_at: new Date() })
    .execute();
  await scheduleWebhookDispatch(db, sender.id);
  await failForGood('dispatch-webhooks');
  const [dead] = await jobs('dispatch-webhooks');
  assert.ok(dead && dead.attempts >= dead.max_attempts, 'failed for good');

  const now = new Date();
  await removeDeadJobs(db, now);
  assert.equal((await jobs('dispatch-webhooks')).length, 1, 'kept within the hour');
  await removeDeadJobs(db, new Date(now.getTime() + 2 * 3_600_000));
  assert.deepEqual(await jobs('dispatch-webhooks'), [], 'gone after it');

  await scheduleWebhookDispatch(db, sender.id);
  const [fresh] = await jobs('dispatch-webhooks');
  assert.equal(fresh?.attempts, 0, 'a new event schedules a fresh dispatch');
});

test('other jobs that failed for good stay a week for operators; jobs still to run are never removed', async () => {
  const db = kuvert.services.db;
  await enqueue(db, 'deliver-message', { messageId: '00000000-0000-0000-0000-000000000001' });
  await failForGood('deliver-message');
  await enqueue(db, 'process-batch', { batchId: '00000000-0000-0000-0000-000000000002' }, { maxAttempts: 3 });
  const now = new Date();
  await removeDeadJobs(db, new Date(now.getTime() + 2 * 3_600_000));
  assert.equal((await jobs('deliver-message')).length, 1, 'kept for a week');
  const later = new Date(now.getTime() + DEAD_JOB_RETENTION_MS + 60_000);
  assert.equal(await removeDeadJobs(db, later), 1);
  assert.deepEqual(await jobs('deliver-message'), []);
  assert.equal((await jobs('process-batch')).length, 1, 'a job with attempts left stays');
});
