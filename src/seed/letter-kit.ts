/**
 * The demo letters: realistic Danish authority mail so that each demo citizen's mailbox looks lived-in.
 *
 * Dates are relative to an "anchor" (the moment of the first seed, stored so a re-run renders identical letters):
 * seasonal letters fall on the latest such day before the anchor (the årsopgørelse in March, the forskudsopgørelse in
 * November), others a number of days before it. Weekend dates move to the Friday before. Only the three demo senders
 * exist, so letters that Udbetaling Danmark or a citizen's own municipality would send in reality come from
 * Københavns Kommune here. Names, addresses, amounts and case numbers are invented.
 */

import type { DemoSenderKey, Persona } from '../modules/identity/index.ts';
import { demoSenders } from '../modules/identity/index.ts';
import { danishDate, type LetterPdf } from './pdf.ts';

export type CitizenPersona = Extract<Persona, { role: 'citizen' }>;

export interface DemoLetter {
  /** Stable within the persona; with the persona's subject it makes the letter's messageUuid. */
  key: string;
  sender: DemoSenderKey;
  sentAt: Date;
  /** Shown as read in the mailbox (by default: older than two weeks). */
  read: boolean;
  label: string;
  senderReference: string;
  main: { title: string; filename: string; pdf: LetterPdf };
  attachments: { title: string; filename: string; text: string }[];
}

export type SenderProfile = LetterPdf['sender'];

export const senderName = (key: DemoSenderKey) => demoSenders.find((s) => s.key === key)?.name ?? key;

export const profiles: Record<DemoSenderKey, SenderProfile> = {
  kk: {
    name: senderName('kk'),
    unit: 'Borgerservice',
    addressLines: ['Københavns Rådhus, Rådhuspladsen 1', '1599 København V'],
    phone: '33 66 33 66',
    web: 'kk.dk',
    color: '#8c1d2c',
  },
  skat: {
    name: senderName('skat'),
    unit: 'Personskat',
    addressLines: ['Nykøbingvej 76, bygning 12', '4990 Sakskøbing'],
    phone: '72 22 18 18',
    web: 'skat.dk',
    color: '#14143c',
  },
  rh: {
    name: senderName('rh'),
    unit: 'Center for Sundhed',
    addressLines: ['Kongens Vænge 2', '3400 Hillerød'],
    phone: '38 66 50 00',
    web: 'regionh.dk',
    color: '#00609c',
  },
};

export const herlev = {
  addressLines: ['Borgmester Ib Juuls Vej 1', '2730 Herlev'],
  phone: '38 68 38 68',
  web: 'herlevhospital.dk',
};
export const rigshospitalet = {
  addressLines: ['Blegdamsvej 9', '2100 København Ø'],
  phone: '35 45 35 45',
  web: 'rigshospitalet.dk',
};

/**
 * Invented postal addresses for the demo citizens: on their letters, and in the registry (src/seed.ts, split by
 * registryAddress), where remote print finds them.
 */
export const addresses: Record<string, string[]> = {
  'demo-citizen-anna': ['Ryesgade 14, 3. th.', '2200 København N'],
  'demo-citizen-karen': ['Vestergade 52, 1.', '8000 Aarhus C'],
  'demo-citizen-mikkel': ['Hjallesevej 87', '5230 Odense M'],
  // Anna Jensen's son: lives with her.
  'demo-citizen-emil': ['Ryesgade 14, 3. th.', '2200 København N'],
};

// ---------------------------------------------------------------------------------------------------------------
// Shared plain-text attachments (identical for every citizen, so the document store keeps one copy of each).

export const KLAGE_SOCIAL = `Vejledning om klageadgang

Hvis du er uenig i afgørelsen, kan du klage. Klagen skal være modtaget senest 4 uger efter, at du har fået afgørelsen.

Sådan klager du
Du sender din klage til Københavns Kommune, som har truffet afgørelsen. Du kan svare direkte på dette brev i Digital Post, skrive til os via kk.dk/kontakt eller ringe på 33 66 33 66. Du kan også klage mundtligt.

Hvad sker der med din klage?
Vi ser på sagen igen. Hvis vi giver dig helt ret, får du en ny afgørelse. Hvis vi fastholder afgørelsen helt eller delvist, sender vi klagen videre til Ankestyrelsen inden for 4 uger, og du får besked om det.

Aktindsigt
Du har ret til at se de oplysninger, vi har brugt i din sag (forvaltningslovens § 9). Skriv til os, hvis du ønsker aktindsigt.

Lovgrundlag: Retssikkerhedslovens §§ 66-69.
`;

export const KLAGE_SKAT = `Vejledning om klageadgang

Hvis du er uenig i afgørelsen, kan du klage til Skatteankestyrelsen. Klagen skal være modtaget senest 3 måneder efter, at du har fået afgørelsen.

Sådan klager du
Du klager digitalt via Klageportalen på skatteankestyrelsen.dk. Det koster et gebyr at klage. Gebyret bliver betalt tilbage, hvis du får helt eller delvist medhold.

Inden du klager
Mange spørgsmål kan løses, uden at du behøver at klage. Kontakt os gerne først på skat.dk/kontakt eller telefon 72 22 18 18, så vi kan se på sagen sammen med dig.

Lovgrundlag: Skatteforvaltningslovens §§ 35 a og 35 b.
`;

export const KLAGE_PLADS = `Vejledning om klageadgang – pladsanvisning

Hvis du er uenig i vores afgørelse om optagelse, tilbud om plads eller forældrebetaling, kan du klage til Københavns Kommune, Pladsanvisningen.

Klagen skal være modtaget senest 4 uger efter, at du har fået afgørelsen. Du kan svare direkte på dette brev i Digital Post eller ringe på 33 66 33 66.

Afgørelser om optagelse i et bestemt dagtilbud kan ikke indbringes for anden administrativ myndighed, men du kan altid klage over kommunens sagsbehandling til Folketingets Ombudsmand.

Lovgrundlag: Dagtilbudsloven og forvaltningsloven.
`;

export const PATIENT_RETTIGHEDER = `Dine rettigheder som patient

Frit og udvidet frit sygehusvalg
Du kan vælge at blive undersøgt eller behandlet på et andet offentligt sygehus. Hvis ventetiden på undersøgelse er over 30 dage, kan du have ret til at blive undersøgt på et privathospital, som regionen har aftale med. Kontakt Patientkontoret, hvis du vil vide mere.

Aktindsigt
Du har ret til at se din journal. Du kan se de fleste oplysninger på sundhed.dk.

Klage og erstatning
Hvis du er utilfreds med din behandling, kan du klage til Styrelsen for Patientklager via borger.dk. Hvis du mener, at du har fået en skade i forbindelse med behandlingen, kan du søge om erstatning hos Patienterstatningen.

Patientkontoret i Region Hovedstaden
Telefon 38 64 99 00, mandag-fredag kl. 9-15. Patientkontoret er uafhængigt af sygehusene og giver gratis rådgivning.
`;

export const PRAKTISK_HERLEV = `Praktisk information – Herlev Hospital

Adresse: Borgmester Ib Juuls Vej 1, 2730 Herlev.

Transport
Buslinje 350S og 15E stopper ved hospitalet. Der er betalingsparkering i P-huset ved hovedindgangen; første time er gratis for patienter med indkaldelse.

Når du kommer
Tjek ind på en af standerne ved indgangen med dit sundhedskort. Standeren viser, hvor du skal gå hen. Kom gerne 10 minutter før din tid.

Medbring
- Sundhedskort
- Liste over den medicin, du tager
- Eventuelle spørgsmål, du gerne vil have svar på

Tolk
Hvis du har brug for tolk, skal du give os besked senest 5 hverdage før din tid.

Hvis du er forhindret
Ring til afdelingen så hurtigt som muligt, så tiden kan gå til en anden patient.
`;

export const PRAKTISK_RIGSHOSPITALET = `Praktisk information – Rigshospitalet

Adresse: Blegdamsvej 9, 2100 København Ø. Indgang 2 eller 3 afhængigt af afdeling; se din indkaldelse.

Transport
Metro M3 (Cityringen) til Trianglen eller Nørrebros Runddel, buslinje 6A, 150S, 184 og 185. Der er betalingsparkering i P-huset på Tagensvej.

Befordring
Hvis du bor langt fra hospitalet eller ikke kan tage offentlig transport, kan du have ret til befordring eller befordringsgodtgørelse. Du skal bestille eller søge hos din egen region.

Når du kommer
Tjek ind ved standerne med dit sundhedskort. Kom gerne 15 minutter før din tid.

Medbring
- Sundhedskort
- Medicinliste
- Briller eller høreapparat, hvis du bruger det
`;

export const BETALING_SKAT = `Sådan betaler du

Du kan betale med MobilePay eller bankoverførsel via skat.dk/betal. Brug det betalings-ID, der står i brevet.

Bankoverførsel
Reg.nr. 0216, kontonr. 4069065501. Skriv betalings-ID'et i feltet til modtageren.

Kan du ikke betale?
Kontakt Gældsstyrelsen på gaeldst.dk eller telefon 70 15 73 04, hvis du ikke kan betale beløbet til tiden. Du kan måske få en afdragsordning.
`;

// ---------------------------------------------------------------------------------------------------------------
// Dates and amounts.

export const DAY = 86_400_000;

export function weekday(date: Date): Date {
  const dow = date.getUTCDay();
  return dow === 6 ? new Date(date.getTime() - DAY) : dow === 0 ? new Date(date.getTime() - 2 * DAY) : date;
}

export const startOfDay = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());

/** Never later than shortly before the anchor (a same-day letter whose hour has not come yet). */
export const notAfter = (anchor: Date, date: Date) =>
  new Date(Math.min(date.getTime(), anchor.getTime() - 15 * 60_000));

export interface Dates {
  /** The latest day with this month and day that is not after the anchor (minus `yearsBack` years), at `hour` UTC. */
  lastOn(month: number, day: number, yearsBack?: number, hour?: number): Date;
  /** `days` before the anchor's day, at `hour` UTC. */
  ago(days: number, hour?: number): Date;
}

export function datesFor(anchor: Date): Dates {
  return {
    lastOn(month, day, yearsBack = 0, hour = 7) {
      let year = anchor.getUTCFullYear();
      if (Date.UTC(year, month - 1, day) > startOfDay(anchor)) year -= 1;
      return notAfter(anchor, weekday(new Date(Date.UTC(year - yearsBack, month - 1, day, hour, 12))));
    },
    ago(days, hour = 7) {
      return notAfter(anchor, weekday(new Date(startOfDay(anchor) - days * DAY + hour * 3_600_000 + 17 * 60_000)));
    },
  };
}

export const plusDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY);
/** Moves a date forward to a weekday (appointments and deadlines). */
export const workday = (date: Date) => {
  const dow = date.getUTCDay();
  return dow === 6 ? plusDays(date, 2) : dow === 0 ? plusDays(date, 1) : date;
};
export const yearOf = (date: Date) => date.getUTCFullYear();

export const amountFormat = new Intl.NumberFormat('da-DK', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const kr = (amount: number) => `${amountFormat.format(amount)} kr.`;
export const weekdayFormat = new Intl.DateTimeFormat('da-DK', { weekday: 'long', timeZone: 'Europe/Copenhagen' });
export const longDate = (date: Date) => `${weekdayFormat.format(date)} den ${danishDate(date)}`;

/** The latest kommunal- og regionsrådsvalg (third Tuesday of November every four years) whose valgkort has gone out. */
export function localElection(anchor: Date): Date {
  for (let year = anchor.getUTCFullYear(); ; year--) {
    if ((year - 2021) % 4 !== 0) continue;
    const first = new Date(Date.UTC(year, 10, 1, 7));
    const firstTuesday = 1 + ((2 - first.getUTCDay() + 7) % 7);
    const election = new Date(Date.UTC(year, 10, firstTuesday + 14, 7));
    if (plusDays(election, -21).getTime() <= anchor.getTime()) return election;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Letter builder.

export interface Ctx {
  anchor: Date;
  name: string;
  firstName: string;
  address: string[];
  at: Dates;
}

export interface LetterInput {
  key: string;
  sender: DemoSenderKey;
  sentAt: Date;
  read?: boolean;
  label: string;
  ref: string;
  unit?: string;
  place?: { addressLines: string[]; phone: string; web: string };
  subject?: string;
  details?: [string, string][];
  paragraphs: string[];
  signer: [name: string, title: string];
  title?: string;
  filename: string;
  attachments?: { title: string; filename: string; text: string }[];
}

export function letter(ctx: Ctx, input: LetterInput): DemoLetter {
  const base = profiles[input.sender];
  const ageDays = (ctx.anchor.getTime() - input.sentAt.getTime()) / DAY;
  return {
    key: input.key,
    sender: input.sender,
    sentAt: input.sentAt,
    read: input.read ?? ageDays > 14,
    label: input.label,
    senderReference: input.ref,
    main: {
      title: input.title ?? 'Brev',
      filename: input.filename,
      pdf: {
        sender: { ...base, ...input.place, unit: input.unit ?? base.unit },
        recipient: { name: ctx.name, addressLines: ctx.address },
        date: input.sentAt,
        reference: input.ref,
        subject: input.subject ?? input.label,
        details: input.details,
        paragraphs: input.paragraphs.filter((p) => p.trim() !== ''),
        signature: { name: input.signer[0], title: input.signer[1] },
      },
    },
    attachments: input.attachments ?? [],
  };
}

export const klageSocial = { title: 'Vejledning om klageadgang', filename: 'klagevejledning.txt', text: KLAGE_SOCIAL };
export const klageSkat = { title: 'Vejledning om klageadgang', filename: 'klagevejledning-skat.txt', text: KLAGE_SKAT };
export const klagePlads = {
  title: 'Vejledning om klageadgang',
  filename: 'klagevejledning-pladsanvisning.txt',
  text: KLAGE_PLADS,
};
export const patientRights = {
  title: 'Dine rettigheder som patient',
  filename: 'patientrettigheder.txt',
  text: PATIENT_RETTIGHEDER,
};
export const practicalHerlev = {
  title: 'Praktisk information',
  filename: 'praktisk-information-herlev.txt',
  text: PRAKTISK_HERLEV,
};
export const practicalRigs = {
  title: 'Praktisk information',
  filename: 'praktisk-information-rigshospitalet.txt',
  text: PRAKTISK_RIGSHOSPITALET,
};
export const payment = { title: 'Sådan betaler du', filename: 'saadan-betaler-du.txt', text: BETALING_SKAT };

export const SKAT_SIGNER: [string, string] = ['Skattestyrelsen', 'Personskat'];

// ---------------------------------------------------------------------------------------------------------------
// Letters every citizen gets from Skattestyrelsen (amounts vary).

export function aarsopgoerelse(ctx: Ctx, amount: number, note: string): DemoLetter {
  const sentAt = ctx.at.lastOn(3, 16);
  const year = yearOf(sentAt) - 1;
  const refund = amount < 0;
  return letter(ctx, {
    key: `skat-aarsopgoerelse-${year}`,
    sender: 'skat',
    sentAt,
    label: `Din årsopgørelse for ${year} er klar`,
    ref: `ÅO-${year}-${String(Math.abs(amount * 7) % 1_000_000).padStart(6, '0')}`,
    title: `Årsopgørelse ${year}`,
    filename: `aarsopgoerelse-${year}.pdf`,
    details: [
      ['Indkomstår', String(year)],
      [refund ? 'Du får tilbage' : 'Restskat', kr(Math.abs(amount))],
      [refund ? 'Udbetales til' : 'Betaling', refund ? 'Din NemKonto i april' : 'Se nedenfor'],
    ],
    paragraphs: [
      `Din årsopgørelse for ${year} er nu klar. Årsopgørelsen viser, hvad du har tjent, hvilke fradrag du har fået, og om du har betalt den rigtige skat i løbet af året.`,
      refund
        ? `Du har betalt ${kr(-amount)} for meget i skat. Pengene bliver udbetalt til din NemKonto, normalt inden for 5 hverdage efter, at årsopgørelsen er dannet. Er beløbet under 200 kr., bliver det i stedet modregnet i din skat for næste år.`
        : `Du har betalt ${kr(amount)} for lidt i skat. Du kan betale beløbet frem til 1. juli ${year + 1} med en lav dagsrente. Betaler du ikke, bliver restskatten med et tillæg lagt ind i din forskudsopgørelse for ${year + 2} og opkrævet over skattekortet.`,
      note,
      `Du skal selv kontrollere, at oplysningerne er rigtige. Du kan se hele årsopgørelsen og rette den i TastSelv på skat.dk, hvor du logger på med MitID. Hvis du retter noget, får du en ny årsopgørelse.`,
      'Har du spørgsmål, kan du skrive til os via skat.dk/kontakt eller ringe på 72 22 18 18.',
    ],
    signer: SKAT_SIGNER,
    attachments: refund ? [klageSkat] : [klageSkat, payment],
  });
}

export function forskudsopgoerelse(ctx: Ctx, yearsBack: number, monthly: number, note: string): DemoLetter {
  const sentAt = ctx.at.lastOn(11, 12, yearsBack);
  const year = yearOf(sentAt) + 1;
  return letter(ctx, {
    key: `skat-forskudsopgoerelse-${year}`,
    sender: 'skat',
    sentAt,
    label: `Din forskudsopgørelse for ${year}`,
    ref: `FO-${year}-${String(monthly * 13).padStart(6, '0')}`,
    title: `Forskudsopgørelse ${year}`,
    filename: `forskudsopgoerelse-${year}.pdf`,
    details: [
      ['Indkomstår', String(year)],
      ['Forventet skat pr. måned', kr(monthly)],
      ['Tjek senest', `1. januar ${year}`],
    ],
    paragraphs: [
      `Din forskudsopgørelse for ${year} er nu klar. Forskudsopgørelsen er vores bud på, hvad du kommer til at tjene og have af fradrag i ${year}. Den bruges til at lave dit skattekort, så du betaler den rigtige skat løbende.`,
      note,
      'Tjek især din forventede løn, dit befordringsfradrag og dine renteudgifter. Hvis oplysningerne ikke passer, kan du rette dem i TastSelv på skat.dk. Retter du inden 1. januar, gælder ændringen fra årets første lønudbetaling.',
      'Du skal ikke gøre noget, hvis oplysningerne er rigtige. Din arbejdsgiver får automatisk dit nye skattekort.',
    ],
    signer: SKAT_SIGNER,
  });
}
