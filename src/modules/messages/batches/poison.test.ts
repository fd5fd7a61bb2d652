/**
 * Poison pills: a line that passes validation but that the database refuses must not hold its batch (or its
 * routing chunk) back. The refusal is provoked by triggers this test creates on its own database — PostgreSQL
 * refusing a row exactly as it would a value it cannot store — for letters whose label says so.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import {
  type BatchEnv,
  getJson,
  postBatch,
  startBatchEnv,
  waitBatchFinished,
} from '../../../../test/support/batches.ts';
import { createPerson, createSender, letterBody } from '../../../../test/support/fixtures.ts';
import { eventually } from '../../../../test/support/kuvert.ts';

const ANNA = '1503851234'; // enrolled: routed by the chunk's own insert
const BO = '0101901235'; // exempted: routed to paper by deliver-batch-chunk

describe('a line the database refuses', () => {
  let env: BatchEnv;
  let sender: Awaited<ReturnType<typeof createSender>>;
  before(async () => {
    env = await startBatchEnv({ worker: true, env: { KUVERT_BATCH_CHUNK: '100', KUVERT_BATCH_PARTS: '2' } });
    const db = env.services.db;
    sender = await createSender(db, 'Vejle Kommune');
    await createPerson(db, ANNA, 'Anna');
    await createPerson(db, BO, 'Bo', 'exempted');
    // check_violation, as a CHECK constraint raises it; the text names the table and quotes the value, as PostgreSQL's
    // own messages do — none of it may reach the sender.
    await sql`
      create function test_refuse_poison() returns trigger language plpgsql as $$
      begin
        if new.label like 'POISON%' then
          raise exception 'new row for relation "message" violates check constraint (label %, cpr 1503851234)',
            new.label using errcode = '23514';
        end if;
        return new;
      end $$
    `.execute(db);
    await sql`
      create trigger test_refuse_poison before insert on message for each row execute function test_refuse_poison()
    `.execute(db);
    await sql`
      create function test_refuse_stuck() returns trigger language plpgsql as $$
      begin
        if new.label like 'STUCK%' then raise exception 'cannot route %', new.label using errcode = '22P05'; end if;
        return new;
      end $$
    `.execute(db);
    await sql`
      create trigger test_refuse_stuck before update of status on message for each row
      when (new.status = 'print_queued') execute function test_refuse_stuck()
    `.execute(db);
  });
  after(async () => env?.stop());

  test('is reported with its line number; every other letter of its chunk goes out and the batch completes', async () => {
    const poison = new Set([57, 250]); // 1-based lines
    const uuids = Array.from({ length: 300 }, () => randomUUID());
    const lines = uuids.map((uuid, i) => {
      const n = i + 1;
      const label = poison.has(n) ? `POISON ${n}` : n === 120 ? 'STUCK 120' : `Brev ${n}`;
      return JSON.stringify({ messageUuid: uuid, ...letterBody(n % 10 === 0 ? BO : ANNA, { label }) });
    });
    // A copy of a refused letter later in the file fails the same way (it is no duplicate of a stored letter).
    lines.push(lines[56] as string);
    const submitted = await postBatch(env, sender.apiKey, lines.join('\n'), 'application/x-ndjson');
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    const done = await waitBatchFinished(env, sender.apiKey, submitted.body.id);
    assert.equal(done.state, 'completed');
    assert.deepEqual(done.counts, { total: 301, processed: 301, accepted: 298, duplicates: 0, failed: 3 });

    const errors = await getJson(env, sender.apiKey, `/api/v1/batches/${submitted.body.id}/errors`);
    assert.deepEqual(
      errors.body.errors.map((e: any) => [e.line, e.code, e.messageUuid]),
      [
        [57, 'line_failed', uuids[56]],
        [250, 'line_failed', uuids[249]],
        [301, 'line_failed', uuids[56]],
      ],
    );
    for (const error of errors.body.errors) {
      assert.match(error.detail, /could not be stored: a value breaks a rule of the register/);
      assert.doesNotMatch(error.detail, /relation|constraint|POISON|1503851234|"message"/, 'no SQL internals, no CPR');
    }

    const db = env.services.db;
    const letters = await sql<{ label: string; status: string; rejected_reason: string | null }>`
      select label, status, rejected_reason from message where sender_id = ${sender.id}
    `.execute(db);
    assert.equal(letters.rows.length, 298);
    assert.ok(!letters.rows.some((l) => l.label.startsWith('POISON')));
    // The letter whose routing the database refuses fails on its own; the other paper letters are queued.
    await eventually(async () => {
      const byStatus = await sql<{ status: string; n: string }>`
        select status, count(*) as n from message where sender_id = ${sender.id} group by status order by status
      `.execute(db);
      const counts = Object.fromEntries(byStatus.rows.map((r) => [r.status, Number(r.n)]));
      return counts.available === 269 && counts.print_queued === 28 && counts.rejected === 1;
    }, 20_000);
    const stuck = await sql<{ status: string; rejected_reason: string; events: string[] }>`
      select m.status, m.rejected_reason,
             array(select type from message_event_expanded e where e.message_id = m.id order by e.id) as events
      from message m where m.sender_id = ${sender.id} and m.label = 'STUCK 120'
    `.execute(db);
    assert.deepEqual(stuck.rows, [
      { status: 'rejected', rejected_reason: 'routing_failed', events: ['RECEIVED', 'VALIDATED', 'FAILED'] },
    ]);
    // The refused line is final: the same batch again stores nothing more and reports it again.
    const again = await postBatch(env, sender.apiKey, lines.join('\n'), 'application/x-ndjson');
    const second = await waitBatchFinished(env, sender.apiKey, again.body.id);
    assert.equal(second.state, 'completed');
    assert.deepEqual(second.counts, { total: 301, processed: 301, accepted: 0, duplicates: 298, failed: 3 });
  });

  test('a byte order mark before the first line is not part of it', async () => {
    const body = `\uFEFF${JSON.stringify({ messageUuid: randomUUID(), ...letterBody(ANNA) })}\n${JSON.stringify({
      messageUuid: randomUUID(),
      ...letterBody(ANNA),
    })}\n`;
    const submitted = await postBatch(env, sender.apiKey, body, 'application/x-ndjson');
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    const done = await waitBatchFinished(env, sender.apiKey, submitted.body.id);
    assert.equal(done.state, 'completed');
    assert.deepEqual(done.counts, { total: 2, processed: 2, accepted: 2, duplicates: 0, failed: 0 });
  });

  test('an inline PDF that does not parse fails its own line, as it would fail a single letter', async () => {
    // Signature and %%EOF are right, so only the parse (inspectDocuments) can refuse it.
    const broken = Buffer.from('%PDF-1.7\nthis is no PDF body at all\n%%EOF\n');
    const uuids = [randomUUID(), randomUUID(), randomUUID()];
    const lines = uuids.map((uuid, i) => {
      const body = letterBody(ANNA, { label: `Bilag ${i + 1}` });
      if (i === 1) (body.documents[0] as { content: string }).content = broken.toString('base64');
      return JSON.stringify({ messageUuid: uuid, ...body });
    });
    const submitted = await postBatch(env, sender.apiKey, lines.join('\n'), 'application/x-ndjson');
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    const done = await waitBatchFinished(env, sender.apiKey, submitted.body.id);
    assert.equal(done.state, 'completed');
    assert.deepEqual(done.counts, { total: 3, processed: 3, accepted: 2, duplicates: 0, failed: 1 });
    const errors = await getJson(env, sender.apiKey, `/api/v1/batches/${submitted.body.id}/errors`);
    assert.deepEqual(
      errors.body.errors.map((e: any) => [e.line, e.code, e.messageUuid]),
      [[2, 'not_a_pdf', uuids[1]]],
    );
    const stored = await sql<{ n: string }>`
      select count(*) as n from document where sha256 = ${createHash('sha256').update(broken).digest('hex')}
    `.execute(env.services.db);
    assert.equal(Number(stored.rows[0]?.n), 0, 'the refused file has no row');
  });
});
