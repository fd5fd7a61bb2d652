import type { Actor } from '../../kernel/actor.ts';
import type { SeedContext } from '../../seed/context.ts';
import { demoUuid } from '../../seed/demo-uuid.ts';
import { recordAudit } from '../audit/index.ts';
import { personas } from '../identity/index.ts';
import { deliverMessage, sendMessage } from '../messages/index.ts';
import { insertDelegation } from './access.repository.ts';
import type { AccessLevel, DelegationKind } from './mailbox.policy.ts';

/** The demo business: Anna Jensen's design studio in Copenhagen (CVR valid by the modulus 11 rule, invented). */
export const DEMO_BUSINESS = {
  cvr: '41234563',
  name: 'Jensen Design ApS',
  municipalityCode: '0101',
  addressLines: ['Jagtvej 69, st.'],
  postcode: '2200',
  city: 'København N',
} as const;

/** A stable UUID (version 5 layout) for a demo letter, so a re-run never sends it twice. */
function demoLetterUuid(key: string): string {
  return demoUuid(`kuvert-demo-access-letter:${key}`);
}

const SEED_ACTOR = { kind: 'system', id: 'demo-seed' } as const;

async function personId(ctx: SeedContext, name: string): Promise<string | null> {
  const persona = personas.find((p) => p.name === name);
  if (persona?.role !== 'citizen') return null;
  const row = await ctx.services.db
    .selectFrom('recipient')
    .select('id')
    .where('cpr', '=', persona.cpr)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Adds a delegation unless one of the same kind already exists (live or not): re-runs change nothing. */
async function ensureDelegation(
  ctx: SeedContext,
  entry: { mailboxId: string; granteeId: string; kind: DelegationKind; level: AccessLevel; by: Actor | null },
): Promise<boolean> {
  const { db } = ctx.services;
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('mailbox_access')
      .select('id')
      .where('mailbox_id', '=', entry.mailboxId)
      .where('grantee_id', '=', entry.granteeId)
      .where('kind', '=', entry.kind)
      .executeTakeFirst();
    if (existing) return false;
    const by = entry.by?.kind === 'citizen' ? { kind: 'citizen', id: entry.by.recipientId } : SEED_ACTOR;
    const id = await insertDelegation(trx, {
      mailboxId: entry.mailboxId,
      granteeId: entry.granteeId,
      kind: entry.kind,
      level: entry.level,
      endsAt: null,
      createdBy: by,
      createdAt: new Date(),
    });
    await recordAudit(trx, {
      actorKind: by.kind === 'citizen' ? 'citizen' : 'system',
      actorId: by.id,
      action: 'access.grant',
      subjectType: 'mailbox_access',
      subjectId: id,
      mailboxRecipientId: entry.mailboxId,
      details: { kind: entry.kind, level: entry.level, granteeId: entry.granteeId, endsAt: null },
    });
    return true;
  });
}

/** Two letters to the business, so its mailbox is not empty (through the real sending use case). */
async function sendBusinessLetters(ctx: SeedContext): Promise<void> {
  const { services, senders, anchor } = ctx;
  const letters = [
    {
      key: 'business-moms',
      sender: 'skat' as const,
      label: 'Påmindelse: momsangivelse for 3. kvartal',
      text: 'Kære Jensen Design ApS\n\nFristen for at angive moms for 3. kvartal er den 1. december.\nAngiv på skat.dk/tastselv.\n\nMed venlig hilsen\nSkattestyrelsen\n',
    },
    {
      key: 'business-affald',
      sender: 'kk' as const,
      label: 'Erhvervsaffald: ny ordning fra 1. januar',
      text: 'Kære virksomhed\n\nFra 1. januar skal alle virksomheder i Københavns Kommune sortere erhvervsaffald i ti fraktioner.\n\nMed venlig hilsen\nKøbenhavns Kommune\n',
    },
  ];
  for (const [index, letter] of letters.entries()) {
    const key = await services.db
      .selectFrom('api_key')
      .select('id')
      .where('sender_id', '=', senders[letter.sender])
      .orderBy('created_at')
      .executeTakeFirst();
    if (!key) continue;
    const result = await sendMessage(
      services,
      { senderId: senders[letter.sender], apiKeyId: key.id },
      {
        messageUuid: demoLetterUuid(`${DEMO_BUSINESS.cvr}:${letter.key}`),
        recipient: { cvr: DEMO_BUSINESS.cvr },
        label: letter.label,
        documents: [
          {
            title: letter.label,
            filename: `${letter.key}.txt`,
            mediaType: 'text/plain',
            content: Buffer.from(letter.text, 'utf8').toString('base64'),
          },
        ],
      },
    );
    await deliverMessage(services, { messageId: result.id });
    // DEMO DATA ONLY: dated a few days before the demo's moment.
    const at = new Date(anchor.getTime() - (3 + index * 9) * 86_400_000);
    await services.db
      .updateTable('message')
      .set({ received_at: at, available_at: at })
      .where('id', '=', result.id)
      .where('status', '=', 'available')
      .execute();
  }
}

/**
 * The access module's demo data (idempotent): Karen Holm (82) has given Anna Jensen read access to her mail, and
 * Anna has read one of Karen's letters (so Karen's activity log shows it); Anna administers the business Jensen
 * Design ApS, whose mailbox holds two letters. Logged in as Anna, /post/postkasser offers all three mailboxes.
 */
export async function seedAccessDemo(ctx: SeedContext): Promise<void> {
  const { db } = ctx.services;
  const anna = await personId(ctx, 'Anna Jensen');
  const karen = await personId(ctx, 'Karen Holm');
  if (!anna || !karen) return;

  await db
    .insertInto('recipient')
    .values({
      kind: 'business',
      cvr: DEMO_BUSINESS.cvr,
      name: DEMO_BUSINESS.name,
      municipality_code: DEMO_BUSINESS.municipalityCode,
      address_lines: [...DEMO_BUSINESS.addressLines],
      postcode: DEMO_BUSINESS.postcode,
      city: DEMO_BUSINESS.city,
      enrolment: 'automatic',
    })
    .onConflict((oc) => oc.column('cvr').doNothing())
    .execute();
  const business = await db
    .selectFrom('recipient')
    .select('id')
    .where('cvr', '=', DEMO_BUSINESS.cvr)
    .executeTakeFirstOrThrow();

  // The business's registered administrator (in production: from the CVR register / MitID Erhverv).
  await ensureDelegation(ctx, { mailboxId: business.id, granteeId: anna, kind: 'business', level: 'owner', by: null });
  await sendBusinessLetters(ctx);

  const karenActor: Actor = { kind: 'citizen', subject: 'demo-citizen-karen', name: 'Karen Holm', recipientId: karen };
  const created = await ensureDelegation(ctx, {
    mailboxId: karen,
    granteeId: anna,
    kind: 'grant',
    level: 'read',
    by: karenActor,
  });
  if (created) {
    const letter = await db
      .selectFrom('message')
      .select(['id', 'sender_id', 'recipient_id', 'legal_notification'])
      .where('recipient_id', '=', karen)
      .where('status', '=', 'available')
      .where('first_read_at', 'is not', null)
      .orderBy('available_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (letter) {
      const annaActor = {
        kind: 'citizen' as const,
        subject: 'demo-citizen-anna',
        name: 'Anna Jensen',
        recipientId: anna,
      };
      await ctx.openLetter(annaActor, letter);
    }
  }
}
