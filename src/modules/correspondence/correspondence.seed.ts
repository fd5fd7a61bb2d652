import type { Actor } from '../../kernel/actor.ts';
import type { SeedContext } from '../../seed/context.ts';
import { demoUuid } from '../../seed/demo-uuid.ts';
import { renderLetterPdf } from '../../seed/pdf.ts';
import { resolveMailboxAccess } from '../access/index.ts';
import { createApiKey, type DemoSenderKey, personas } from '../identity/index.ts';
import { deliverMessage, sendMessage } from '../messages/index.ts';
import { createContactPoint } from './contact-points.ts';
import { acknowledgeInbound } from './sender-inbound.ts';
import { writeToContactPoint } from './write-to-authority.ts';

const SEED_KEY_LABEL = 'Demo correspondence seed';
const MB = 1024 * 1024;

const demoContactPoints: {
  sender: DemoSenderKey;
  name: string;
  description: string;
  maxAttachments: number;
  maxTotalBytes: number;
  allowedMediaTypes: string[];
}[] = [
  {
    sender: 'kk',
    name: 'Borgerservice',
    description: 'Pas, kørekort, flytning, sygesikring og andre spørgsmål til Borgerservice.',
    maxAttachments: 3,
    maxTotalBytes: 10 * MB,
    allowedMediaTypes: ['application/pdf', 'image/jpeg', 'image/png'],
  },
  {
    sender: 'kk',
    name: 'Byggesag',
    description: 'Spørgsmål og bemærkninger til en byggesag. Skriv gerne sagsnummeret i emnet.',
    maxAttachments: 10,
    maxTotalBytes: 50 * MB,
    allowedMediaTypes: ['application/pdf', 'image/jpeg', 'image/png', 'image/gif'],
  },
  {
    sender: 'skat',
    name: 'Skat – spørgsmål om forskudsopgørelse',
    description: 'Spørgsmål om din forskudsopgørelse, fradrag og trækprocent.',
    maxAttachments: 2,
    maxTotalBytes: 5 * MB,
    allowedMediaTypes: ['application/pdf'],
  },
  {
    sender: 'rh',
    name: 'Patientkontoret',
    description: 'Spørgsmål om behandling, ventetid og klager.',
    maxAttachments: 0,
    maxTotalBytes: 0,
    allowedMediaTypes: [],
  },
];

/** A stable UUID for a piece of demo data, so a re-run never creates it twice. */
function correspondenceUuid(key: string): string {
  return demoUuid(`kuvert-demo-correspondence:${key}`);
}

/**
 * The correspondence demo: contact points for the demo authorities, a letter to Anna and one to Karen that take a
 * reply (sent through the real use cases), and one message Anna has written to Borgerservice, acknowledged. Runs
 * once after the core seed; idempotent (contact points by name, letters and the message by stable UUIDs).
 */
export async function seedCorrespondenceDemo(ctx: SeedContext): Promise<void> {
  const { services, senders, anchor } = ctx;
  const { db } = services;

  const points: Record<string, string> = {};
  for (const cp of demoContactPoints) {
    const senderId = senders[cp.sender];
    const existing = await db
      .selectFrom('contact_point')
      .select('id')
      .where('sender_id', '=', senderId)
      .where('name', '=', cp.name)
      .executeTakeFirst();
    points[cp.name] =
      existing?.id ??
      (await createContactPoint(services, { senderId, staffUserId: 'demo-seed' }, { ...cp, active: true })).id;
  }

  const anna = personas.find((p) => p.subject === 'demo-citizen-anna');
  const karen = personas.find((p) => p.subject === 'demo-citizen-karen');
  if (anna?.role !== 'citizen' || karen?.role !== 'citizen') return;

  const keys: Partial<Record<DemoSenderKey, string>> = {};
  const keyFor = async (sender: DemoSenderKey) => {
    keys[sender] ??= (await createApiKey(db, senders[sender], SEED_KEY_LABEL)).id;
    return keys[sender] as string;
  };
  const day = 86_400_000;
  const letters = [
    {
      key: 'anna-byggesag-partshoering',
      sender: 'kk' as const,
      cpr: anna.cpr,
      recipientName: anna.name,
      label: 'Partshøring: tilbygning på naboejendommen Ryesgade 16',
      reference: 'BYG-2026-04471',
      replyBy: new Date(anchor.getTime() + 14 * day),
      unit: 'Teknik- og Miljøforvaltningen, Byggeri',
      paragraphs: [
        'Din nabo har søgt om byggetilladelse til en tilbygning på Ryesgade 16. Fordi tilbygningen ligger tæt på skellet til din ejendom, får du mulighed for at komme med bemærkninger, før vi træffer afgørelse.',
        'Du kan svare direkte på dette brev i Kuvert. Vedhæft gerne billeder eller tegninger, hvis de har betydning for dine bemærkninger.',
        'Hvis vi ikke har hørt fra dig inden fristen, træffer vi afgørelse på det foreliggende grundlag.',
      ],
    },
    {
      key: 'karen-forskud-oplysninger',
      sender: 'skat' as const,
      cpr: karen.cpr,
      recipientName: karen.name,
      label: 'Vi mangler oplysninger til din forskudsopgørelse',
      reference: 'FO-2027-118842',
      replyBy: new Date(anchor.getTime() + 30 * day),
      unit: 'Personskat',
      paragraphs: [
        'Vi kan se, at du har fået en ny pension i år. For at din forskudsopgørelse for 2027 bliver rigtig, beder vi dig oplyse, hvor meget du forventer at få udbetalt.',
        'Du kan svare direkte på dette brev i Kuvert.',
      ],
    },
  ];
  let annaLetter: string | null = null;
  for (const letter of letters) {
    const messageUuid = correspondenceUuid(letter.key);
    const existing = await db
      .selectFrom('message')
      .select('id')
      .where('sender_id', '=', senders[letter.sender])
      .where('message_uuid', '=', messageUuid)
      .executeTakeFirst();
    let id = existing?.id;
    if (!id) {
      const pdf = await renderLetterPdf({
        sender: {
          name: letter.sender === 'kk' ? 'Københavns Kommune' : 'Skattestyrelsen',
          unit: letter.unit,
          addressLines:
            letter.sender === 'kk' ? ['Njalsgade 13', '2300 København S'] : ['Nykøbingvej 76', '4990 Sakskøbing'],
          phone: letter.sender === 'kk' ? '33 66 33 66' : '72 22 18 18',
          web: letter.sender === 'kk' ? 'kk.dk' : 'skat.dk',
          color: letter.sender === 'kk' ? '#8c1d2c' : '#14143c',
        },
        recipient: { name: letter.recipientName, addressLines: [] },
        date: new Date(anchor.getTime() - 2 * day),
        reference: letter.reference,
        subject: letter.label,
        paragraphs: letter.paragraphs,
        signature: { name: 'Med venlig hilsen', title: letter.unit },
      });
      const sent = await sendMessage(
        services,
        { senderId: senders[letter.sender], apiKeyId: await keyFor(letter.sender) },
        {
          messageUuid,
          recipient: { cpr: letter.cpr },
          label: letter.label,
          senderReference: letter.reference,
          replyAllowed: true,
          replyBy: letter.replyBy.toISOString(),
          documents: [
            {
              title: letter.label,
              filename: 'brev.pdf',
              mediaType: 'application/pdf',
              content: pdf.toString('base64'),
            },
          ],
        },
      );
      await deliverMessage(services, { messageId: sent.id });
      id = sent.id;
    }
    if (letter.key.startsWith('anna')) annaLetter = id;
  }
  if (Object.keys(keys).length) {
    await db.updateTable('api_key').set({ revoked_at: new Date() }).where('label', '=', SEED_KEY_LABEL).execute();
  }

  // One message Anna wrote to Borgerservice, which the authority has acknowledged.
  const annaRow = await db.selectFrom('recipient').select('id').where('cpr', '=', anna.cpr).executeTakeFirst();
  const borgerservice = points.Borgerservice;
  if (!annaRow || !borgerservice || !annaLetter) return;
  const actor: Actor = { kind: 'citizen', subject: anna.subject, name: anna.name, recipientId: annaRow.id };
  const written = await writeToContactPoint(services, {
    actor,
    access: await resolveMailboxAccess(db, actor, annaRow.id),
    contactPointId: borgerservice,
    draft: {
      subject: 'Nyt sundhedskort efter flytning',
      body: 'Hej\n\nJeg er flyttet til Ryesgade 14 og har brug for et nyt sundhedskort med den nye adresse. Skal jeg gøre andet end at skrive her?\n\nVenlig hilsen\nAnna Jensen',
      formKey: correspondenceUuid('anna-sundhedskort'),
      files: [],
    },
  });
  await acknowledgeInbound(services, { senderId: senders.kk, staffUserId: 'demo-seed' }, written.id);
}
