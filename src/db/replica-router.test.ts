import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { formatLsn, maxLsn, parseLsn, type ReplicaPosition, ReplicaRouter } from './replica-router.ts';

// The routing rule against a real database standing in for both servers; the replica's position is given by the test
// (a real streaming replica is test/replica.test.ts).
let database: TestDatabase;
let second: TestDatabase;
before(async () => {
  [database, second] = await Promise.all([
    createTestDatabase({ migrate: false }),
    createTestDatabase({ migrate: false }),
  ]);
});
after(async () => {
  await database?.drop();
  await second?.drop();
});

/** A router whose replica (the second database) reports `position()`, on a clock the test moves. */
function routerWith(position: () => ReplicaPosition | Error, options: { staleMs?: number; backoffMs?: number } = {}) {
  let now = 1_000_000;
  const router = new ReplicaRouter(database.db, second.db, {
    pollMs: 3_600_000,
    staleMs: options.staleMs ?? 1_000,
    backoffMs: options.backoffMs ?? 500,
    now: () => now,
    readPosition: async () => {
      const value = position();
      if (value instanceof Error) throw value;
      return value;
    },
  });
  return { router, advance: (ms: number) => (now += ms) };
}
const at = (replay: bigint | null): ReplicaPosition => ({ replay, lagSeconds: 0 });
const served = async (router: ReplicaRouter, required: bigint | null) =>
  (await router.read(required, async (db) => db)).value === second.db ? 'replica' : 'primary';

test('LSNs read and print in PostgreSQL notation and order as numbers', () => {
  assert.equal(parseLsn('0/0'), 0n);
  assert.equal(parseLsn('16/B374D848'), (0x16n << 32n) | 0xb374d848n);
  assert.equal(formatLsn(parseLsn('16/b374d848') as bigint), '16/B374D848');
  assert.ok((parseLsn('1/0') as bigint) > (parseLsn('0/FFFFFFFF') as bigint));
  for (const bad of ['', '16', '16/', 'x/1', '1/2/3', '123456789/0', ' /1']) assert.equal(parseLsn(bad), null, bad);
  assert.equal(maxLsn(null, 5n), 5n);
  assert.equal(maxLsn(7n, 5n), 7n);
  assert.equal(maxLsn(null, null), null);
});

test('without a replica every read is the primary’s and nothing is polled', async () => {
  const router = new ReplicaRouter(database.db, null);
  assert.equal(router.enabled, false);
  assert.equal(await served(router, null), 'primary');
  assert.equal(router.choose(0n).replica, false);
  await router.close();
});

test('a reader goes to the replica only once it has replayed the reader’s position', async () => {
  let replay = 100n;
  const { router } = routerWith(() => at(replay));
  await router.poll();
  assert.equal(await served(router, null), 'replica', 'a reader with no position');
  assert.equal(await served(router, 100n), 'replica', 'exactly replayed');
  assert.equal(await served(router, 101n), 'primary', 'one byte behind the reader');
  replay = 200n;
  assert.equal(await served(router, 150n), 'primary', 'the router only knows what the poller last saw');
  await router.poll();
  assert.equal(await served(router, 150n), 'replica');
  const target = router.choose(150n);
  assert.ok(target.replica && target.replay === 200n, 'the replica read says what it had replayed');
  assert.deepEqual(
    { replica: router.stats().replicaReads, primary: router.stats().primaryReads },
    { replica: 3, primary: 2 },
  );
  await router.close();
});

test('an unknown, stale or failed position sends every read to the primary until the poller answers again', async () => {
  let answer: ReplicaPosition | Error = at(null);
  const { router, advance } = routerWith(() => answer, { staleMs: 1_000 });
  await router.poll();
  assert.equal(await served(router, null), 'primary', 'not a standby (promoted, or the wrong server)');
  answer = at(50n);
  await router.poll();
  assert.equal(await served(router, null), 'replica');
  advance(1_001);
  assert.equal(await served(router, null), 'primary', 'no answer for longer than staleMs');
  await router.poll();
  assert.equal(await served(router, null), 'replica');
  answer = new Error('connect ECONNREFUSED');
  await router.poll();
  assert.equal(await served(router, null), 'primary', 'the poll failed');
  assert.equal(router.stats().healthy, false);
  await router.close();
});

test('a read that fails on the replica is answered by the primary, and the replica is skipped for a while', async () => {
  const { router, advance } = routerWith(() => at(10n), { backoffMs: 500 });
  await router.poll();
  const { value, target } = await router.read(null, async (db) => {
    if (db === second.db)
      throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    return 'from the primary';
  });
  assert.equal(value, 'from the primary');
  assert.equal(target.replica, false);
  assert.equal(router.stats().fallbacks, 1);
  assert.equal(await served(router, null), 'primary', 'skipped after a failure');
  advance(501);
  await router.poll();
  assert.equal(await served(router, null), 'replica', 'tried again after the back-off');
  // The application's own refusals are answers: not run again, not held against the replica.
  await assert.rejects(
    router.read(null, async () => {
      throw Object.assign(new Error('invalid cursor'), { status: 400 });
    }),
    /invalid cursor/,
  );
  assert.equal(router.stats().fallbacks, 1);
  await router.close();
});

test('the primary’s position is its WAL insert position, which only moves forward with writes', async () => {
  const router = new ReplicaRouter(database.db, null);
  const before = await router.primaryPosition();
  assert.ok(before !== null && before > 0n);
  await sql`create table replica_router_probe (n int)`.execute(database.db);
  await sql`insert into replica_router_probe values (1)`.execute(database.db);
  const later = await router.primaryPosition();
  assert.ok(later !== null && later > before, `${formatLsn(later ?? 0n)} after ${formatLsn(before)}`);
});

test('the real position query on a server that is no standby gives no position: the primary is used', async () => {
  const router = new ReplicaRouter(database.db, second.db, { pollMs: 3_600_000 });
  await router.poll();
  assert.equal(router.choose(null).replica, false);
  assert.equal(router.stats().replay, null);
  // close() does not close a pool it was not given.
  await router.close();
  assert.equal((await sql<{ one: number }>`select 1 as one`.execute(second.db)).rows[0]?.one, 1);
});
