import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { type BatchEnv, startBatchEnv } from '../../../../test/support/batches.ts';
import { createPerson, createSender, letterBody, tinyPdf } from '../../../../test/support/fixtures.ts';
import { eventually } from '../../../../test/support/kuvert.ts';
import { sha256Hex } from '../../../documents/document-store.ts';
import { verifyAuditChain } from '../../audit/audit.repository.ts';
import { loadBatchConfig } from './batches.config.ts';
import { processBatch } from './process-batch.ts';

const ANNA = '1503851234'; // enrolled
const BO = '0101901235'; // exempted
const CARL = '0202801236'; // closed
const DORTE = '0303701237'; // enrolled

async function submit(env: BatchEnv, key: string, body: string, contentType = 'application/x-ndjson') {
  const response = await fetch(`${env.url}/api/v1/batches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
    body,
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: (await response.json()) as any,
  };
}

async function get(env: BatchEnv, key: string, pathname: string) {
  const response = await fetch(`${env.url}${pathname}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as any };
}

const waitFinished = (env: BatchEnv, key: string, id: string) =>
  eventually(async () => {
    const { body } = await get(env, key, `/api/v1/batches/${id}`);
    return ['completed', 'cancelled', 'failed'].includes(body.state) ? body : null;
  }, 30_000);

const line = (uuid: string, cpr: string, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ messageUuid: uuid, ...letterBody(cpr), ...overrides });

describe('NDJSON batches, end to end with the worker', () => {
  let env: BatchEnv;
  let sender: Awaited<ReturnType<typeof createSender>>;
  let other: Awaited<ReturnType<typeof createSender>>;
  before(async () => {
    env = await startBatchEnv({ worker: true });
    const db = env.services.db;
    sender = await createSender(db, 'Aarhus Kommune');
    other = await createSender(db, 'Odense Kommune');
    await createPerson(db, ANNA, 'Anna');
    await createPerson(db, BO, 'Bo', 'exempted');
    await createPerson(db, CARL, 'Carl', 'closed');
    await createPerson(db, DORTE, 'Dorte');
  });
  after(async () => env?.stop());

  test('accepts, stores the shared PDF once, routes, records per-item errors, and a re-submission adds nothing', async () => {
    const pdfSha = sha256Hex(tinyPdf);
    const ids = Array.from({ length: 6 }, () => randomUUID());
    const byRef = (uuid: string, cpr: string) =>
      line(uuid, cpr, {
        documents: [{ title: 'Afgørelse', filename: 'a.pdf', mediaType: 'application/pdf', sha256: pdfSha }],
      });
    // Sent alone first: the batch must see it as the same letter.
    const alone = await fetch(`${env.url}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messageUuid: ids[5], ...letterBody(DORTE) }),
    });
    assert.equal(alone.status, 201);
    const lines = [
      line(ids[0] as string, ANNA), // 1 inline PDF
      byRef(ids[1] as string, DORTE), // 2 by reference
      line(ids[2] as string, BO), // 3 exempted → print
      '{"messageUuid": "not json', // 4
      line(randomUUID(), '3213999999'), // 5 invalid CPR
      line(randomUUID(), '0404601238'), // 6 unknown recipient
      line(randomUUID(), CARL), // 7 closed
      byRef(randomUUID(), ANNA).replace(pdfSha, 'f'.repeat(64)), // 8 unknown document
      line(ids[0] as string, ANNA), // 9 same uuid, same content → duplicate
      line(ids[0] as string, DORTE), // 10 same uuid, other content → conflict
      '', // empty lines are skipped
      JSON.stringify(letterBody(ANNA)), // 12 no messageUuid
      line(ids[3] as string, ANNA, { extra: 1 }), // 13 unknown field
      line(ids[4] as string, ANNA, {
        documents: [{ title: 'x', filename: 'x.pdf', mediaType: 'application/pdf', content: 'bm90IGEgcGRm' }],
      }), // 14 not a PDF
      line(ids[5] as string, DORTE), // 15 sent alone before → duplicate
    ];
    const ndjson = `${lines.join('\n')}\n`;
    const submitted = await submit(env, sender.apiKey, ndjson);
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    assert.equal(submitted.body.items, 14);
    const done = await waitFinished(env, sender.apiKey, submitted.body.id);
    assert.equal(done.state, 'completed');
    assert.equal(done.progress, 100);
    assert.deepEqual(done.counts, { total: 14, processed: 14, accepted: 3, duplicates: 2, failed: 9 });

    const errors = await get(env, sender.apiKey, `/api/v1/batches/${submitted.body.id}/errors?limit=5`);
    assert.equal(errors.status, 200);
    assert.deepEqual(
      errors.body.errors.map((e: any) => [e.line, e.code]),
      [
        [4, 'malformed_json'],
        [5, 'invalid_cpr'],
        [6, 'unknown_recipient'],
        [7, 'recipient_closed'],
        [8, 'unknown_document'],
      ],
    );
    const rest = await get(env, sender.apiKey, `/api/v1/batches/${submitted.body.id}/errors?after=${errors.body.next}`);
    assert.deepEqual(
      rest.body.errors.map((e: any) => [e.line, e.code, e.field]),
      [
        [10, 'message_uuid_conflict', '/messageUuid'],
        [12, 'missing_message_uuid', '/messageUuid'],
        [13, 'unknown_field', '/extra'],
        [14, 'not_a_pdf', '/documents/0/content'],
      ],
    );
    assert.equal(rest.body.next, null);

    const db = env.services.db;
    const messages = await db
      .selectFrom('message')
      .select(['message_uuid', 'status'])
      .where('sender_id', '=', sender.id)
      .execute();
    assert.equal(messages.length, 4); // 3 from the batch + 1 sent alone
    const documents = await db.selectFrom('document').select('sha256').execute();
    assert.equal(documents.length, 1, 'the shared PDF is stored once');
    const files = readdirSync(path.join(env.dataDir, 'documents'), { recursive: true }).filter((f) =>
      String(f).endsWith(pdfSha),
    );
    assert.equal(files.length, 1);
    // Routing as deliver-message does it.
    const routed = await eventually(async () => {
      const rows = await sql<{ message_uuid: string; status: string; types: string }>`
        select m.message_uuid::text, m.status, string_agg(e.type, ',' order by e.id) as types
        from message m join message_event_expanded e on e.message_id = m.id
        where m.message_uuid = any(${ids.slice(0, 3)}::uuid[]) group by m.id
      `.execute(db);
      return rows.rows.length === 3 && rows.rows.every((r) => r.types.split(',').length === 3) ? rows.rows : null;
    });
    const by = new Map(routed.map((r) => [r.message_uuid, r]));
    assert.equal(by.get(ids[0] as string)?.types, 'RECEIVED,VALIDATED,AVAILABLE_TO_RECIPIENT');
    assert.equal(by.get(ids[0] as string)?.status, 'available');
    assert.equal(by.get(ids[1] as string)?.types, 'RECEIVED,VALIDATED,AVAILABLE_TO_RECIPIENT');
    assert.equal(by.get(ids[2] as string)?.types, 'RECEIVED,VALIDATED,PRINT_QUEUED');
    // One audit row per chunk, not per letter; the chain holds.
    const audits = await db.selectFrom('audit_event').select('action').where('action', '=', 'batch.chunk').execute();
    assert.ok(audits.length <= 6, `${audits.length} chunk audit rows`);
    assert.equal(await verifyAuditChain(db), null);
    // The spool is removed once the batch is recorded as completed (routing no longer waits for it).
    await eventually(async () => !existsSync(path.join(env.dataDir, 'batches', submitted.body.id)) || null);

    // The same batch again: nothing new, the letters count as duplicates.
    const again = await submit(env, sender.apiKey, ndjson);
    const second = await waitFinished(env, sender.apiKey, again.body.id);
    assert.deepEqual(second.counts, { total: 14, processed: 14, accepted: 0, duplicates: 5, failed: 9 });
    const count = await db
      .selectFrom('message')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 4);

    // Another sender cannot see it.
    assert.equal((await get(env, other.apiKey, `/api/v1/batches/${submitted.body.id}`)).status, 404);
    assert.equal((await get(env, other.apiKey, `/api/v1/batches/${submitted.body.id}/errors`)).status, 404);
  });

  test('bulk letters that reach a mailbox schedule the new-mail notification and the sender’s follow-ups', async () => {
    const db = env.services.db;
    const skat = await createSender(db, 'Skattestyrelsen');
    await db
      .insertInto('notify_sender_default')
      .values({ sender_id: skat.id, label_in_notification: false, remind_after_days: 7, print_after_days: null })
      .execute();
    // Eva has a confirmed e-mail address and gets two letters; Frej has none; Bo is exempted (paper).
    const eva = await createPerson(db, '0404601238', 'Eva');
    const frej = await createPerson(db, '0505501239', 'Frej');
    await db
      .insertInto('contact_detail')
      .values({ recipient_id: eva.id, kind: 'email', value: 'eva@example.dk', confirmed_at: new Date() })
      .execute();
    const uuids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const ndjson = [
      line(uuids[0] as string, '0404601238'),
      line(uuids[1] as string, '0404601238'),
      line(uuids[2] as string, '0505501239'),
      line(uuids[3] as string, BO),
    ].join('\n');
    const submitted = await submit(env, skat.apiKey, `${ndjson}\n`);
    assert.equal(submitted.status, 202);
    assert.equal((await waitFinished(env, skat.apiKey, submitted.body.id)).counts.accepted, 4);
    const pending = await db.selectFrom('notify_pending').select(['recipient_id', 'letters']).execute();
    assert.deepEqual(
      pending.filter((p) => p.recipient_id === eva.id || p.recipient_id === frej.id),
      [{ recipient_id: eva.id, letters: 2 }],
      'one coalesced notification for Eva’s two letters, none for Frej without contact details',
    );
    const followups = await sql<{ message_uuid: string; remind_days: number; print_at: Date | null }>`
      select m.message_uuid::text, extract(day from f.remind_at - f.available_at)::int as remind_days, f.print_at
      from notify_followup f join message m on m.id = f.message_id where m.sender_id = ${skat.id}
    `.execute(db);
    assert.deepEqual(
      followups.rows.map((f) => [f.message_uuid, f.remind_days, f.print_at]).sort(),
      uuids
        .slice(0, 3)
        .map((u) => [u, 7, null])
        .sort(),
      'the sender’s 7-day reminder for each letter in a mailbox, none for the paper letter',
    );
  });

  test('bad content types and empty bodies are refused with problem+json, and nothing is stored', async () => {
    const json = await submit(env, sender.apiKey, '{}', 'application/json');
    assert.equal(json.status, 415);
    assert.equal(json.body.code, 'unsupported_batch_type');
    assert.match(json.type, /application\/problem\+json/);
    const csv = await submit(env, sender.apiKey, 'cpr\n1503851234\n', 'text/csv');
    assert.equal(csv.status, 415, 'a bare CSV has no template: it must come as multipart/form-data');
    assert.match(csv.body.detail, /multipart\/form-data/);
    const tar = await submit(env, sender.apiKey, 'x'.repeat(600), 'application/x-tar');
    assert.equal(tar.status, 400);
    assert.equal(tar.body.code, 'malformed_archive');
    const empty = await submit(env, sender.apiKey, '\n\n');
    assert.equal(empty.status, 400);
    assert.equal(empty.body.code, 'empty_batch');
    const noKey = await fetch(`${env.url}/api/v1/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: 'x',
    });
    assert.equal(noKey.status, 401);
  });
});

describe('NDJSON batches: limits and cancellation', () => {
  let env: BatchEnv;
  let sender: Awaited<ReturnType<typeof createSender>>;
  before(async () => {
    env = await startBatchEnv({
      worker: false,
      env: {
        KUVERT_BATCH_MAX_BYTES: String(64 * 1024),
        KUVERT_BATCH_MAX_ITEMS: '50',
        KUVERT_BATCH_MAX_LINE_BYTES: String(8 * 1024),
        KUVERT_BATCH_CHUNK: '10',
        KUVERT_BATCH_PARTS: '1',
      },
    });
    sender = await createSender(env.services.db);
    await createPerson(env.services.db, ANNA, 'Anna');
  });
  after(async () => env?.stop());

  const countBatches = async () =>
    Number(
      (
        await env.services.db
          .selectFrom('batch')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const spoolDirs = () =>
    existsSync(path.join(env.dataDir, 'batches')) ? readdirSync(path.join(env.dataDir, 'batches')) : [];

  test('an oversize body, too many items or an overlong line is 413 and leaves nothing behind', async () => {
    const big = await submit(env, sender.apiKey, `${'x'.repeat(70 * 1024)}\n`);
    assert.equal(big.status, 413);
    assert.equal(big.body.code, 'batch_too_large');
    const many = await submit(env, sender.apiKey, Array.from({ length: 51 }, () => '{}').join('\n'));
    assert.equal(many.status, 413);
    assert.equal(many.body.code, 'too_many_items');
    const long = await submit(env, sender.apiKey, `{}\n${'y'.repeat(9000)}\n`);
    assert.equal(long.status, 413);
    assert.equal(long.body.code, 'line_too_long');
    assert.equal(long.body.line, 2);
    assert.equal(await countBatches(), 0);
    assert.deepEqual(spoolDirs(), []);
  });

  test('cancelling stops at a chunk boundary; letters accepted before it stay', async () => {
    const ndjson = Array.from({ length: 50 }, () => line(randomUUID(), ANNA)).join('\n');
    // Bigger than this env's byte limit allows with inline PDFs: use a fresh env-less config for processing.
    const submitted = await submit(
      env,
      sender.apiKey,
      Array.from({ length: 50 }, (_, i) =>
        i === 0
          ? ndjson.split('\n')[0]
          : JSON.stringify({
              messageUuid: randomUUID(),
              ...letterBody(ANNA),
              documents: [{ title: 'A', filename: 'a.pdf', mediaType: 'application/pdf', sha256: sha256Hex(tinyPdf) }],
            }),
      ).join('\n'),
    );
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    const id = submitted.body.id as string;
    const config = { ...loadBatchConfig(1024 * 1024, {}), chunkSize: 5, parts: 1 };
    const db = env.services.db;
    // Slow each chunk down a little so the cancellation lands mid-batch.
    await sql`create function pg_temp_slow() returns trigger language plpgsql as $$ begin perform pg_sleep(0.05); return null; end $$`.execute(
      db,
    );
    await sql`create trigger slow after insert on batch_item_error for each statement execute function pg_temp_slow()`.execute(
      db,
    );
    await sql`create trigger slow after update on batch_part for each statement execute function pg_temp_slow()`.execute(
      db,
    );
    const running = processBatch(env.services, { batchId: id }, config);
    await eventually(async () =>
      (await get(env, sender.apiKey, `/api/v1/batches/${id}`)).body.counts.processed > 0 ? true : null,
    );
    const cancelled = await fetch(`${env.url}/api/v1/batches/${id}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sender.apiKey}` },
    });
    assert.equal(cancelled.status, 200);
    assert.equal(await running, 'stopped');
    const final = (await get(env, sender.apiKey, `/api/v1/batches/${id}`)).body;
    assert.equal(final.state, 'cancelled');
    assert.match(final.detail, /stay sent/);
    assert.ok(final.counts.accepted > 0 && final.counts.accepted < 50, `accepted ${final.counts.accepted}`);
    const messages = await db
      .selectFrom('message')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(messages.n), final.counts.accepted, 'no letter beyond the committed chunks');
    // Cancelling again is harmless; a finished batch cannot be cancelled.
    const again = await fetch(`${env.url}/api/v1/batches/${id}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sender.apiKey}` },
    });
    assert.equal(again.status, 200);
    assert.equal(await processBatch(env.services, { batchId: id }, config), 'busy');
  });
});
