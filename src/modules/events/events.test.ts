import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/database.ts';
import { createPerson, createSender, letterBody } from '../../../test/support/fixtures.ts';
import { eventually, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';

let kuvert: TestKuvert;
let x: Awaited<ReturnType<typeof createSender>>;
let y: Awaited<ReturnType<typeof createSender>>;

before(async () => {
  kuvert = await startTestKuvert();
  x = await createSender(kuvert.services.db, 'Vejle Kommune');
  y = await createSender(kuvert.services.db, 'Kolding Kommune');
  await createPerson(kuvert.services.db, '1503851234', 'Anna Jensen');
});
after(async () => kuvert?.stop());

async function feed(key: string, query = '') {
  const response = await fetch(`${kuvert.url}/api/v1/events${query}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as any };
}

async function send(key: string, reference: string) {
  const response = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(letterBody('1503851234', { senderReference: reference })),
  });
  assert.equal(response.status, 201);
  return ((await response.json()) as any).id as string;
}

describe('the sender’s event feed', () => {
  test('paging with the cursor delivers every event once, in order, and only the sender’s own', async () => {
    const ids = [await send(x.apiKey, 'A'), await send(x.apiKey, 'B'), await send(x.apiKey, 'C')];
    await send(y.apiKey, 'other sender');
    // Wait until the worker has made all of X's letters available.
    await eventually(async () => (await feed(x.apiKey, '?limit=1000')).body.events.length === 9);

    const seen: any[] = [];
    let cursor = '';
    for (let i = 0; i < 10; i++) {
      const page = await feed(x.apiKey, `?limit=2${cursor ? `&after=${cursor}` : ''}`);
      assert.equal(page.status, 200);
      seen.push(...page.body.events);
      cursor = page.body.cursor;
      if (!page.body.hasMore) break;
    }
    assert.equal(seen.length, 9);
    assert.equal(new Set(seen.map((e) => e.eventId)).size, 9, 'no event twice');
    assert.deepEqual(new Set(seen.map((e) => e.messageId)), new Set(ids), 'only X’s letters');
    for (const id of ids) {
      assert.deepEqual(
        seen.filter((e) => e.messageId === id).map((e) => e.type),
        ['RECEIVED', 'VALIDATED', 'AVAILABLE_TO_RECIPIENT'],
      );
    }
    const empty = await feed(x.apiKey, `?after=${cursor}`);
    assert.deepEqual(empty.body.events, []);
    assert.equal(empty.body.cursor, cursor, 'polling again with nothing new keeps the cursor');
  });

  test('an event whose transaction commits late is never skipped by a client polling with its cursor', async () => {
    const message = await kuvert.services.db
      .selectFrom('message')
      .select(['id', 'sender_id'])
      .where('sender_id', '=', x.id)
      .executeTakeFirstOrThrow();
    const start = (await feed(x.apiKey, '?limit=1000')).body.cursor;
    const slow = new pg.Client({ connectionString: kuvert.database.url });
    const fast = new pg.Client({ connectionString: kuvert.database.url });
    await slow.connect();
    await fast.connect();
    try {
      const insert = `insert into message_event (message_id, sender_id, type) values ($1, $2, $3)`;
      await slow.query('begin');
      await slow.query(insert, [message.id, message.sender_id, 'SLOW']);
      await fast.query(insert, [message.id, message.sender_id, 'FAST']); // commits at once, with a later id

      const during = await feed(x.apiKey, `?after=${start}`);
      assert.deepEqual(
        during.body.events.map((e: any) => e.type),
        [],
        'nothing is handed out past a transaction still running',
      );
      await slow.query('commit');
      // Polled, as a client does: this database's other transactions (the worker's) may hold it a moment longer.
      const types: string[] = [];
      let cursor = during.body.cursor;
      await eventually(async () => {
        const page = await feed(x.apiKey, `?after=${cursor}`);
        types.push(...page.body.events.map((e: any) => e.type));
        cursor = page.body.cursor;
        return types.length >= 2;
      });
      assert.deepEqual(types, ['SLOW', 'FAST']);
    } finally {
      await slow.end();
      await fast.end();
    }
  });

  test('a write running in another database of the server does not hold the feed back (kuvert_feed_horizon)', async () => {
    const start = (await feed(x.apiKey, '?limit=1000')).body.cursor;
    const elsewhere = await createTestDatabase({ migrate: false });
    const other = new pg.Client({ connectionString: elsewhere.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('create table held (x int)'); // a write: the transaction has an id, older than the letter's
      const id = await send(x.apiKey, 'while another database writes');
      // Eventually, as this database's own worker may be in a transaction for a moment; never while `other` runs
      // under the cluster-wide horizon.
      await eventually(async () => {
        const page = await feed(x.apiKey, `?after=${start}`);
        return page.body.events.some((e: any) => e.messageId === id && e.type === 'RECEIVED');
      });
      const running = await other.query(`select state from pg_stat_activity where pid = pg_backend_pid()`);
      assert.equal(running.rows[0]?.state, 'active', 'the other transaction was still open');
      await other.query('rollback');
    } finally {
      await other.end();
      await elsewhere.drop();
    }
  });

  test('a bulk letter’s events, stored as one run, page one at a time, each with its own id', async () => {
    const z = await createSender(kuvert.services.db, 'Fredericia Kommune');
    await createPerson(kuvert.services.db, '0101904321', 'Bo Holm');
    const uuids = [randomUUID(), randomUUID()];
    const ndjson = uuids
      .map((messageUuid, i) => JSON.stringify({ ...letterBody(i ? '0101904321' : '1503851234'), messageUuid }))
      .join('\n');
    const submitted = await fetch(`${kuvert.url}/api/v1/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${z.apiKey}`, 'content-type': 'application/x-ndjson' },
      body: `${ndjson}\n`,
    });
    assert.equal(submitted.status, 202);
    // Both letters go straight to the mailbox: RECEIVED, VALIDATED and AVAILABLE_TO_RECIPIENT each, one row each.
    const all = await eventually(async () => {
      const page = await feed(z.apiKey, '?limit=1000');
      return page.body.events.length === 6 ? page.body.events : null;
    });
    const stored = await kuvert.services.db
      .selectFrom('message_event')
      .select('id')
      .where('sender_id', '=', z.id)
      .execute();
    assert.equal(stored.length, 2, 'one stored row per letter');
    for (const messageUuid of uuids) {
      const events = all.filter((e: any) => e.messageUuid === messageUuid);
      assert.deepEqual(
        events.map((e: any) => e.type),
        ['RECEIVED', 'VALIDATED', 'AVAILABLE_TO_RECIPIENT'],
      );
      const ids = events.map((e: any) => BigInt(e.eventId));
      assert.deepEqual([ids[1], ids[2]], [(ids[0] as bigint) + 1n, (ids[0] as bigint) + 2n]);
    }
    assert.equal(new Set(all.map((e: any) => e.eventId)).size, 6, 'no two events share an id');

    // Paged by 1 and by 2, the cursor stops inside runs; every event still comes once, in the same order.
    for (const limit of [1, 2, 4]) {
      const seen: any[] = [];
      let cursor = '';
      for (let i = 0; i < 10; i++) {
        const page = await feed(z.apiKey, `?limit=${limit}${cursor ? `&after=${cursor}` : ''}`);
        seen.push(...page.body.events);
        cursor = page.body.cursor;
        if (!page.body.hasMore) break;
      }
      assert.deepEqual(
        seen.map((e) => e.eventId),
        all.map((e: any) => e.eventId),
        `limit ${limit}`,
      );
    }

    // The letter's own status history shows the run as three events too.
    const letter = all[0].messageId as string;
    const response = await fetch(`${kuvert.url}/api/v1/messages/${letter}`, {
      headers: { authorization: `Bearer ${z.apiKey}` },
    });
    const body = (await response.json()) as any;
    assert.deepEqual(
      body.events.map((e: any) => e.type),
      ['RECEIVED', 'VALIDATED', 'AVAILABLE_TO_RECIPIENT'],
    );
  });

  test('a cursor the feed did not hand out is a 400 problem naming the field', async () => {
    const bad = await feed(x.apiKey, '?after=bm9wZQ');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'invalid_cursor');
    assert.equal(bad.body.errors[0].field, 'after');
  });

  test('the feed needs an API key', async () => {
    const response = await fetch(`${kuvert.url}/api/v1/events`);
    assert.equal(response.status, 401);
  });
});
