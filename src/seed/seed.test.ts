import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { authenticateApiKey } from '../modules/identity/api-keys.ts';
import { demoSenders, personas } from '../modules/identity/personas.ts';
import { DECEASED_DEMO_CPR } from '../modules/mailbox/index.ts';
import { PRINT_DEMO_PEOPLE } from '../modules/mailbox/paper-mail.seed.ts';
import { seedDemoData } from '../seed.ts';
import { createServices, type Services } from '../services.ts';

const logger = createLogger('warn', process.stderr);
const DEMO_KEY = 'kuvert-demo-key-for-tests-0123456789';
const citizens = personas.filter((p) => p.role === 'citizen');

const databases: TestDatabase[] = [];
const dataDirs: string[] = [];

async function setUp(env: Record<string, string> = {}): Promise<Services> {
  const database = await createTestDatabase();
  databases.push(database);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-seed-test-'));
  dataDirs.push(dataDir);
  const config = loadConfig({ NODE_ENV: 'test', KUVERT_DATA_DIR: dataDir, ...env });
  return createServices(config, database.db, database.pool);
}

async function counts(services: Services): Promise<Record<string, number>> {
  const tables = [
    'municipality',
    'sender',
    'api_key',
    'recipient',
    'staff_user',
    'document',
    'message',
    'message_document',
    'message_event',
    'audit_event',
  ] as const;
  const result: Record<string, number> = {};
  for (const table of tables) {
    const row = await services.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    result[table] = Number(row.n);
  }
  return result;
}

after(async () => {
  for (const database of databases) await database.drop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('demo seed', () => {
  let services: Services;
  let firstCounts: Record<string, number>;

  before(async () => {
    services = await setUp({ KUVERT_DEMO_API_KEY: DEMO_KEY });
    await seedDemoData(services, logger);
    firstCounts = await counts(services);
  });

  test('loads the 98 municipalities with their Danish names', async () => {
    assert.equal(firstCounts.municipality, 98);
    const rows = await services.db
      .selectFrom('municipality')
      .selectAll()
      .where('code', 'in', ['0101', '0860'])
      .orderBy('code')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.code, r.name, r.region_name]),
      [
        ['0101', 'København', 'Region Hovedstaden'],
        ['0860', 'Hjørring', 'Region Nordjylland'],
      ],
    );
  });

  test('creates the demo senders, citizens and staff users', async () => {
    // The demo senders and the demo vendor (seed/vendor.ts), which Københavns Kommune has authorised.
    assert.equal(firstCounts.sender, demoSenders.length + 1);
    const given = await services.db
      .selectFrom('on_behalf_authorisation as o')
      .innerJoin('sender as a', 'a.id', 'o.authority_sender_id')
      .innerJoin('sender as v', 'v.id', 'o.vendor_sender_id')
      .select(['a.cvr as authority', 'v.name as vendor', 'o.scopes', 'o.revoked_at'])
      .execute();
    assert.deepEqual(given, [
      {
        authority: '64942212',
        vendor: 'Kommunedata Systemer A/S',
        scopes: ['messages:send', 'messages:read'],
        revoked_at: null,
      },
    ]);
    const people = await services.db.selectFrom('recipient').selectAll().where('kind', '=', 'person').execute();
    // The citizens, the print demo's two exempted people and the retention demo's deceased person
    // (mailbox/retention.seed.ts), his mailbox closed.
    assert.equal(people.length, citizens.length + PRINT_DEMO_PEOPLE.length + 1);
    const recipients = people.filter((r) => citizens.some((c) => c.cpr === r.cpr));
    assert.equal(recipients.length, citizens.length);
    // Every demo citizen has a postal address in the registry, where remote print finds it.
    assert.ok(recipients.every((r) => r.address_lines.length > 0 && /^\d{4}$/.test(r.postcode ?? '') && r.city));
    const deceased = people.find((r) => r.cpr === DECEASED_DEMO_CPR);
    assert.equal(deceased?.enrolment, 'closed');
    assert.equal(deceased?.closed_reason, 'death');
    assert.ok(deceased?.delete_after, 'on its way out');
    const businesses = await services.db.selectFrom('recipient').select('cvr').where('kind', '=', 'business').execute();
    assert.ok(businesses.length >= 1, 'a demo business has a mailbox');
    const karen = recipients.find((r) => r.cpr === '2409441238');
    assert.equal(karen?.birth_date, '1944-09-24');
    assert.equal(karen?.municipality_code, '0751');
    assert.ok(recipients.every((r) => r.enrolment === 'automatic'));
    const staff = await services.db.selectFrom('staff_user').selectAll().orderBy('subject').execute();
    assert.deepEqual(
      staff.map((s) => [s.subject, s.role, s.municipality_code, s.sender_id !== null]),
      [
        ['demo-caseworker-sofie', 'caseworker', '0101', false],
        ['demo-operator-ole', 'operator', null, false],
        ['demo-sender-lars', 'sender_staff', null, true],
        ['kommunedata-admin', 'sender_staff', null, true],
      ],
    );
  });

  test('shows paper mail ending both ways: one letter returned to sender, one failed for lack of an address', async () => {
    const letters = await services.db
      .selectFrom('message')
      .innerJoin('recipient', 'recipient.id', 'message.recipient_id')
      .select(['recipient.cpr', 'message.status', 'message.rejected_reason', 'recipient.address_doubtful_since'])
      .where(
        'recipient.cpr',
        'in',
        PRINT_DEMO_PEOPLE.map((p) => p.cpr),
      )
      .orderBy('message.status')
      .execute();
    assert.deepEqual(
      letters.map((l) => [l.status, l.rejected_reason, l.address_doubtful_since !== null]),
      [
        ['rejected', 'no_postal_address', false],
        ['returned', null, true],
      ],
    );
  });

  test('gives each demo citizen at least 18 delivered letters, each with a real PDF as main document', async () => {
    for (const persona of citizens) {
      if (persona.role !== 'citizen') continue;
      const letters = await services.db
        .selectFrom('message')
        .innerJoin('recipient', 'recipient.id', 'message.recipient_id')
        .innerJoin('message_document', 'message_document.message_id', 'message.id')
        .select([
          'message.id',
          'message.available_at',
          'message.first_read_at',
          'message_document.sha256',
          'message_document.media_type',
        ])
        .where('recipient.cpr', '=', persona.cpr)
        .where('message.status', '=', 'available')
        .where('message_document.position', '=', 0)
        .execute();
      assert.ok(letters.length >= 18, `${persona.name} has ${letters.length} letters`);
      for (const letter of letters) {
        assert.equal(letter.media_type, 'application/pdf');
        const bytes = await services.documents.get(letter.sha256);
        assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
      }
      // Spread over the past, some read, the newest unread.
      const times = letters.map((l) => (l.available_at as Date).getTime()).sort((a, b) => a - b);
      assert.ok(Date.now() - (times[0] as number) > 200 * 86_400_000, 'oldest letter is months old');
      assert.ok(
        times.every((t) => t <= Date.now()),
        'no letter from the future',
      );
      assert.ok(letters.some((l) => l.first_read_at !== null));
      const newest = letters.reduce((a, b) => ((a.available_at as Date) > (b.available_at as Date) ? a : b));
      assert.equal(newest.first_read_at, null);
    }
  });

  test('seeding again adds nothing', async () => {
    await seedDemoData(services, logger);
    assert.deepEqual(await counts(services), firstCounts);
  });

  test('KUVERT_DEMO_API_KEY authenticates as Københavns Kommune', async () => {
    const auth = await authenticateApiKey(services.db, DEMO_KEY);
    assert.ok(auth);
    const sender = await services.db
      .selectFrom('sender')
      .select(['name', 'cvr'])
      .where('id', '=', auth.senderId)
      .executeTakeFirstOrThrow();
    assert.equal(sender.name, 'Københavns Kommune');
  });
});

test('two racing seeds seed once and print one generated demo key', async () => {
  const services = await setUp();
  const printed: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    printed.push(String(chunk));
    return (write as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    await Promise.all([seedDemoData(services, logger), seedDemoData(services, logger)]);
  } finally {
    process.stdout.write = write;
  }
  const c = await counts(services);
  assert.equal(c.municipality, 98);
  const persons = await services.db.selectFrom('recipient').select('id').where('kind', '=', 'person').execute();
  // The citizens, the print demo's two exempted people and the retention demo's deceased person.
  assert.equal(persons.length, citizens.length + PRINT_DEMO_PEOPLE.length + 1);
  const banners = printed.join('').match(/Demo API key for Københavns Kommune \(shown once\): (kuv_\S+)/g) ?? [];
  assert.equal(banners.length, 1);
  const key = (banners[0] as string).split(': ')[1] as string;
  const auth = await authenticateApiKey(services.db, key);
  const kk = await services.db
    .selectFrom('sender')
    .select('id')
    .where('cvr', '=', '64942212')
    .executeTakeFirstOrThrow();
  assert.equal(auth?.senderId, kk.id);
  const demoKeys = await services.db.selectFrom('api_key').select('id').where('label', '=', 'Demo key').execute();
  assert.equal(demoKeys.length, 1);
  // Each message exactly once despite the race.
  const dupes = await services.db
    .selectFrom('message')
    .select(['sender_id', 'message_uuid'])
    .groupBy(['sender_id', 'message_uuid'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  assert.deepEqual(dupes, []);
});

test('nothing is seeded in production', async () => {
  const database = await createTestDatabase();
  databases.push(database);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-seed-test-'));
  dataDirs.push(dataDir);
  const config = loadConfig({
    NODE_ENV: 'production',
    KUVERT_DATA_DIR: dataDir,
    KUVERT_SESSION_SECRET: 'a-production-session-secret-of-sufficient-length',
    OIDC_ISSUER: 'https://idp.example.dk',
    OIDC_CLIENT_SECRET: 'secret',
    KUVERT_DEMO_API_KEY: DEMO_KEY,
    // Production needs real transports (they connect lazily: nothing is sent here).
    KUVERT_SMTP_URL: 'smtp://mail.example.dk:587',
    KUVERT_SMPP_URL: 'smpp://kuvert:secret@sms.example.dk:2775',
  });
  const services = createServices(config, database.db, database.pool);
  await seedDemoData(services, logger);
  const { municipality, ...c } = await counts(services);
  assert.equal(municipality, 98, 'reference data comes with the migrations, demo or not');
  assert.ok(
    Object.values(c).every((n) => n === 0),
    JSON.stringify(c),
  );
  const settings = await services.db.selectFrom('app_setting').selectAll().execute();
  assert.deepEqual(settings, []);
});
