import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { loadConfig } from '../../config.ts';
import { createLogger } from '../../logger.ts';
import { seedDemoData } from '../../seed.ts';
import { createServices } from '../../services.ts';
import { seedCorrespondenceDemo } from './correspondence.seed.ts';

let database: TestDatabase | undefined;
let dataDir: string | undefined;
after(async () => {
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the demo has contact points, letters that take a reply and an acknowledged message; a re-run adds nothing', {
  timeout: 300_000,
}, async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-corr-seed-'));
  const services = createServices(
    loadConfig({ NODE_ENV: 'test', KUVERT_DATA_DIR: dataDir }),
    database.db,
    database.pool,
  );
  const logger = createLogger('warn', process.stderr);
  await seedDemoData(services, logger);
  const db = services.db;

  const points = await db
    .selectFrom('contact_point')
    .innerJoin('sender', 'sender.id', 'contact_point.sender_id')
    .select(['sender.name as sender', 'contact_point.name', 'contact_point.active'])
    .orderBy('sender.name')
    .orderBy('contact_point.name')
    .execute();
  for (const [sender, name] of [
    ['Københavns Kommune', 'Borgerservice'],
    ['Københavns Kommune', 'Byggesag'],
    ['Skattestyrelsen', 'Skat – spørgsmål om forskudsopgørelse'],
  ]) {
    assert.ok(
      points.some((p) => p.sender === sender && p.name === name && p.active),
      `${sender}: ${name}`,
    );
  }
  const replyable = await db
    .selectFrom('message')
    .innerJoin('recipient', 'recipient.id', 'message.recipient_id')
    .select(['recipient.name', 'message.reply_by'])
    .where('message.reply_allowed', '=', true)
    .where('message.status', '=', 'available')
    .execute();
  assert.ok(replyable.some((m) => m.name === 'Anna Jensen' && (m.reply_by as Date) > new Date()));
  assert.ok(replyable.some((m) => m.name === 'Karen Holm'));
  const sent = await db.selectFrom('inbound_message').select(['subject', 'acknowledged_at']).execute();
  assert.equal(sent.length, 1);
  assert.ok(sent[0]?.acknowledged_at, 'acknowledged by the authority');
  const liveKeys = await db
    .selectFrom('api_key')
    .select('id')
    .where('label', '=', 'Demo correspondence seed')
    .where('revoked_at', 'is', null)
    .execute();
  assert.deepEqual(liveKeys, [], 'the seed’s keys are revoked');

  const count = async (table: 'contact_point' | 'inbound_message' | 'message') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const before = [await count('contact_point'), await count('inbound_message'), await count('message')];
  const senders = Object.fromEntries(
    (await db.selectFrom('sender').select(['id', 'cvr']).execute()).map((s) => [
      { '64942212': 'kk', '43554204': 'skat', '29190623': 'rh' }[s.cvr ?? ''] ?? s.id,
      s.id,
    ]),
  );
  // A crashed seed re-runs the module seed: it must add nothing.
  await seedCorrespondenceDemo({
    services,
    logger,
    anchor: new Date(),
    senders: senders as never,
    openLetter: async () => assert.fail('this seed opens no letter'),
  });
  assert.deepEqual([await count('contact_point'), await count('inbound_message'), await count('message')], before);
});
