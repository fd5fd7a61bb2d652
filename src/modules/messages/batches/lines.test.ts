/**
 * What an NDJSON batch's lines are, counted at submission and applied by the worker by one rule (ndjson-lines.ts),
 * an item that throws while it is built, and a batch whose job has used its last attempt. Every finished batch is
 * checked to add up: processed = total and accepted + duplicates + failed = total.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import {
  type BatchEnv,
  getJson,
  type Json,
  postBatch,
  startBatchEnv,
  waitBatchFinished,
} from '../../../../test/support/batches.ts';
import { createPerson, createSender, letterBody } from '../../../../test/support/fixtures.ts';
import { AppError } from '../../../http/problem.ts';
import type { Actor } from '../../../kernel/actor.ts';
import { createSession } from '../../identity/session.ts';
import type { BatchSource, SourceEntry } from './batch-sources.ts';
import { NdjsonLineSplitter } from './ndjson-lines.ts';
import { parseEntry } from './parse-entry.ts';
import { processBatch } from './process-batch.ts';
import { recoverBatches } from './recover-batches.ts';

const ANNA = '1503851234';
const letter = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ messageUuid: randomUUID(), ...letterBody(ANNA, overrides) });

/** The invariant of every completed batch. */
function assertAddsUp(status: Json) {
  const c = status.counts;
  assert.equal(status.state, 'completed', JSON.stringify(status));
  assert.equal(c.processed, c.total, `processed ${c.processed} ≠ total ${c.total}`);
  assert.equal(c.accepted + c.duplicates + c.failed, c.total, `counts do not add up: ${JSON.stringify(c)}`);
}

describe('the line rule, split anywhere', () => {
  /** The rule stated plainly, on the whole body at once: what the streaming splitter must agree with. */
  function reference(body: Buffer): { lines: [number, string][] } | { refused: string } {
    let text = body.toString('latin1');
    if (text.startsWith('\xef\xbb\xbf')) text = text.slice(3);
    const lone = /\r(?!\n)/g;
    for (const m of text.matchAll(lone)) {
      if (m.index !== text.length - 1)
        return { refused: `invalid_line_ending ${text.slice(0, m.index).split('\n').length}` };
    }
    const lines: [number, string][] = [];
    text.split('\n').forEach((line, i) => {
      if (!/^[ \t\r]*$/.test(line)) lines.push([i + 1, line]);
    });
    return { lines };
  }

  function split(body: Buffer, cuts: number[]): { lines: [number, string][] } | { refused: string } {
    const splitter = new NdjsonLineSplitter();
    const lines: [number, string][] = [];
    let from = 0;
    try {
      for (const cut of [...cuts.filter((c) => c < body.length).sort((a, b) => a - b), body.length]) {
        for (const l of splitter.push(body.subarray(from, cut))) lines.push([l.number, l.bytes.toString('latin1')]);
        from = cut;
      }
      for (const l of splitter.end()) lines.push([l.number, l.bytes.toString('latin1')]);
    } catch (error) {
      if (error instanceof AppError) return { refused: `${error.code} ${error.extra.line}` };
      throw error;
    }
    return { lines };
  }

  test('chunk boundaries never change the lines, their numbers, the BOM or the line-end verdict', () => {
    const piece = fc.constantFrom('{"a":1}', 'x', ' ', '\t', '\n', '\r\n', '\r', '\ufeff', 'æ', '');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }),
        fc.boolean(),
        fc.array(fc.nat(40), { maxLength: 6 }),
        (pieces, bom, cuts) => {
          const body = Buffer.from(`${bom ? '\ufeff' : ''}${pieces.join('')}`, 'utf8');
          assert.deepEqual(split(body, cuts), reference(body));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('NDJSON lines on a real Kuvert', () => {
  let env: BatchEnv;
  let sender: Awaited<ReturnType<typeof createSender>>;
  before(async () => {
    env = await startBatchEnv({ worker: true, env: { KUVERT_BATCH_CHUNK: '2', KUVERT_BATCH_PARTS: '2' } });
    sender = await createSender(env.services.db, 'Vejle Kommune');
    await createPerson(env.services.db, ANNA, 'Anna');
  });
  after(async () => env?.stop());

  const batchRows = async () =>
    Number((await sql<{ n: string }>`select count(*) as n from batch`.execute(env.services.db)).rows[0]?.n);

  test('a CR alone ends no line: the batch is refused before anything is stored, naming the line', async () => {
    const before = await batchRows();
    // The fuzz suite's input: a BOM, spaces and two lone CRs (it "completed" with nothing processed).
    const fuzzed = await postBatch(env, sender.apiKey, '\uFEFF   \r\r', 'application/x-ndjson');
    assert.equal(fuzzed.status, 400, JSON.stringify(fuzzed.body));
    assert.equal(fuzzed.body.code, 'invalid_line_ending');
    assert.equal(fuzzed.body.line, 1);
    // Old Mac line ends between letters (it applied two items against a count of one).
    const mac = await postBatch(env, sender.apiKey, `${letter()}\r${letter()}\r`, 'application/x-ndjson');
    assert.equal(mac.status, 400);
    assert.equal(mac.body.code, 'invalid_line_ending');
    assert.match(mac.body.detail, /Line 1 .*LF.*CRLF/);
    const third = await postBatch(env, sender.apiKey, `${letter()}\n\n${letter()}\r \n`, 'application/x-ndjson');
    assert.equal(third.body.line, 3);
    assert.equal(await batchRows(), before, 'a refused batch leaves no row');
  });

  test('only blanks and a BOM are an empty batch, however the lines end', async () => {
    for (const body of ['\uFEFF   \r\n\r\n', '\uFEFF', '\n\t\n \r\n', ' \r']) {
      const answer = await postBatch(env, sender.apiKey, body, 'application/x-ndjson');
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.code, 'empty_batch', JSON.stringify(body));
    }
  });

  test('CRLF, a BOM, blank and whitespace lines: counted as applied, errors at the lines an editor shows', async () => {
    const lines = [
      `\uFEFF${letter()}`, // 1
      '', // 2
      '   \t', // 3
      '[1,2]', // 4: JSON, but no object
      letter({ label: 'Andet brev' }), // 5
      ' \t ', // 6
      '"\u00a0"', // 7
      '\u00a0', // 8: not JSON whitespace, so an item (and malformed)
      letter(), // 9
    ];
    const body = `${lines.join('\r\n')}\r`; // and the body's last byte a CR
    const submitted = await postBatch(env, sender.apiKey, body, 'application/x-ndjson');
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    assert.equal(submitted.body.items, 6);
    const done = await waitBatchFinished(env, sender.apiKey, submitted.body.id);
    assertAddsUp(done);
    assert.deepEqual(done.counts, { total: 6, processed: 6, accepted: 3, duplicates: 0, failed: 3 });
    const errors = await getJson(env, sender.apiKey, `/api/v1/batches/${submitted.body.id}/errors`);
    assert.deepEqual(
      errors.body.errors.map((e: Json) => [e.line, e.code]),
      [
        [4, 'not_an_object'],
        [7, 'not_an_object'],
        [8, 'malformed_json'],
      ],
    );
  });

  test("the fuzz suite's stuck batch (a NUL, a leap second, null, with a BOM and CRLF) completes", async () => {
    const corpus = JSON.parse(
      readFileSync(new URL('../../../../test/fuzz/corpus/ndjson-9af0eeb986d5.json', import.meta.url), 'utf8'),
    ) as { input: { body: string } };
    const submitted = await postBatch(env, sender.apiKey, corpus.input.body, 'application/x-ndjson');
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    assert.equal(submitted.body.items, 3);
    const done = await waitBatchFinished(env, sender.apiKey, submitted.body.id);
    assertAddsUp(done);
    const errors = await getJson(env, sender.apiKey, `/api/v1/batches/${submitted.body.id}/errors`);
    const byLine = new Map(errors.body.errors.map((e: Json) => [e.line, e]));
    assert.equal((byLine.get(1) as Json)?.code, 'malformed_json'); // a raw NUL
    assert.equal((byLine.get(3) as Json)?.code, 'not_an_object'); // null
    // Line 2 (endDateTime 23:59:60) is refused by validation, or (as before it was checked) fails on its own:
    // never the batch. Its error says nothing of the code behind it.
    if (byLine.has(2)) assert.doesNotMatch((byLine.get(2) as Json).detail, /Invalid time value|RangeError|at /);
  });
});

describe('an item that throws while it is built', () => {
  const entry: SourceEntry = { line: 7, key: 'abc', raw: '{}' };
  const throwing = (error: unknown): BatchSource => ({
    entries: async function* () {},
    parse: () => {
      throw error;
    },
  });
  const documents = { known: new Map(), recent: new Map() };

  test('is that item’s line_failed, with a detail that names no internals', async () => {
    const logged: string[] = [];
    const job = { attempts: 1, maxAttempts: 10, log: (m: string) => logged.push(m) };
    const result = await parseEntry(throwing(new RangeError('Invalid time value')), entry, documents, job);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.code, 'line_failed');
    assert.equal(result.error.line, 7);
    assert.equal(result.error.messageUuid, 'abc');
    assert.doesNotMatch(result.error.detail, /Invalid time value|RangeError/);
    assert.match(logged.join('\n'), /item 7 .*RangeError: Invalid time value/, 'the operator sees what broke');
    // A refusal our checks raise keeps its own code.
    const refused = await parseEntry(
      throwing(new AppError(422, 'invalid_field', 'bad', '/label')),
      entry,
      documents,
      job,
    );
    assert.deepEqual(refused.ok ? null : [refused.error.code, refused.error.field], ['invalid_field', '/label']);
  });

  test('fails the job (to be retried) when the moment is to blame, not the item', async () => {
    const transient = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      Object.assign(new Error('too many connections'), { code: '53300' }),
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('The MeMo validator thread exited (code 1).'), { transient: true }),
    ];
    for (const error of transient) {
      await assert.rejects(parseEntry(throwing(error), entry, documents, undefined), error);
    }
  });
});

describe('a batch whose job has used its last attempt', () => {
  let env: BatchEnv;
  let sender: Awaited<ReturnType<typeof createSender>>;
  before(async () => {
    env = await startBatchEnv({ worker: false });
    sender = await createSender(env.services.db, 'Vejle Kommune');
    await createPerson(env.services.db, ANNA, 'Anna');
    // Every chunk fails for a reason that is not the line's (a raise without a data SQLSTATE): retried, never isolated.
    await sql`
      create function test_always_fail() returns trigger language plpgsql as $$
      begin raise exception 'the disk is on fire'; end $$
    `.execute(env.services.db);
    await sql`
      create trigger test_always_fail before insert on message for each row execute function test_always_fail()
    `.execute(env.services.db);
  });
  after(async () => env?.stop());

  test('is failed with a reason the sender reads in the API and the portal, and is not resurrected', async () => {
    const submitted = await postBatch(env, sender.apiKey, `${letter()}\n${letter()}\n`, 'application/x-ndjson');
    assert.equal(submitted.status, 202);
    const id = submitted.body.id as string;
    const logged: string[] = [];
    const job = (attempts: number) => ({ attempts, maxAttempts: 3, log: (m: string) => logged.push(m) });
    // An attempt with attempts left: the job fails (graphile-worker retries), the batch waits.
    await assert.rejects(processBatch(env.services, { batchId: id }, undefined, job(2)), /the disk is on fire/);
    let status = await getJson(env, sender.apiKey, `/api/v1/batches/${id}`);
    assert.equal(status.body.state, 'processing');
    assert.equal(status.body.failure, null);
    // The last attempt: the job still fails (its last error names why), and the batch says it failed.
    await assert.rejects(processBatch(env.services, { batchId: id }, undefined, job(3)), /the disk is on fire/);
    status = await getJson(env, sender.apiKey, `/api/v1/batches/${id}`);
    assert.equal(status.body.state, 'failed');
    assert.equal(status.body.failure, 'processing_failed');
    assert.match(status.body.detail, /repeated errors on our side.*send the batch again/);
    assert.doesNotMatch(status.body.detail, /fire/, 'no internals');
    assert.ok(status.body.finishedAt);

    // Recovery at start looks for unfinished batches only: this one is not scheduled again.
    assert.equal(await recoverBatches(env.services), 0);
    // A job for it still queued (here: the submission's own, never run) finds nothing to do and schedules nothing.
    assert.equal(await processBatch(env.services, { batchId: id }, undefined, job(1)), 'busy');
    const state = await env.services.db.selectFrom('batch').select('state').where('id', '=', id).executeTakeFirst();
    assert.equal(state?.state, 'failed');

    // The portal shows the staff member the reason in their language.
    const actor: Actor = {
      kind: 'sender_staff',
      subject: 's',
      name: 'Lars',
      staffId: randomUUID(),
      senderId: sender.id,
    };
    const { sessionId } = await createSession(env.services.db, actor, null);
    const page = await fetch(`${env.url}/afsender/masseforsendelser/${id}`, {
      headers: { cookie: `kuvert_session=${sessionId}` },
    });
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.match(html, /Behandlingen stoppede efter gentagne fejl hos os/);
    assert.match(html, /Fejlet/);
  });
});
