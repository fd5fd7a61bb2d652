import { createHash } from 'node:crypto';
import { type Insertable, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from './db/database.ts';
import { loadMunicipalities } from './db/municipalities.ts';
import type { StaffUserTable } from './db/schema.ts';
import { birthDateFromCpr } from './kernel/identifiers.ts';
import { isPrettyLogger } from './logger.ts';
import { insertMessageEventsFrom } from './modules/events/index.ts';
import {
  authenticateApiKey,
  createApiKey,
  type DemoSenderKey,
  demoSenders,
  personas,
} from './modules/identity/index.ts';
import { seedOrder } from './modules/index.ts';
import { DECEASED_DEMO_CPR, recordRead } from './modules/mailbox/index.ts';
import type { SendMessageBody } from './modules/messages/index.ts';
import { deliverMessage, sendMessage } from './modules/messages/index.ts';
import type { SeedContext } from './seed/context.ts';
import { demoUuid } from './seed/demo-uuid.ts';
import { type CitizenPersona, type DemoLetter, demoLettersFor, registryAddress } from './seed/letters.ts';
import { renderLetterPdf } from './seed/pdf.ts';
import { ensureDemoVendor } from './seed/vendor.ts';
import type { Services } from './services.ts';
import './strings.ts';

/** Session-level advisory lock held while seeding, so two processes starting together seed once. */
const SEED_LOCK = 7373100;
/** app_setting keys. */
export const DEMO_SEEDED = 'demo_seeded';
export const DEMO_SENDERS = 'demo_senders';
const DEMO_ANCHOR = 'demo_seed_anchor';

const DEMO_KEY_LABEL = 'Demo key';
const SEED_KEY_LABEL = 'Demo seed letters';

/** A stable, valid UUID (version 5 layout) for a demo letter, so a re-run can never send it twice. */
export function demoMessageUuid(subject: string, letterKey: string): string {
  return demoUuid(`kuvert-demo-letter:${subject}:${letterKey}`);
}

async function getSetting<T>(db: Db, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('app_setting').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value as T | undefined;
}

async function putSetting(db: Db, key: string, value: unknown): Promise<void> {
  await db
    .insertInto('app_setting')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
    .execute();
}

/**
 * Seeds the demo data: municipalities, the demo authorities, a demo API key for Københavns Kommune, the personas and
 * about twenty letters per demo citizen. Cheap when already done (one settings lookup), safe when two processes race
 * (advisory lock), resumable after a crash (every step is idempotent), and never run in production.
 */
export async function seedDemoData(services: Services, logger: Logger): Promise<{ generatedApiKey: string | null }> {
  const { config, db } = services;
  if (config.env === 'production') {
    logger.debug('demo data is never seeded in production');
    return { generatedApiKey: null };
  }
  if ((await getSetting(db, DEMO_SEEDED)) && !(await configuredKeyMissing(services))) return { generatedApiKey: null };

  const client = await services.pool.connect();
  let clientError: Error | undefined;
  try {
    await client.query('select pg_advisory_lock($1)', [SEED_LOCK]);
    try {
      if (await getSetting(db, DEMO_SEEDED)) {
        // Seeded before; only KUVERT_DEMO_API_KEY is new.
        const senders = await ensureSenders(db);
        await ensureDemoApiKey(services, senders.kk, logger);
        await ensureDemoVendor(db, senders.kk);
        return { generatedApiKey: null };
      }
      return await seed(services, logger);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [SEED_LOCK]).catch((error: Error) => {
        clientError = error;
      });
    }
  } finally {
    // A connection that may still hold the lock is closed rather than returned to the pool.
    client.release(clientError ?? false);
  }
}

async function configuredKeyMissing(services: Services): Promise<boolean> {
  const key = services.config.demoApiKey;
  return key !== undefined && (await authenticateApiKey(services.db, key)) === null;
}

async function seed(services: Services, logger: Logger): Promise<{ generatedApiKey: string | null }> {
  const started = Date.now();
  logger.info('Loading demo data… (first start only, about 15 s)');
  const { db } = services;

  // The moment the demo "happens": letters are dated relative to it. Stored, so a resumed seed renders the same
  // letters (same bytes, same content hash) as the interrupted one.
  await db
    .insertInto('app_setting')
    .values({ key: DEMO_ANCHOR, value: JSON.stringify(new Date().toISOString()) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const anchor = new Date((await getSetting<string>(db, DEMO_ANCHOR)) as string);

  const municipalities = await loadMunicipalities(db);
  const senders = await ensureSenders(db);
  const demoKey = await ensureDemoApiKey(services, senders.kk, logger);
  await ensureDemoVendor(db, senders.kk);

  const citizens = personas.filter((p): p is CitizenPersona => p.role === 'citizen');
  const memberSince = new Date(anchor.getTime() - 450 * 86_400_000);
  if (citizens.length) {
    await db
      .insertInto('recipient')
      .values(
        citizens.map((p) => ({
          kind: 'person' as const,
          cpr: p.cpr,
          name: p.name,
          birth_date: birthDateFromCpr(p.cpr),
          municipality_code: p.municipalityCode,
          ...registryAddress(p.subject),
          enrolment: 'automatic' as const,
          created_at: memberSince,
        })),
      )
      .onConflict((oc) => oc.column('cpr').doNothing())
      .execute();
  }
  // The retention demo's person (mailbox/retention.seed.ts closes his mailbox on its way out): not a persona.
  await db
    .insertInto('recipient')
    .values({
      kind: 'person',
      cpr: DECEASED_DEMO_CPR,
      name: 'Ejnar Holm',
      birth_date: birthDateFromCpr(DECEASED_DEMO_CPR),
      municipality_code: '0101',
      enrolment: 'automatic',
      created_at: memberSince,
    })
    .onConflict((oc) => oc.column('cpr').doNothing())
    .execute();
  const staff = personas.flatMap((p): Insertable<StaffUserTable>[] => {
    if (p.role === 'caseworker') {
      return [
        { subject: p.subject, name: p.name, role: p.role, municipality_code: p.municipalityCode, sender_id: null },
      ];
    }
    if (p.role === 'sender_staff') {
      return [
        {
          subject: p.subject,
          name: p.name,
          role: p.role,
          municipality_code: null,
          sender_id: senders[p.senderKey],
          // The demo sender's staff member is its administrator (manages staff and API keys).
          sender_role: 'admin' as const,
        },
      ];
    }
    if (p.role === 'operator') {
      return [{ subject: p.subject, name: p.name, role: p.role, municipality_code: null, sender_id: null }];
    }
    return [];
  });
  if (staff.length) {
    await db
      .insertInto('staff_user')
      .values(staff)
      .onConflict((oc) => oc.column('subject').doNothing())
      .execute();
  }

  // Letters go through the real use cases (validation, document store, events, audit), sent with a per-sender key
  // that is revoked afterwards (its secret is never shown to anyone).
  const seedKeys = await ensureSeedKeys(db, senders);
  let letters = 0;
  let sent = 0;
  for (const persona of citizens) {
    for (const letter of demoLettersFor(persona, anchor)) {
      const created = await sendDemoLetter(services, persona, letter, senders, seedKeys, anchor);
      letters++;
      if (created) sent++;
    }
  }
  await db
    .updateTable('api_key')
    .set({ revoked_at: new Date() })
    .where('label', '=', SEED_KEY_LABEL)
    .where('revoked_at', 'is', null)
    .execute();

  const context: SeedContext = {
    services,
    logger,
    anchor,
    senders,
    openLetter: async (actor, letter) => {
      await services.db.transaction().execute((trx) => recordRead(trx, actor, letter, 'message.open'));
    },
  };
  // Each module's demo data (its manifest's `seed`), in the order of seedOrder (src/modules/index.ts).
  for (const module of seedOrder) await module.seed?.(context);

  await putSetting(db, DEMO_SEEDED, { at: new Date().toISOString(), anchor: anchor.toISOString(), letters });
  logger.info(
    {
      municipalities,
      senders: Object.keys(senders).length,
      citizens: citizens.length,
      staff: staff.length,
      letters,
      lettersSent: sent,
      ms: Date.now() - started,
    },
    `demo data seeded: ${municipalities} municipalities, ${Object.keys(senders).length} senders, ${citizens.length} citizens, ${staff.length} staff users, ${letters} letters`,
  );
  // At a terminal the start banner shows the key (src/start-banner.ts); in JSON logs it is printed here.
  if (demoKey?.generated && !isPrettyLogger(logger)) {
    logger.info({ demoApiKey: demoKey.key }, 'demo API key for Københavns Kommune (shown once)');
    process.stdout.write(`\nDemo API key for Københavns Kommune (shown once): ${demoKey.key}\n\n`);
  }
  return { generatedApiKey: demoKey?.generated ? demoKey.key : null };
}

/** The demo authorities, found by CVR number or created; the key → id map is also kept in app_setting. */
async function ensureSenders(db: Db): Promise<Record<DemoSenderKey, string>> {
  const ids: Partial<Record<DemoSenderKey, string>> = {};
  for (const s of demoSenders) {
    const existing = await db.selectFrom('sender').select('id').where('cvr', '=', s.cvr).executeTakeFirst();
    ids[s.key] =
      existing?.id ??
      (
        await db
          .insertInto('sender')
          .values({ name: s.name, kind: s.kind, cvr: s.cvr, municipality_code: s.municipalityCode })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
  }
  await putSetting(db, DEMO_SENDERS, ids);
  return ids as Record<DemoSenderKey, string>;
}

/**
 * The demo API key for Københavns Kommune: KUVERT_DEMO_API_KEY when set (registered once), otherwise a generated key
 * on the first seed only. Returns the key when this call created it.
 */
async function ensureDemoApiKey(
  services: Services,
  kkId: string,
  logger: Logger,
): Promise<{ key: string; generated: boolean } | null> {
  const { db, config } = services;
  if (config.demoApiKey) {
    if (await authenticateApiKey(db, config.demoApiKey)) return null;
    try {
      const created = await createApiKey(db, kkId, DEMO_KEY_LABEL, config.demoApiKey);
      logger.info('demo API key from KUVERT_DEMO_API_KEY registered for Københavns Kommune');
      return { key: created.key, generated: false };
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
      logger.warn('KUVERT_DEMO_API_KEY matches a revoked key; it is not registered again');
      return null;
    }
  }
  const existing = await db
    .selectFrom('api_key')
    .select('id')
    .where('sender_id', '=', kkId)
    .where('label', '=', DEMO_KEY_LABEL)
    .executeTakeFirst();
  if (existing) return null;
  const created = await createApiKey(db, kkId, DEMO_KEY_LABEL);
  return { key: created.key, generated: true };
}

async function ensureSeedKeys(db: Db, senders: Record<DemoSenderKey, string>): Promise<Record<DemoSenderKey, string>> {
  const ids: Partial<Record<DemoSenderKey, string>> = {};
  for (const [key, senderId] of Object.entries(senders) as [DemoSenderKey, string][]) {
    const existing = await db
      .selectFrom('api_key')
      .select('id')
      .where('sender_id', '=', senderId)
      .where('label', '=', SEED_KEY_LABEL)
      .executeTakeFirst();
    ids[key] = existing?.id ?? (await createApiKey(db, senderId, SEED_KEY_LABEL)).id;
  }
  return ids as Record<DemoSenderKey, string>;
}

/** Sends, delivers and back-dates one demo letter; true if it was newly sent. */
async function sendDemoLetter(
  services: Services,
  persona: CitizenPersona,
  letter: DemoLetter,
  senders: Record<DemoSenderKey, string>,
  seedKeys: Record<DemoSenderKey, string>,
  anchor: Date,
): Promise<boolean> {
  const messageUuid = demoMessageUuid(persona.subject, letter.key);
  const pdf = await renderLetterPdf(letter.main.pdf);
  const body: SendMessageBody = {
    messageUuid,
    recipient: { cpr: persona.cpr },
    label: letter.label,
    senderReference: letter.senderReference,
    documents: [
      {
        title: letter.main.title,
        filename: letter.main.filename,
        mediaType: 'application/pdf',
        content: pdf.toString('base64'),
      },
      ...letter.attachments.map((a) => ({
        title: a.title,
        filename: a.filename,
        mediaType: 'text/plain' as const,
        content: Buffer.from(a.text, 'utf8').toString('base64'),
      })),
    ],
  };
  const senderId = senders[letter.sender];
  const result = await sendMessage(services, { senderId, apiKeyId: seedKeys[letter.sender] }, body);
  // Delivered here rather than by the worker, so the mailbox is full when start-up finishes; the queued job then
  // finds the letter delivered and does nothing.
  await deliverMessage(services, { messageId: result.id });

  // DEMO DATA ONLY: back-date the letter to its place in the mailbox's history and mark older letters as read. Real
  // letters are never edited like this. Audit events keep their true (seed-time) timestamps: they are hash-chained.
  const receivedAt = letter.sentAt;
  const availableAt = new Date(receivedAt.getTime() + 3_000);
  const hash = createHash('sha256').update(messageUuid).digest();
  const readDelayHours = 2 + (hash.readUInt16BE(0) % 60);
  const readAt = letter.read
    ? new Date(Math.min(availableAt.getTime() + readDelayHours * 3_600_000, anchor.getTime() - 3_600_000))
    : null;
  await services.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('message')
      .set({ received_at: receivedAt, available_at: availableAt, first_read_at: readAt })
      .where('id', '=', result.id)
      .where('status', '=', 'available')
      .execute();
    await trx
      .updateTable('message_event')
      .set({
        occurred_at: sql<Date>`case when type in ('RECEIVED', 'VALIDATED') then ${receivedAt}::timestamptz else ${availableAt}::timestamptz end`,
      })
      .where('message_id', '=', result.id)
      .where('type', 'in', ['RECEIVED', 'VALIDATED', 'AVAILABLE_TO_RECIPIENT'])
      .execute();
    if (readAt) {
      await insertMessageEventsFrom(sql`
        select ${result.id}::uuid, ${senderId}::uuid, 'READ', '{}'::text[], ${readAt}::timestamptz, '{}'::jsonb
        where not exists (select 1 from message_event where message_id = ${result.id} and type = 'READ')`).execute(trx);
    }
  });
  return result.created;
}
