/**
 * kill -9 while a chunk is isolating a line the database refuses (see batches-poison.test.ts), then restart: the
 * isolation is part of the chunk's one transaction, so it is redone whole — no letter twice, none lost.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { createPerson, createSender, letterBody } from './support/fixtures.ts';
import { eventually } from './support/kuvert.ts';
import { startKuvertProcess } from './support/kuvert-process.ts';

const ITEMS = 300;
const LOCK = 4242;

let database: TestDatabase;
let dataDir: string;
let server: ChildProcess | null = null;
let base = '';

before(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-poison-crash-'));
});
after(async () => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function startServer(): Promise<ChildProcess> {
  const started = await startKuvertProcess({ databaseUrl: database.url, dataDir });
  base = started.url;
  return started.child;
}

test('kill -9 while a chunk isolates a refused line, restart: every other letter exactly once', async () => {
  const db = database.db;
  const sender = await createSender(db, 'Crash Kommune');
  await createPerson(db, '1503851234', 'Anna');
  // The refused line is the file's last, so it is in the later half at every split. The chunk's first attempt
  // meets it once; the isolating attempt meets it next with all of it under a savepoint, then a third time after
  // the first half is in: there it waits for the test's advisory lock — Kuvert is killed mid-isolation.
  await sql`create sequence test_poison_seen`.execute(db);
  await sql`
    create function test_refuse_poison() returns trigger language plpgsql as $$
    begin
      if new.label = 'POISON' then
        if nextval('test_poison_seen') = 3 then perform pg_advisory_xact_lock(${sql.lit(LOCK)}); end if;
        raise exception 'refused' using errcode = '23514';
      end if;
      return new;
    end $$
  `.execute(db);
  await sql`
    create trigger test_refuse_poison before insert on message for each row execute function test_refuse_poison()
  `.execute(db);
  const holder = await database.pool.connect();
  await holder.query('select pg_advisory_lock($1)', [LOCK]);
  let held = true;
  try {
    const uuids = Array.from({ length: ITEMS }, () => randomUUID());
    const body = uuids
      .map((uuid, i) =>
        JSON.stringify({
          messageUuid: uuid,
          ...letterBody('1503851234', { label: i === ITEMS - 1 ? 'POISON' : `Brev ${i}` }),
        }),
      )
      .join('\n');
    server = await startServer();
    const api = (pathname: string, init: RequestInit = {}) =>
      fetch(`${base}${pathname}`, {
        ...init,
        headers: { authorization: `Bearer ${sender.apiKey}`, ...(init.headers as Record<string, string>) },
      });
    const submitted = await api('/api/v1/batches', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body,
    });
    assert.equal(submitted.status, 202);
    const { id } = (await submitted.json()) as { id: string };

    // Mid-isolation: a backend waits for the lock, with the first half of the chunk inserted under its savepoint.
    await eventually(async () => {
      const waiting = await sql<{ n: string }>`
        select count(*) as n from pg_locks where locktype = 'advisory' and objid = ${LOCK} and not granted
      `.execute(db);
      return Number(waiting.rows[0]?.n) === 1;
    }, 60_000);
    server.kill('SIGKILL');
    await new Promise((resolve) => server?.once('exit', resolve));
    // The dead worker's backend goes on, fails on the refused line, and finds its client gone: rolled back.
    await holder.query('select pg_advisory_unlock($1)', [LOCK]);
    held = false;

    server = await startServer();
    const finished = await eventually(async () => {
      const status = (await (await api(`/api/v1/batches/${id}`)).json()) as {
        state: string;
        counts: Record<string, number>;
      };
      return ['completed', 'failed', 'cancelled'].includes(status.state) ? status : null;
    }, 120_000);
    assert.equal(finished.state, 'completed');
    assert.deepEqual(finished.counts, {
      total: ITEMS,
      processed: ITEMS,
      accepted: ITEMS - 1,
      duplicates: 0,
      failed: 1,
    });
    const errors = (await (await api(`/api/v1/batches/${id}/errors`)).json()) as {
      errors: { line: number; code: string }[];
    };
    assert.deepEqual(
      errors.errors.map((e) => [e.line, e.code]),
      [[ITEMS, 'line_failed']],
    );
    const letters = await sql<{ n: string; distinct_uuids: string }>`
      select count(*) as n, count(distinct message_uuid) as distinct_uuids from message where sender_id = ${sender.id}
    `.execute(db);
    assert.deepEqual(letters.rows[0], { n: String(ITEMS - 1), distinct_uuids: String(ITEMS - 1) });
    const received = await sql<{ n: string }>`
      select count(*) as n from message_event_expanded where sender_id = ${sender.id} and type = 'RECEIVED'
    `.execute(db);
    assert.equal(Number(received.rows[0]?.n), ITEMS - 1, 'one RECEIVED per letter');
    server.kill('SIGTERM');
    await new Promise((resolve) => server?.once('exit', resolve));
  } finally {
    if (held) await holder.query('select pg_advisory_unlock($1)', [LOCK]).catch(() => {});
    holder.release();
  }
});
