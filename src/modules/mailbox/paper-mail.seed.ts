import type { SeedContext } from '../../seed/context.ts';
import { demoUuid } from '../../seed/demo-uuid.ts';
import { renderLetterPdf } from '../../seed/pdf.ts';
import { deliverMessage, sendMessage } from '../messages/index.ts';
import { buildPrintBatches, confirmPrintBatch, reportReturnedLetters } from '../print/index.ts';

/**
 * Two people of Københavns Kommune exempted from Digital Post, so that paper mail's endings are there to see: Bent
 * Rasmussen's letter from Skattestyrelsen was printed, posted and came back ("moved"), so his address is doubtful on
 * the caseworker's page; Jonna Madsen has no postal address (exempted as homeless), so her letter failed with
 * no_postal_address. Both letters are in the demo sender staff's portal (Skattestyrelsen). Names, numbers and
 * addresses are invented. Idempotent: a re-run finds the people, letters, batch and return in place.
 */
export const PRINT_DEMO_PEOPLE = [
  {
    key: 'returned',
    cpr: '1207581235',
    name: 'Bent Rasmussen',
    ground: 'no_internet' as const,
    address: { lines: ['Tagensvej 120, 4. mf.'], postcode: '2200', city: 'København N' },
    label: 'Din årsopgørelse for 2025',
    reference: 'ÅO-2025-412077',
  },
  {
    key: 'failed',
    cpr: '0311671236',
    name: 'Jonna Madsen',
    ground: 'homeless' as const,
    address: null,
    label: 'Din forskudsopgørelse for 2027',
    reference: 'FO-2027-412078',
  },
];

const uuid = (key: string) => demoUuid(`kuvert-demo-print-letter:${key}`);

export async function seedPrintDemo(ctx: SeedContext): Promise<void> {
  const { services, senders, anchor } = ctx;
  const { db } = services;
  const apiKey = await db
    .selectFrom('api_key')
    .select('id')
    .where('sender_id', '=', senders.skat)
    .where('label', '=', 'Demo seed letters')
    .executeTakeFirst();
  if (!apiKey) return;

  const letters: Record<string, string> = {};
  for (const person of PRINT_DEMO_PEOPLE) {
    await db
      .insertInto('recipient')
      .values({
        kind: 'person',
        cpr: person.cpr,
        name: person.name,
        birth_date: `19${person.cpr.slice(4, 6)}-${person.cpr.slice(2, 4)}-${person.cpr.slice(0, 2)}`,
        sex: Number(person.cpr[9]) % 2 === 1 ? 'M' : 'F',
        municipality_code: '0101',
        enrolment: 'exempted',
        exemption_ground: person.ground,
        address_lines: person.address?.lines ?? [],
        postcode: person.address?.postcode ?? null,
        city: person.address?.city ?? null,
        created_at: new Date(anchor.getTime() - 400 * 86_400_000),
      })
      .onConflict((oc) => oc.column('cpr').doNothing())
      .execute();
    const pdf = await renderLetterPdf({
      sender: {
        name: 'Skattestyrelsen',
        unit: 'Personskat',
        addressLines: ['Nykøbingvej 76, bygning 12', '4990 Sakskøbing'],
        phone: '72 22 18 18',
        web: 'skat.dk',
        color: '#14143c',
      },
      recipient: {
        name: person.name,
        addressLines: person.address
          ? [...person.address.lines, `${person.address.postcode} ${person.address.city}`]
          : [],
      },
      date: anchor,
      reference: person.reference,
      subject: person.label,
      paragraphs: [
        `Kære ${person.name.split(' ')[0]}`,
        'Du er fritaget for Digital Post, så du får dette brev med almindelig post.',
        'Du kan se opgørelsen og rette den på skat.dk, eller ringe til os på 72 22 18 18.',
      ],
      signature: { name: 'Skattestyrelsen', title: 'Personskat' },
    });
    const sent = await sendMessage(
      services,
      { senderId: senders.skat, apiKeyId: apiKey.id },
      {
        messageUuid: uuid(person.key),
        recipient: { cpr: person.cpr },
        label: person.label,
        senderReference: person.reference,
        documents: [
          {
            title: person.label,
            filename: 'opgoerelse.pdf',
            mediaType: 'application/pdf',
            content: pdf.toString('base64'),
          },
        ],
      },
    );
    await deliverMessage(services, { messageId: sent.id });
    letters[person.key] = sent.id;
  }

  // The print run: Jonna's letter fails (no postal address), Bent's goes into a batch the provider confirms.
  await buildPrintBatches(services);
  const job = await db
    .selectFrom('print_job')
    .select(['batch_id', 'state'])
    .where('message_id', '=', letters.returned as string)
    .executeTakeFirst();
  if (!job?.batch_id) return;
  await confirmPrintBatch(services, job.batch_id);
  await reportReturnedLetters(services, [
    { letterId: letters.returned as string, reason: 'moved', returnedAt: new Date() },
  ]);
}
