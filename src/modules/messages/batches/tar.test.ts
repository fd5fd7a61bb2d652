import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createGzip, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import {
  type BatchEnv,
  getJson,
  type Json,
  memoXml,
  postBatch,
  startBatchEnv,
  tarOf,
  waitBatchFinished,
} from '../../../../test/support/batches.ts';
import { createPerson, createSender, tinyPdf } from '../../../../test/support/fixtures.ts';
import { sha256Hex } from '../../../documents/document-store.ts';
import { processBatch } from './process-batch.ts';

const ANNA = '1503851234'; // enrolled
const BO = '0101901235'; // exempted
const DORTE = '0303701237'; // enrolled

const lettersOf = async (env: BatchEnv, senderId: string) =>
  env.services.db
    .selectFrom('message')
    .select(['id', 'message_uuid', 'status', 'label', 'notification', 'memo_version', 'memo'])
    .where('sender_id', '=', senderId)
    .orderBy('label')
    .execute();

describe('tar batches of MeMo files, end to end with the worker', () => {
  let env: BatchEnv;
  let sender: Awaited<ReturnType<typeof createSender>>;
  before(async () => {
    env = await startBatchEnv({ worker: true });
    sender = await createSender(env.services.db, 'Vejle Kommune');
    await createPerson(env.services.db, ANNA, 'Anna');
    await createPerson(env.services.db, BO, 'Bo', 'exempted');
    await createPerson(env.services.db, DORTE, 'Dorte');
  });
  after(async () => env?.stop());

  test('a tar.gz of MeMo files becomes letters with their whole model, routed; re-sending adds nothing', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const archive = await tarOf(
      [
        ['post/1.xml', memoXml(ids[0] as string, ANNA, { label: 'A brev', notification: 'Du har post' })],
        ['post/2.xml', memoXml(ids[1] as string, DORTE, { label: 'B brev' })],
        ['post/3.xml', memoXml(ids[2] as string, BO, { label: 'C brev' })],
      ],
      true,
    );
    const submitted = await postBatch(env, sender.apiKey, archive, 'application/gzip');
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    assert.equal(submitted.body.items, 3, 'the directory entry is not an item');
    const done = await waitBatchFinished(env, sender.apiKey, submitted.body.id);
    assert.equal(done.state, 'completed');
    assert.deepEqual(done.counts, { total: 3, processed: 3, accepted: 3, duplicates: 0, failed: 0 });

    const letters = await lettersOf(env, sender.id);
    assert.deepEqual(
      letters.map((l) => [l.message_uuid, l.label, l.notification, l.memo_version]),
      [
        [ids[0], 'A brev', 'Du har post', '1.2'],
        [ids[1], 'B brev', null, '1.2'],
        [ids[2], 'C brev', null, '1.2'],
      ],
    );
    assert.ok(
      letters.every((l) => l.memo),
      'the MeMo model is kept for export',
    );
    // Routed: enrolled → mailbox, exempted → paper.
    await waitFor(async () => {
      const statuses = (await lettersOf(env, sender.id)).map((l) => l.status);
      return statuses.join() === 'available,available,print_queued';
    });
    // The shared PDF is stored once.
    const docs = await env.services.db
      .selectFrom('document')
      .select('sha256')
      .where('sha256', '=', sha256Hex(tinyPdf))
      .execute();
    assert.equal(docs.length, 1);
    // The letter exports back as MeMo.
    const memo = await fetch(`${env.url}/api/v1/messages/${letters[0]?.id}/memo`, {
      headers: { authorization: `Bearer ${sender.apiKey}` },
    });
    assert.equal(memo.status, 200);
    assert.match(await memo.text(), new RegExp(ids[0] as string, 'i'));

    // The same archive again, uncompressed this time: exactly once per messageUUID.
    const again = await postBatch(
      env,
      sender.apiKey,
      await tarOf([
        ['post/1.xml', memoXml(ids[0] as string, ANNA, { label: 'A brev', notification: 'Du har post' })],
        ['post/2.xml', memoXml(ids[1] as string, DORTE, { label: 'B brev' })],
        ['post/3.xml', memoXml(ids[2] as string, BO, { label: 'C brev' })],
      ]),
      'application/x-tar',
    );
    assert.equal(again.status, 202);
    const second = await waitBatchFinished(env, sender.apiKey, again.body.id);
    assert.deepEqual(second.counts, { total: 3, processed: 3, accepted: 0, duplicates: 3, failed: 0 });
    assert.equal((await lettersOf(env, sender.id)).length, 3);
  });

  test('bad entries fail one by one, each error naming its entry; the good ones are sent', async () => {
    const good = randomUUID();
    const reused = randomUUID();
    const archive = await tarOf([
      ['a/good.xml', memoXml(good, ANNA, { label: 'Good' })],
      ['a/broken.xml', '<memo:Message xmlns:memo="https://DigitalPost.dk/MeMo-1" memoVersion="1.2"><oops>'],
      ['a/invalid.xml', memoXml(randomUUID(), ANNA).replace('DIGITALPOST', 'BREVDUE')],
      ['a/placeholder.xml', memoXml(randomUUID(), 'Recipient ID')],
      ['a/unknown.xml', memoXml(randomUUID(), '0404601238')],
      ['a/dtd.xml', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'],
      ['a/reused.xml', memoXml(reused, ANNA, { label: 'First' })],
      ['a/reused-again.xml', memoXml(reused, ANNA, { label: 'Different' })],
    ]);
    const submitted = await postBatch(env, sender.apiKey, archive, 'application/x-tar');
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    const done = await waitBatchFinished(env, sender.apiKey, submitted.body.id);
    assert.deepEqual(done.counts, { total: 8, processed: 8, accepted: 2, duplicates: 0, failed: 6 });
    const errors = (await getJson(env, sender.apiKey, `/api/v1/batches/${submitted.body.id}/errors`)).body.errors;
    assert.deepEqual(
      errors.map((e: { line: number; entry: string; code: string }) => [e.line, e.entry, e.code]),
      [
        [2, 'a/broken.xml', 'xml_malformed'],
        [3, 'a/invalid.xml', 'memo_invalid'],
        [4, 'a/placeholder.xml', 'memo_recipient_invalid'],
        [5, 'a/unknown.xml', 'unknown_recipient'],
        [6, 'a/dtd.xml', 'xml_dtd_forbidden'],
        [8, 'a/reused-again.xml', 'message_uuid_conflict'],
      ],
    );
    const invalid = errors.find((e: { code: string }) => e.code === 'memo_invalid');
    assert.match(invalid.field, /^line \d+ memo:messageType$/, 'schema errors name the line and element');
    assert.match(invalid.detail, /BREVDUE/);
  });

  test('a body that is not a tar archive and an empty archive are refused; nothing is kept', async () => {
    const notTar = await postBatch(env, sender.apiKey, 'x'.repeat(2048), 'application/x-tar');
    assert.equal(notTar.status, 400);
    assert.equal(notTar.body.code, 'malformed_archive');
    const empty = await postBatch(env, sender.apiKey, await tarOf([]), 'application/x-tar');
    assert.equal(empty.status, 400);
    assert.equal(empty.body.code, 'empty_batch');
    const batches = await env.services.db.selectFrom('batch').select('id').execute();
    assert.equal(batches.length, 3, 'only the batches of the tests before');
    const spool = path.join(env.dataDir, 'batches');
    assert.deepEqual(existsSync(spool) ? readdirSync(spool) : [], []);
  });
  test('a gzip bomb is refused while it is still being uploaded, after a bounded amount of unpacking', async () => {
    // One gzip member of 64 MiB of zeros, made with zlib streaming, repeated: 5 MB of gzip that unpacks to 5 GiB
    // (more than the default 4 GiB limit), after one real letter. Concatenated members are one valid gzip.
    const gzip = createGzip({ level: 9 });
    const member = (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of gzip) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    })();
    const zeros = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < 64; i++) if (!gzip.write(zeros)) await once(gzip, 'drain');
    gzip.end();
    const zerosMember = await member;
    const bomb = [gzipSync(await tarOf([['1.xml', memoXml(randomUUID(), ANNA)]])), ...Array(80).fill(zerosMember)];
    const batchesBefore = (await env.services.db.selectFrom('batch').select('id').execute()).length;
    // The upload is never ended: only a server that refuses as it streams can answer it.
    const answer = await new Promise<{ status: number; body: Json }>((resolve, reject) => {
      const request = httpRequest(`${env.url}/api/v1/batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/gzip' },
      });
      request.on('error', reject);
      request.on('response', async (response) => {
        const chunks: Buffer[] = [];
        for await (const chunk of response) chunks.push(chunk as Buffer);
        request.destroy();
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      });
      (async () => {
        for (const part of bomb) if (!request.write(part)) await once(request, 'drain');
      })().catch(() => {});
    });
    assert.equal(answer.status, 413, JSON.stringify(answer.body));
    assert.equal(answer.body.code, 'compression_ratio_too_high');
    assert.equal((await env.services.db.selectFrom('batch').select('id').execute()).length, batchesBefore);
    const spool = path.join(env.dataDir, 'batches');
    const kept = existsSync(spool) ? readdirSync(spool) : [];
    const rows = await env.services.db.selectFrom('batch').select('id').execute();
    assert.deepEqual(
      kept.filter((dir) => !rows.some((row) => row.id === dir)),
      [],
      'no folder left for the refused batch',
    );
  });
});

describe('tar batches: limits and resume', () => {
  let env: BatchEnv;
  let sender: Awaited<ReturnType<typeof createSender>>;
  before(async () => {
    env = await startBatchEnv({
      worker: false,
      env: { KUVERT_BATCH_MAX_BYTES: String(64 * 1024), KUVERT_BATCH_MAX_ITEMS: '20', KUVERT_BATCH_CHUNK: '2' },
    });
    sender = await createSender(env.services.db, 'Ikast Kommune');
    await createPerson(env.services.db, ANNA, 'Anna');
  });
  after(async () => env?.stop());

  test('an archive over the byte limit, one with too many files, or a gzip bomb is 413', async () => {
    const big = await tarOf([['big.xml', 'x'.repeat(70 * 1024)]]);
    const tooBig = await postBatch(env, sender.apiKey, big, 'application/x-tar');
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.body.code, 'batch_too_large');
    const many = await tarOf(Array.from({ length: 21 }, (_, i) => [`${i}.xml`, 'x'] as [string, string]));
    const tooMany = await postBatch(env, sender.apiKey, many, 'application/x-tar');
    assert.equal(tooMany.status, 413);
    assert.equal(tooMany.body.code, 'too_many_items');
    // 1 MiB of zeros compresses to ~1 KiB: within the upload limit, but not once unpacked.
    const bomb = await tarOf([['zeros.xml', Buffer.alloc(1024 * 1024)]], true);
    assert.ok(bomb.length < 64 * 1024);
    const bombed = await postBatch(env, sender.apiKey, bomb, 'application/gzip');
    assert.equal(bombed.status, 413);
    assert.equal(bombed.body.code, 'batch_too_large');
    // One small, valid file followed by zeros: a tar reader skips zero blocks without a word, so only counting the
    // decompressed bytes themselves finds this one.
    const padded = gzipSync(
      Buffer.concat([await tarOf([['1.xml', memoXml(randomUUID(), ANNA)]]), Buffer.alloc(2 * 1024 * 1024)]),
    );
    assert.ok(padded.length < 64 * 1024);
    const paddedAnswer = await postBatch(env, sender.apiKey, padded, 'application/gzip');
    assert.equal(paddedAnswer.status, 413);
    assert.equal(paddedAnswer.body.code, 'batch_too_large');
    assert.equal((await env.services.db.selectFrom('batch').select('id').execute()).length, 0);
  });

  test('a worker that dies mid-batch resumes after the last committed chunk: every letter exactly once', async () => {
    const ids = Array.from({ length: 7 }, () => randomUUID());
    const archive = await tarOf(ids.map((id, i) => [`${i}.xml`, memoXml(id, ANNA, { label: `Brev ${i}` })]));
    const submitted = await postBatch(env, sender.apiKey, archive, 'application/x-tar');
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    const batchId = submitted.body.id as string;
    const config = { ...env.services.config.batches, chunkSize: 2, parts: 1 };
    const db = env.services.db;
    // The third chunk's commit fails, as if the worker died there.
    await sql`create function pg_temp.die() returns trigger language plpgsql as $$
      begin if new.resume_line >= 6 then raise exception 'worker died'; end if; return new; end $$`.execute(db);
    await sql`create trigger die before update on batch_part for each row execute function pg_temp.die()`.execute(db);
    await assert.rejects(processBatch(env.services, { batchId }, config), /worker died/);
    assert.equal((await lettersOf(env, sender.id)).length, 4, 'two chunks committed');
    await sql`drop trigger die on batch_part`.execute(db);
    assert.equal(await processBatch(env.services, { batchId }, config), 'completed');
    const letters = await lettersOf(env, sender.id);
    assert.deepEqual(letters.map((l) => l.message_uuid).sort(), [...ids].sort());
    const status = (await getJson(env, sender.apiKey, `/api/v1/batches/${batchId}`)).body;
    assert.deepEqual(status.counts, { total: 7, processed: 7, accepted: 7, duplicates: 0, failed: 0 });
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 20_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
