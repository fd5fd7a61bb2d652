import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { SeedContext } from '../../seed/context.ts';
import { renderLetterPdf } from '../../seed/pdf.ts';
import { personas } from '../identity/index.ts';
import type { SendMessageBody } from '../messages/index.ts';
import { deliverMessage, sendMessage } from '../messages/index.ts';

/** A stable UUID for a mailbox demo letter, so a re-run never sends it twice. */
function seedUuid(key: string): string {
  const h = createHash('sha256').update(`kuvert-mailbox-demo:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Action codes are checked by the API schema at run time; its static type does not list them. */
const asActions = (actions: Record<string, unknown>[]) => actions as unknown as SendMessageBody['actions'];

/** A one-page demo letter as a PDF main document. */
async function simplePdf(
  name: string,
  anchor: Date,
  sender: string,
  reference: string,
  subject: string,
  paragraphs: string[],
) {
  const pdf = await renderLetterPdf({
    sender: {
      name: sender,
      unit: 'Borgerservice',
      addressLines: ['Demovej 1', '1000 København K'],
      phone: '70 10 10 10',
      web: 'www.example.dk',
      color: '#004b87',
    },
    recipient: { name, addressLines: ['Nørrebrogade 12, 3. th.', '2200 København N'] },
    date: anchor,
    reference,
    subject,
    paragraphs,
    signature: { name: 'Demo Sagsbehandler', title: 'Sagsbehandler' },
  });
  return {
    title: subject,
    filename: 'brev.pdf',
    mediaType: 'application/pdf' as const,
    content: pdf.toString('base64'),
  };
}

const hours = (n: number) => n * 3_600_000;
const days = (n: number) => n * 24 * 3_600_000;

/**
 * The mailbox demo, for Anna Jensen: a folder of her own ("Bolig") with her housing-benefit letters, older letters
 * in Archive, one in Trash, and three new letters sent through the real sending path: an appointment to add to the
 * calendar and confirm, a tax letter in HTML with payment and self-service links that may be answered, and a legal
 * notification (the mailbox asks before opening it). Idempotent: stable message UUIDs, folder by name, and moves
 * that give the same result when repeated.
 */
export async function seedMailboxDemo(ctx: SeedContext): Promise<void> {
  const { services, anchor, senders } = ctx;
  const db = services.db;
  const persona = personas.find((p) => p.subject === 'demo-citizen-anna');
  if (persona?.role !== 'citizen') return;
  const anna = await db
    .selectFrom('recipient')
    .select(['id', 'name'])
    .where('cpr', '=', persona.cpr)
    .executeTakeFirst();
  if (!anna) return;

  const letters: {
    key: string;
    sender: keyof typeof senders;
    ageHours: number;
    body: Omit<SendMessageBody, 'recipient' | 'messageUuid'>;
  }[] = [];
  const appointmentStart = new Date(anchor.getTime() + days(9));
  appointmentStart.setUTCHours(8, 30, 0, 0);
  const appointmentEnd = new Date(appointmentStart.getTime() + 45 * 60_000);
  const pdf = await renderLetterPdf({
    sender: {
      name: 'Region Hovedstaden',
      unit: 'Øjenafdelingen, Rigshospitalet',
      addressLines: ['Blegdamsvej 9', '2100 København Ø'],
      phone: '35 45 35 45',
      web: 'www.rigshospitalet.example',
      color: '#00594f',
    },
    recipient: { name: anna.name, addressLines: ['Nørrebrogade 12, 3. th.', '2200 København N'] },
    date: new Date(anchor.getTime() - hours(5)),
    reference: 'RH-OJE-2026-118',
    subject: 'Indkaldelse til øjenundersøgelse',
    details: [
      ['Tidspunkt', appointmentStart.toLocaleString('da-DK', { timeZone: 'Europe/Copenhagen' })],
      ['Sted', 'Rigshospitalet, opgang 2, 3. sal'],
    ],
    paragraphs: [
      'Du er indkaldt til en undersøgelse af dine øjne. Undersøgelsen varer cirka 45 minutter.',
      'Du må ikke køre bil efter undersøgelsen, fordi dine pupiller bliver udvidet.',
      'Bekræft venligst, at du kommer, med knappen i din digitale post.',
    ],
    signature: { name: 'Mette Lund', title: 'Sekretær' },
  });
  letters.push({
    key: 'appointment',
    sender: 'rh',
    ageHours: 5,
    body: {
      label: 'Indkaldelse til øjenundersøgelse på Rigshospitalet',
      senderReference: 'RH-OJE-2026-118',
      notification: 'Du er indkaldt til en øjenundersøgelse',
      documents: [
        {
          title: 'Indkaldelse',
          filename: 'indkaldelse.pdf',
          mediaType: 'application/pdf' as const,
          content: pdf.toString('base64'),
        },
      ],
      actions: asActions([
        {
          actionCode: 'AFTALE',
          label: 'Øjenundersøgelse',
          reservation: {
            description: 'Medbring dine briller og en liste over din medicin.',
            reservationUuid: seedUuid('appointment-reservation'),
            abstract: 'Øjenundersøgelse, Rigshospitalet',
            location: 'Rigshospitalet, Blegdamsvej 9, opgang 2, 3. sal',
            startDateTime: appointmentStart.toISOString(),
            endDateTime: appointmentEnd.toISOString(),
            organizerName: 'Øjenafdelingen, Rigshospitalet',
            organizerMail: 'oejenafdeling@rigshospitalet.example',
          },
        },
        { actionCode: 'BEKRAEFT', label: 'Bekræft at du kommer' },
      ]),
    },
  });
  const html = `<h1>Restskat for 2025</h1>
<p>Kære ${anna.name.replace(/[<>&]/g, '')}</p>
<p>Din årsopgørelse viser en <strong>restskat på 4.312 kr.</strong> Betaler du inden 1. juli, skal du ikke betale
dag-til-dag-rente.</p>
<table><tr><th scope="row">Restskat</th><td>4.312 kr.</td></tr><tr><th scope="row">Sidste rettidige betaling</th><td>1. juli</td></tr></table>
<p>Har du spørgsmål, kan du svare på dette brev.</p>
<p>Med venlig hilsen<br>Skattestyrelsen</p>
<script>document.title = 'tracking'</script><img src="https://tracker.example/pixel.gif" alt="">`;
  letters.push({
    key: 'tax-payment',
    sender: 'skat',
    ageHours: 30,
    body: {
      label: 'Du har restskat for 2025',
      senderReference: 'SKAT-RS-2025-7731',
      notification: 'Betal din restskat inden 1. juli',
      replyAllowed: true,
      replyBy: new Date(anchor.getTime() + days(30)).toISOString(),
      documents: [
        await simplePdf(anna.name, anchor, 'Skattestyrelsen', 'SKAT-RS-2025-7731', 'Du har restskat for 2025', [
          'Din årsopgørelse viser en restskat på 4.312 kr. Se brevet i HTML nedenfor, og betal med knappen.',
        ]),
        {
          title: 'Restskat (HTML)',
          filename: 'restskat.html',
          mediaType: 'text/html' as const,
          content: Buffer.from(html).toString('base64'),
        },
      ],
      actions: asActions([
        { actionCode: 'BETALING', label: 'Betal restskat', url: 'https://skat.example.dk/betal?ref=SKAT-RS-2025-7731' },
        {
          actionCode: 'SELVBETJENING',
          label: 'Se din årsopgørelse i TastSelv',
          url: 'https://skat.example.dk/tastselv',
        },
      ]),
    },
  });
  letters.push({
    key: 'legal-notification',
    sender: 'kk',
    ageHours: 2,
    body: {
      label: 'Påbud om vedligeholdelse af fortov',
      senderReference: 'KK-VEJ-2026-0457',
      legalNotification: true,
      documents: [
        await simplePdf(
          anna.name,
          anchor,
          'Københavns Kommune',
          'KK-VEJ-2026-0457',
          'Påbud om vedligeholdelse af fortov',
          [
            'Københavns Kommune giver dig hermed påbud om at rydde og vedligeholde fortovet ud for din ejendom.',
            'Påbuddet skal være efterkommet inden 14 dage. Du kan klage over afgørelsen inden 4 uger.',
          ],
        ),
        {
          title: 'Påbud (tekst)',
          filename: 'paabud.txt',
          mediaType: 'text/plain' as const,
          content: Buffer.from(
            `Kære ${anna.name}\n\nKøbenhavns Kommune giver dig hermed påbud om at rydde og vedligeholde fortovet ud for ` +
              'din ejendom, jf. vintervedligeholdelsesloven.\n\nPåbuddet skal være efterkommet inden 14 dage.\n\n' +
              'Du kan klage over afgørelsen inden 4 uger.\n\nMed venlig hilsen\nTeknik- og Miljøforvaltningen\n',
          ).toString('base64'),
        },
      ],
    },
  });

  const key = await db
    .selectFrom('api_key')
    .select(['id', 'sender_id'])
    .where('label', '=', 'Demo seed letters')
    .execute();
  for (const letter of letters) {
    const senderId = senders[letter.sender];
    const apiKeyId = key.find((k) => k.sender_id === senderId)?.id;
    if (!apiKeyId) continue;
    const result = await sendMessage(
      services,
      { senderId, apiKeyId },
      {
        ...letter.body,
        recipient: { cpr: persona.cpr },
        messageUuid: seedUuid(letter.key),
      },
    );
    await deliverMessage(services, { messageId: result.id });
    // DEMO DATA ONLY: place the letter in the mailbox's recent history.
    const at = new Date(anchor.getTime() - hours(letter.ageHours));
    await db
      .updateTable('message')
      .set({ received_at: new Date(at.getTime() - 3_000), available_at: at })
      .where('id', '=', result.id)
      .where('first_read_at', 'is', null)
      .execute();
  }

  // A folder of her own with the housing-benefit letters, older read letters in Archive, one in Trash.
  await db
    .insertInto('mailbox_folder')
    .values({ mailbox_id: anna.id, name: 'Bolig' })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const folder = await db
    .selectFrom('mailbox_folder')
    .select('id')
    .where('mailbox_id', '=', anna.id)
    .where(sql`lower(name)`, '=', 'bolig')
    .executeTakeFirstOrThrow();
  const own = await db
    .selectFrom('message')
    .select(['id', 'label', 'available_at', 'first_read_at'])
    .where('recipient_id', '=', anna.id)
    .where('available_at', 'is not', null)
    .orderBy('available_at', 'asc')
    .orderBy('id')
    .execute();
  const housing = own.filter((m) => /bolig/i.test(m.label) && m.first_read_at);
  const older = own.filter((m) => m.first_read_at && !housing.includes(m)).slice(0, 4);
  const [trashed, ...archived] = older;
  const place = async (
    ids: string[],
    set: { folder: 'archive' | 'user' | 'trash'; folder_id: string | null; trashed_from?: 'inbox' | null },
  ) => {
    if (ids.length === 0) return;
    await db
      .insertInto('mailbox_item')
      .values(
        own
          .filter((m) => ids.includes(m.id))
          .map((m) => ({ message_id: m.id, mailbox_id: anna.id, available_at: m.available_at as Date, ...set })),
      )
      .onConflict((oc) => oc.column('message_id').doNothing())
      .execute();
  };
  await place(
    housing.map((m) => m.id),
    { folder: 'user', folder_id: folder.id },
  );
  await place(
    archived.map((m) => m.id),
    { folder: 'archive', folder_id: null },
  );
  if (trashed) await place([trashed.id], { folder: 'trash', folder_id: null, trashed_from: 'inbox' });
}
