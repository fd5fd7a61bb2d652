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

type SenderProfile = LetterPdf['sender'];

const senderName = (key: DemoSenderKey) => demoSenders.find((s) => s.key === key)?.name ?? key;

const profiles: Record<DemoSenderKey, SenderProfile> = {
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

const herlev = {
  addressLines: ['Borgmester Ib Juuls Vej 1', '2730 Herlev'],
  phone: '38 68 38 68',
  web: 'herlevhospital.dk',
};
const rigshospitalet = {
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

const KLAGE_SOCIAL = `Vejledning om klageadgang

Hvis du er uenig i afgørelsen, kan du klage. Klagen skal være modtaget senest 4 uger efter, at du har fået afgørelsen.

Sådan klager du
Du sender din klage til Københavns Kommune, som har truffet afgørelsen. Du kan svare direkte på dette brev i Digital Post, skrive til os via kk.dk/kontakt eller ringe på 33 66 33 66. Du kan også klage mundtligt.

Hvad sker der med din klage?
Vi ser på sagen igen. Hvis vi giver dig helt ret, får du en ny afgørelse. Hvis vi fastholder afgørelsen helt eller delvist, sender vi klagen videre til Ankestyrelsen inden for 4 uger, og du får besked om det.

Aktindsigt
Du har ret til at se de oplysninger, vi har brugt i din sag (forvaltningslovens § 9). Skriv til os, hvis du ønsker aktindsigt.

Lovgrundlag: Retssikkerhedslovens §§ 66-69.
`;

const KLAGE_SKAT = `Vejledning om klageadgang

Hvis du er uenig i afgørelsen, kan du klage til Skatteankestyrelsen. Klagen skal være modtaget senest 3 måneder efter, at du har fået afgørelsen.

Sådan klager du
Du klager digitalt via Klageportalen på skatteankestyrelsen.dk. Det koster et gebyr at klage. Gebyret bliver betalt tilbage, hvis du får helt eller delvist medhold.

Inden du klager
Mange spørgsmål kan løses, uden at du behøver at klage. Kontakt os gerne først på skat.dk/kontakt eller telefon 72 22 18 18, så vi kan se på sagen sammen med dig.

Lovgrundlag: Skatteforvaltningslovens §§ 35 a og 35 b.
`;

const KLAGE_PLADS = `Vejledning om klageadgang – pladsanvisning

Hvis du er uenig i vores afgørelse om optagelse, tilbud om plads eller forældrebetaling, kan du klage til Københavns Kommune, Pladsanvisningen.

Klagen skal være modtaget senest 4 uger efter, at du har fået afgørelsen. Du kan svare direkte på dette brev i Digital Post eller ringe på 33 66 33 66.

Afgørelser om optagelse i et bestemt dagtilbud kan ikke indbringes for anden administrativ myndighed, men du kan altid klage over kommunens sagsbehandling til Folketingets Ombudsmand.

Lovgrundlag: Dagtilbudsloven og forvaltningsloven.
`;

const PATIENT_RETTIGHEDER = `Dine rettigheder som patient

Frit og udvidet frit sygehusvalg
Du kan vælge at blive undersøgt eller behandlet på et andet offentligt sygehus. Hvis ventetiden på undersøgelse er over 30 dage, kan du have ret til at blive undersøgt på et privathospital, som regionen har aftale med. Kontakt Patientkontoret, hvis du vil vide mere.

Aktindsigt
Du har ret til at se din journal. Du kan se de fleste oplysninger på sundhed.dk.

Klage og erstatning
Hvis du er utilfreds med din behandling, kan du klage til Styrelsen for Patientklager via borger.dk. Hvis du mener, at du har fået en skade i forbindelse med behandlingen, kan du søge om erstatning hos Patienterstatningen.

Patientkontoret i Region Hovedstaden
Telefon 38 64 99 00, mandag-fredag kl. 9-15. Patientkontoret er uafhængigt af sygehusene og giver gratis rådgivning.
`;

const PRAKTISK_HERLEV = `Praktisk information – Herlev Hospital

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

const PRAKTISK_RIGSHOSPITALET = `Praktisk information – Rigshospitalet

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

const BETALING_SKAT = `Sådan betaler du

Du kan betale med MobilePay eller bankoverførsel via skat.dk/betal. Brug det betalings-ID, der står i brevet.

Bankoverførsel
Reg.nr. 0216, kontonr. 4069065501. Skriv betalings-ID'et i feltet til modtageren.

Kan du ikke betale?
Kontakt Gældsstyrelsen på gaeldst.dk eller telefon 70 15 73 04, hvis du ikke kan betale beløbet til tiden. Du kan måske få en afdragsordning.
`;

// ---------------------------------------------------------------------------------------------------------------
// Dates and amounts.

const DAY = 86_400_000;

function weekday(date: Date): Date {
  const dow = date.getUTCDay();
  return dow === 6 ? new Date(date.getTime() - DAY) : dow === 0 ? new Date(date.getTime() - 2 * DAY) : date;
}

const startOfDay = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());

/** Never later than shortly before the anchor (a same-day letter whose hour has not come yet). */
const notAfter = (anchor: Date, date: Date) => new Date(Math.min(date.getTime(), anchor.getTime() - 15 * 60_000));

interface Dates {
  /** The latest day with this month and day that is not after the anchor (minus `yearsBack` years), at `hour` UTC. */
  lastOn(month: number, day: number, yearsBack?: number, hour?: number): Date;
  /** `days` before the anchor's day, at `hour` UTC. */
  ago(days: number, hour?: number): Date;
}

function datesFor(anchor: Date): Dates {
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

const plusDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY);
/** Moves a date forward to a weekday (appointments and deadlines). */
const workday = (date: Date) => {
  const dow = date.getUTCDay();
  return dow === 6 ? plusDays(date, 2) : dow === 0 ? plusDays(date, 1) : date;
};
const yearOf = (date: Date) => date.getUTCFullYear();

const amountFormat = new Intl.NumberFormat('da-DK', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const kr = (amount: number) => `${amountFormat.format(amount)} kr.`;
const weekdayFormat = new Intl.DateTimeFormat('da-DK', { weekday: 'long', timeZone: 'Europe/Copenhagen' });
const longDate = (date: Date) => `${weekdayFormat.format(date)} den ${danishDate(date)}`;

/** The latest kommunal- og regionsrådsvalg (third Tuesday of November every four years) whose valgkort has gone out. */
function localElection(anchor: Date): Date {
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

interface Ctx {
  anchor: Date;
  name: string;
  firstName: string;
  address: string[];
  at: Dates;
}

interface LetterInput {
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

function letter(ctx: Ctx, input: LetterInput): DemoLetter {
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

const klageSocial = { title: 'Vejledning om klageadgang', filename: 'klagevejledning.txt', text: KLAGE_SOCIAL };
const klageSkat = { title: 'Vejledning om klageadgang', filename: 'klagevejledning-skat.txt', text: KLAGE_SKAT };
const klagePlads = {
  title: 'Vejledning om klageadgang',
  filename: 'klagevejledning-pladsanvisning.txt',
  text: KLAGE_PLADS,
};
const patientRights = {
  title: 'Dine rettigheder som patient',
  filename: 'patientrettigheder.txt',
  text: PATIENT_RETTIGHEDER,
};
const practicalHerlev = {
  title: 'Praktisk information',
  filename: 'praktisk-information-herlev.txt',
  text: PRAKTISK_HERLEV,
};
const practicalRigs = {
  title: 'Praktisk information',
  filename: 'praktisk-information-rigshospitalet.txt',
  text: PRAKTISK_RIGSHOSPITALET,
};
const payment = { title: 'Sådan betaler du', filename: 'saadan-betaler-du.txt', text: BETALING_SKAT };

const SKAT_SIGNER: [string, string] = ['Skattestyrelsen', 'Personskat'];

// ---------------------------------------------------------------------------------------------------------------
// Letters every citizen gets from Skattestyrelsen (amounts vary).

function aarsopgoerelse(ctx: Ctx, amount: number, note: string): DemoLetter {
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

function forskudsopgoerelse(ctx: Ctx, yearsBack: number, monthly: number, note: string): DemoLetter {
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

// ---------------------------------------------------------------------------------------------------------------
// Anna Jensen, 41, København N: working parent (Ida, 5, and Oscar, 2), rents her flat, boligstøtte.

function annaLetters(ctx: Ctx): DemoLetter[] {
  const { at } = ctx;
  const election = localElection(ctx.anchor);
  const valgkortSent = plusDays(election, -20);
  const mriSent = at.ago(41);
  const mriAt = workday(plusDays(mriSent, 16));
  const followUpSent = at.ago(2);
  const followUpAt = workday(plusDays(followUpSent, 12));
  const schoolSent = at.ago(9);
  const dentalSent = at.ago(4);
  const kindergartenSent = at.lastOn(5, 6);
  const kindergartenStart = workday(new Date(Date.UTC(yearOf(kindergartenSent), 7, 1, 7)));
  return [
    aarsopgoerelse(
      ctx,
      4312,
      'Restskatten skyldes især, at din forventede løn i forskudsopgørelsen var sat for lavt efter din lønforhøjelse i foråret.',
    ),
    forskudsopgoerelse(
      ctx,
      0,
      13_480,
      'Vi har brugt oplysningerne fra din seneste årsopgørelse og din lønindberetning. Din restskat fra sidste år er lagt ind, fordi den ikke blev betalt inden 1. juli.',
    ),
    forskudsopgoerelse(
      ctx,
      1,
      12_950,
      'Vi har brugt oplysningerne fra din seneste årsopgørelse. Har du fået ny løn, skiftet job eller fået en anden transportvej til arbejde, bør du rette forskudsopgørelsen.',
    ),
    letter(ctx, {
      key: 'skat-restskat-paamindelse',
      sender: 'skat',
      sentAt: at.lastOn(6, 2),
      label: 'Påmindelse: Du kan stadig betale din restskat',
      ref: `RS-${yearOf(at.lastOn(6, 2)) - 1}-204417`,
      filename: 'restskat-paamindelse.pdf',
      details: [
        ['Restskat', kr(3655)],
        ['Betalings-ID', '+71< 000003655204417 +85167563<'],
        ['Betal senest', `1. juli ${yearOf(at.lastOn(6, 2))}`],
      ],
      paragraphs: [
        'Ifølge din årsopgørelse har du en restskat, som endnu ikke er betalt.',
        'Hvis du betaler senest 1. juli, skal du kun betale en lav dagsrente. Betaler du ikke, bliver beløbet lagt ind i din forskudsopgørelse for næste år med et procenttillæg, og det bliver trukket over dit skattekort.',
        'Du skal ikke gøre noget, hvis du foretrækker at få restskatten opkrævet over skattekortet.',
      ],
      signer: SKAT_SIGNER,
      attachments: [payment],
    }),
    letter(ctx, {
      key: 'skat-kvittering-forskud',
      sender: 'skat',
      sentAt: at.lastOn(4, 8),
      label: 'Kvittering: Du har ændret din forskudsopgørelse',
      ref: 'FO-AEN-771203',
      filename: 'kvittering-forskudsopgoerelse.pdf',
      paragraphs: [
        'Vi har modtaget din ændring af forskudsopgørelsen. Du har ændret din forventede lønindkomst og dit befordringsfradrag.',
        'Dit nye skattekort er sendt til din arbejdsgiver og gælder fra næste lønudbetaling. Din månedlige skat stiger med ca. 410 kr.',
        'Du kan altid se din aktuelle forskudsopgørelse i TastSelv på skat.dk.',
      ],
      signer: SKAT_SIGNER,
    }),
    letter(ctx, {
      key: 'skat-aarsopgoerelse-aendret',
      sender: 'skat',
      sentAt: at.lastOn(5, 28),
      label: `Ny årsopgørelse for ${yearOf(at.lastOn(5, 28)) - 1}`,
      ref: `ÅO-${yearOf(at.lastOn(5, 28)) - 1}-030184-2`,
      title: 'Ny årsopgørelse',
      filename: 'aarsopgoerelse-aendret.pdf',
      details: [
        ['Tidligere restskat', kr(4312)],
        ['Ny restskat', kr(3655)],
      ],
      paragraphs: [
        'Du har rettet din årsopgørelse i TastSelv, og vi har derfor dannet en ny årsopgørelse.',
        'Du har tilføjet fradrag for fagforeningskontingent og udgifter til a-kasse. Det nedsætter din restskat med 657,00 kr.',
        'Den nye årsopgørelse erstatter den tidligere. Du kan se den i TastSelv på skat.dk.',
      ],
      signer: SKAT_SIGNER,
      attachments: [klageSkat],
    }),
    letter(ctx, {
      key: `kk-valgkort-${yearOf(election)}`,
      sender: 'kk',
      sentAt: notAfter(ctx.anchor, valgkortSent),
      label: `Valgkort til kommunal- og regionsrådsvalget ${longDate(election)}`,
      ref: `VALG-${yearOf(election)}-0101-417`,
      unit: 'Valgsekretariatet',
      title: 'Valgkort',
      filename: `valgkort-${yearOf(election)}.pdf`,
      details: [
        ['Valgdag', longDate(election)],
        ['Afstemningssted', 'Nørrebrohallen, Bragesgade 5, 2200 København N'],
        ['Åbent', 'Kl. 8.00-20.00'],
        ['Vælgernummer', '3. afstemningsområde, nr. 4.117'],
      ],
      paragraphs: [
        'Du har stemmeret til kommunal- og regionsrådsvalget og kan stemme på dit afstemningssted på valgdagen.',
        'Tag dette valgkort med, enten på telefonen eller udskrevet. Du kan også stemme uden valgkort, hvis du viser billedlegitimation.',
        'Kan du ikke stemme på valgdagen, kan du brevstemme i en af Borgerservices afdelinger frem til tre dage før valget.',
        'Afstemningsstedet er tilgængeligt for kørestolsbrugere. Har du brug for hjælp, når du stemmer, kan du få hjælp af valgstyrerne eller en person, du selv har valgt.',
      ],
      signer: ['Valgsekretariatet', 'Københavns Kommune'],
    }),
    letter(ctx, {
      key: 'kk-affald-madaffald',
      sender: 'kk',
      sentAt: at.lastOn(2, 3),
      label: 'Nye affaldsordninger i din ejendom',
      ref: 'AFF-2200-18841',
      unit: 'Teknik- og Miljøforvaltningen, Affald',
      filename: 'nye-affaldsordninger.pdf',
      paragraphs: [
        'Fra 1. marts bliver affaldsindsamlingen i din ejendom ændret. Madaffald bliver hentet hver uge, og der kommer nye beholdere til pap, plast og metal i gården.',
        'Grønne poser til madaffald kan du hente gratis i Genbrugsstationerne og i de fleste supermarkeder. Bind poserne godt til, inden de kommer i beholderen.',
        'Farligt affald som batterier, maling og sparepærer må ikke komme i restaffaldet. Brug den røde miljøboks, som du kan bestille på kk.dk/affald.',
        'Du kan se tømningsdagene for din adresse og tilmelde dig sms-påmindelser på kk.dk/affald.',
      ],
      signer: ['Affald og Genbrug', 'Københavns Kommune'],
    }),
    letter(ctx, {
      key: 'kk-affald-jul',
      sender: 'kk',
      sentAt: at.lastOn(12, 10),
      label: 'Ændrede tømningsdage i julen og nytåret',
      ref: 'AFF-JUL-2200',
      unit: 'Teknik- og Miljøforvaltningen, Affald',
      filename: 'toemningsdage-jul.pdf',
      paragraphs: [
        'I uge 52 og uge 1 bliver restaffald og madaffald hentet en dag senere end normalt. Storskrald bliver ikke hentet 24. december - 1. januar.',
        'Juletræer kan stilles ved storskraldspladsen fra 2. januar. Fjern pynt og fod.',
        'Fyrværkeri må kun afleveres på Genbrugsstationen - heller ikke selvom det er brugt.',
      ],
      signer: ['Affald og Genbrug', 'Københavns Kommune'],
    }),
    letter(ctx, {
      key: 'kk-boligstoette-afgoerelse',
      sender: 'kk',
      sentAt: at.lastOn(1, 20),
      label: 'Afgørelse om boligstøtte',
      ref: 'BS-2026-338102',
      unit: 'Ydelsesservice, Boligstøtte',
      title: 'Afgørelse',
      filename: 'afgoerelse-boligstoette.pdf',
      details: [
        ['Boligstøtte pr. måned', kr(1842)],
        ['Gælder fra', `1. februar ${yearOf(at.lastOn(1, 20))}`],
        ['Husstand', '1 voksen, 2 børn'],
      ],
      paragraphs: [
        `Du får ${kr(1842)} om måneden i boligstøtte (boligsikring) til din lejlighed på ${ctx.address[0] ?? 'din adresse'}.`,
        'Vi har beregnet boligstøtten ud fra din husleje, boligens størrelse, antallet af børn i husstanden og husstandens forventede indkomst.',
        'Boligstøtten bliver udbetalt til din NemKonto den første hverdag i måneden. Du skal give os besked, hvis din indkomst, husleje eller husstand ændrer sig.',
        'Boligstøtten bliver efterreguleret, når den endelige indkomst for året kendes. Har du fået for meget, skal du betale det tilbage.',
      ],
      signer: ['Jonas Bech', 'Sagsbehandler'],
      attachments: [klageSocial],
    }),
    letter(ctx, {
      key: 'kk-boligstoette-efterregulering',
      sender: 'kk',
      sentAt: at.lastOn(6, 18),
      label: 'Efterregulering af din boligstøtte',
      ref: 'BS-EFT-338102',
      unit: 'Ydelsesservice, Boligstøtte',
      title: 'Afgørelse',
      filename: 'efterregulering-boligstoette.pdf',
      details: [
        ['Udbetalt for meget', kr(2160)],
        ['Tilbagebetaling', 'Modregnes med 180,00 kr. pr. måned'],
      ],
      paragraphs: [
        'Vi har sammenholdt den boligstøtte, du fik sidste år, med din endelige indkomst fra årsopgørelsen.',
        `Din indkomst var højere end forventet, og du har derfor fået ${kr(2160)} for meget i boligstøtte.`,
        'Beløbet bliver modregnet i din løbende boligstøtte over 12 måneder. Du skal ikke gøre noget.',
        'Hvis du hellere vil betale hele beløbet på én gang, kan du kontakte os.',
      ],
      signer: ['Jonas Bech', 'Sagsbehandler'],
      attachments: [klageSocial],
    }),
    letter(ctx, {
      key: 'kk-pladsanvisning-venteliste',
      sender: 'kk',
      sentAt: at.lastOn(3, 2),
      label: 'Bekræftelse: Oscar er skrevet op til børnehave',
      ref: 'PLADS-118540',
      unit: 'Pladsanvisningen',
      filename: 'bekraeftelse-venteliste.pdf',
      paragraphs: [
        'Vi bekræfter, at Oscar Jensen er skrevet op til børnehave med ønsket startdato 1. august.',
        'Dine ønsker er: 1. Børnehuset Blågården, 2. Børnehaven Ravnsborg, 3. Den Integrerede Institution Stefansgade.',
        'Københavns Kommune har pasningsgaranti. Du får et tilbud om plads senest tre måneder før den ønskede startdato. Vi kan ikke love plads i et bestemt dagtilbud.',
        'Du kan ændre dine ønsker på kk.dk/pladsanvisning frem til, du får et tilbud.',
      ],
      signer: ['Pladsanvisningen', 'Børne- og Ungdomsforvaltningen'],
    }),
    letter(ctx, {
      key: 'kk-pladsanvisning-tilbud',
      sender: 'kk',
      sentAt: kindergartenSent,
      label: 'Tilbud om plads i børnehave til Oscar',
      ref: 'PLADS-118540-T',
      unit: 'Pladsanvisningen',
      title: 'Tilbud om plads',
      filename: 'tilbud-om-plads.pdf',
      details: [
        ['Barn', 'Oscar Jensen'],
        ['Dagtilbud', 'Børnehuset Blågården, Blågårdsgade 23 B'],
        ['Start', danishDate(kindergartenStart)],
        ['Svar senest', danishDate(workday(plusDays(kindergartenSent, 14)))],
        ['Forældrebetaling', `${kr(3121)} pr. måned (11 måneder)`],
      ],
      paragraphs: [
        'Vi kan tilbyde Oscar en plads i Børnehuset Blågården, som er dit 1. ønske.',
        'Du skal svare på tilbuddet senest 14 dage fra i dag på kk.dk/pladsanvisning. Hvis du ikke svarer, bortfalder tilbuddet, og Oscar bliver stående på ventelisten.',
        'Børnehuset kontakter dig om indkøring. Husk, at Oscars plads i vuggestuen automatisk bliver opsagt, når han starter i børnehave.',
        'Har du en lav indkomst, kan du søge om økonomisk fripladstilskud. Du kan læse mere på kk.dk/friplads.',
      ],
      signer: ['Pladsanvisningen', 'Børne- og Ungdomsforvaltningen'],
      attachments: [klagePlads],
    }),
    letter(ctx, {
      key: 'kk-skoleindskrivning',
      sender: 'kk',
      sentAt: schoolSent,
      label: 'Indskrivning til børnehaveklasse for Ida',
      ref: 'SKOLE-IND-22140',
      unit: 'Børne- og Ungdomsforvaltningen',
      filename: 'skoleindskrivning.pdf',
      details: [
        ['Barn', 'Ida Jensen'],
        ['Distriktsskole', 'Guldberg Skole, Guldbergsgade 35, 2200 København N'],
        ['Indskrivning senest', danishDate(workday(plusDays(schoolSent, 45)))],
      ],
      paragraphs: [
        'Ida skal begynde i børnehaveklasse til august. Du skal nu indskrive hende på kk.dk/skoleindskrivning med MitID.',
        'Ida har ret til en plads på Guldberg Skole, som er distriktsskole for jeres adresse. Du kan også søge om plads på en anden folkeskole; det afhænger af, om der er ledige pladser.',
        'Skolen holder informationsmøde for kommende forældre. Du får en invitation fra skolen.',
        'Hvis du ønsker, at Ida skal vente et år med at begynde i skole, skal du kontakte skolen og søge om udsat skolestart.',
      ],
      signer: ['Skoleindskrivningen', 'Københavns Kommune'],
    }),
    letter(ctx, {
      key: 'kk-boernetandpleje',
      sender: 'kk',
      sentAt: dentalSent,
      label: 'Indkaldelse til tandeftersyn for Ida',
      ref: 'TAND-58127',
      unit: 'Københavns Kommunale Tandpleje',
      filename: 'indkaldelse-tandpleje.pdf',
      details: [
        ['Barn', 'Ida Jensen'],
        ['Tid', `${longDate(workday(plusDays(dentalSent, 19)))} kl. 8.40`],
        ['Sted', 'Tandklinikken Nørrebro Park Skole, Nørrebrogade 246'],
      ],
      paragraphs: [
        'Ida er indkaldt til et almindeligt eftersyn hos børnetandplejen. Vi ser på tænder og tandkød og giver gode råd om tandbørstning og kost.',
        'Du er velkommen til at være med. Giv os besked, hvis tiden ikke passer, så finder vi en ny.',
        'Tandplejen er gratis for børn og unge under 22 år.',
      ],
      signer: ['Tandklinikken Nørrebro Park', 'Københavns Kommunale Tandpleje'],
    }),
    letter(ctx, {
      key: 'kk-beboerlicens',
      sender: 'kk',
      sentAt: at.lastOn(8, 22),
      label: 'Din beboerlicens udløber snart',
      ref: 'PARK-BL-661027',
      unit: 'Teknik- og Miljøforvaltningen, Parkering',
      filename: 'beboerlicens.pdf',
      details: [
        ['Bil', 'VW Golf, EB 41 322'],
        ['Udløber', danishDate(plusDays(at.lastOn(8, 22), 30))],
      ],
      paragraphs: [
        'Din beboerlicens til parkering i zone Grøn udløber om 30 dage.',
        'Du kan forny licensen på kk.dk/beboerlicens. Prisen afhænger af bilens type og udledning.',
        'Hvis du ikke fornyer, skal du betale for parkering fra udløbsdatoen.',
      ],
      signer: ['Parkering', 'Københavns Kommune'],
    }),
    letter(ctx, {
      key: 'rh-screening-livmoderhals',
      sender: 'rh',
      sentAt: at.lastOn(7, 3),
      label: 'Invitation til screening for livmoderhalskræft',
      ref: 'SCR-LHK-449201',
      unit: 'Screeningssekretariatet',
      filename: 'invitation-screening.pdf',
      paragraphs: [
        'Du inviteres til screening for livmoderhalskræft. Alle kvinder mellem 23 og 64 år bliver tilbudt screening, fordi den kan finde celleforandringer, før de udvikler sig til kræft.',
        'Bestil tid hos din egen læge. Undersøgelsen tager få minutter og er gratis. Tag denne invitation med.',
        'Du får svar inden for 4 uger i Digital Post. Hvis der er behov for en ny undersøgelse, skriver vi til dig.',
        'Det er frivilligt at deltage. Du kan framelde dig på regionh.dk/screening.',
      ],
      signer: ['Screeningssekretariatet', 'Region Hovedstaden'],
    }),
    letter(ctx, {
      key: 'rh-befordring-svar',
      sender: 'rh',
      sentAt: at.lastOn(9, 15),
      label: 'Svar på din henvendelse om befordringsgodtgørelse',
      ref: 'PAT-2026-07741',
      unit: 'Patientkontoret',
      filename: 'svar-paa-henvendelse.pdf',
      paragraphs: [
        'Tak for din henvendelse om godtgørelse af udgifter til transport til og fra Herlev Hospital.',
        'Du har ret til befordringsgodtgørelse, hvis afstanden mellem din bopæl og hospitalet er over 50 km, eller hvis du modtager pension. Afstanden fra din bopæl til Herlev Hospital er 11 km.',
        'Vi kan derfor desværre ikke imødekomme din ansøgning. Du er velkommen til at kontakte Patientkontoret, hvis du har spørgsmål.',
      ],
      signer: ['Maja Lindholm', 'Patientvejleder'],
      attachments: [patientRights],
    }),
    letter(ctx, {
      key: 'rh-mr-scanning',
      sender: 'rh',
      sentAt: mriSent,
      label: 'Indkaldelse til MR-scanning på Herlev Hospital',
      ref: 'HEH-RAD-2231904',
      unit: 'Radiologisk Afdeling, Herlev Hospital',
      place: herlev,
      title: 'Indkaldelse',
      filename: 'indkaldelse-mr-scanning.pdf',
      details: [
        ['Undersøgelse', 'MR-scanning af højre knæ'],
        ['Tid', `${longDate(mriAt)} kl. 14.20`],
        ['Sted', 'Radiologisk Afdeling, opgang 2, stueetagen'],
        ['Varighed', 'Ca. 45 minutter'],
      ],
      paragraphs: [
        'Din læge har henvist dig til en MR-scanning af højre knæ. Vi har reserveret en tid til dig.',
        'MR-scanneren er en stærk magnet. Du skal derfor udfylde spørgeskemaet om metal i kroppen, fx pacemaker, høreimplantat eller metalsplinter, på regionh.dk/mr, inden du kommer.',
        'Du skal ikke faste, og du kan tage din medicin som normalt. Tag gerne tøj på uden metal, fx uden lynlås og nitter.',
        'Svaret på scanningen får du hos den afdeling, der har henvist dig.',
      ],
      signer: ['Sekretariatet', 'Radiologisk Afdeling'],
      attachments: [practicalHerlev],
    }),
    letter(ctx, {
      key: 'rh-ambulant-samtale',
      sender: 'rh',
      sentAt: followUpSent,
      label: 'Indkaldelse til samtale om dine scanningssvar',
      ref: 'HEH-ORT-2231904',
      unit: 'Ortopædkirurgisk Ambulatorium, Herlev Hospital',
      place: herlev,
      title: 'Indkaldelse',
      filename: 'indkaldelse-ambulant-samtale.pdf',
      details: [
        ['Tid', `${longDate(followUpAt)} kl. 10.45`],
        ['Sted', 'Ortopædkirurgisk Ambulatorium, opgang 7, 1. sal'],
        ['Læge', 'Overlæge Henrik Vestergaard'],
      ],
      paragraphs: [
        'Du er indkaldt til en samtale om resultatet af din MR-scanning af højre knæ.',
        'Vi vil gennemgå billederne med dig og tale om, hvilken behandling der er bedst for dig. Det kan være genoptræning hos en fysioterapeut eller en kikkertoperation.',
        'Du er velkommen til at tage en pårørende med. Skriv gerne dine spørgsmål ned, inden du kommer.',
        'Hvis du er forhindret, så ring til ambulatoriet på 38 68 38 68 hverdage kl. 8-15.',
      ],
      signer: ['Sekretær Line Dam', 'Ortopædkirurgisk Ambulatorium'],
      attachments: [practicalHerlev],
    }),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Karen Holm, 82, Aarhus C: folkepensionist, owns a small flat in Copenhagen, followed at Rigshospitalet.

function karenLetters(ctx: Ctx): DemoLetter[] {
  const { at } = ctx;
  const pensionSent = at.lastOn(1, 9);
  const pensionYear = yearOf(pensionSent);
  const controlSent = at.ago(54);
  const movedSent = at.ago(35);
  const movedAt = workday(plusDays(movedSent, 23));
  const admissionSent = at.ago(3);
  const admissionAt = workday(plusDays(admissionSent, 15));
  const pension = (key: string, input: Omit<LetterInput, 'key' | 'sender' | 'unit' | 'signer'>) =>
    letter(ctx, {
      key,
      sender: 'kk',
      unit: 'Pension og Boligydelse',
      signer: ['Pension og Boligydelse', 'Københavns Kommune'],
      ...input,
    });
  const rigs = (key: string, unit: string, input: Omit<LetterInput, 'key' | 'sender' | 'unit' | 'place'>) =>
    letter(ctx, { key, sender: 'rh', unit, place: rigshospitalet, ...input });
  return [
    aarsopgoerelse(
      ctx,
      -2184,
      'Du har fået for meget trukket i skat, fordi dine renteudgifter på lånet i ejerlejligheden var højere end forventet.',
    ),
    forskudsopgoerelse(
      ctx,
      0,
      4_210,
      'Vi har brugt oplysningerne om din folkepension, din ATP-livslange pension og din pension fra arbejdsmarkedspensionen. Din folkepension bliver reguleret pr. 1. januar, og det er taget med.',
    ),
    forskudsopgoerelse(
      ctx,
      1,
      4_085,
      'Vi har brugt oplysningerne om din folkepension og dine øvrige pensioner. Husk at rette forskudsopgørelsen, hvis du udbetaler penge fra en ratepension.',
    ),
    letter(ctx, {
      key: 'skat-overskydende-skat',
      sender: 'skat',
      sentAt: at.lastOn(4, 2),
      label: 'Vi udbetaler din overskydende skat',
      ref: 'UDB-OS-551984',
      filename: 'udbetaling-overskydende-skat.pdf',
      details: [
        ['Beløb', kr(2184)],
        ['Udbetales til', 'Din NemKonto'],
      ],
      paragraphs: [
        `Vi udbetaler ${kr(2184)} i overskydende skat til din NemKonto. Pengene er normalt på kontoen inden for 5 hverdage.`,
        'Beløbet er opgjort på din årsopgørelse, som du kan se i TastSelv på skat.dk.',
        'Hvis du har gæld til det offentlige, bliver gælden trukket, før vi udbetaler. Du får i så fald særskilt besked.',
      ],
      signer: SKAT_SIGNER,
    }),
    letter(ctx, {
      key: 'skat-ejendomsvaerdiskat',
      sender: 'skat',
      sentAt: at.lastOn(1, 28),
      label: 'Nedslag i ejendomsværdiskat for pensionister',
      ref: 'EVS-PENS-112908',
      filename: 'ejendomsvaerdiskat-nedslag.pdf',
      paragraphs: [
        'Du får nedslag i ejendomsværdiskatten for din ejerlejlighed, fordi du er folkepensionist.',
        'Nedslaget er indregnet i din forskudsopgørelse. Nedslaget afhænger af din indkomst, og det bliver gjort endeligt op på årsopgørelsen.',
        'Du skal ikke gøre noget. Har du spørgsmål, kan du ringe på 72 22 18 18.',
      ],
      signer: SKAT_SIGNER,
    }),
    pension(`kk-pensionsmeddelelse-${pensionYear}`, {
      sentAt: pensionSent,
      label: `Pensionsmeddelelse: Din folkepension for ${pensionYear}`,
      ref: `PEN-${pensionYear}-884213`,
      title: 'Pensionsmeddelelse',
      filename: `pensionsmeddelelse-${pensionYear}.pdf`,
      details: [
        ['Grundbeløb', `${kr(7198)} pr. måned`],
        ['Pensionstillæg', `${kr(8312)} pr. måned`],
        ['I alt før skat', `${kr(15_510)} pr. måned`],
        ['Udbetales', 'Sidste hverdag i måneden'],
      ],
      paragraphs: [
        `Her er en oversigt over din folkepension for ${pensionYear}. Satserne er reguleret pr. 1. januar.`,
        'Pensionstillægget er beregnet ud fra din og din husstands forventede indkomst. Vi har brugt oplysningerne fra din forskudsopgørelse.',
        'Du har pligt til at give os besked, hvis din indkomst eller formue ændrer sig, eller hvis du flytter. Ellers kan du komme til at betale penge tilbage.',
        'Til orientering: I det rigtige Digital Post kommer dette brev fra Udbetaling Danmark.',
      ],
      attachments: [klageSocial],
    }),
    pension('kk-aeldrecheck', {
      sentAt: at.lastOn(11, 20),
      label: `Du får ældrecheck for ${yearOf(at.lastOn(11, 20))}`,
      ref: `AEC-${yearOf(at.lastOn(11, 20))}-884213`,
      title: 'Afgørelse',
      filename: 'aeldrecheck.pdf',
      details: [
        ['Ældrecheck', kr(19_900)],
        ['Udbetales', `Første hverdag i december ${yearOf(at.lastOn(11, 20))}`],
      ],
      paragraphs: [
        'Du får supplerende pensionsydelse (ældrecheck), fordi du får folkepension og din likvide formue er under grænsen.',
        'Vi har brugt oplysningerne om din formue pr. 1. januar fra Skattestyrelsen. Ældrechecken er skattepligtig.',
        'Du skal ikke gøre noget. Pengene kommer automatisk på din NemKonto.',
      ],
      attachments: [klageSocial],
    }),
    pension('kk-varmetillaeg', {
      sentAt: at.lastOn(2, 12),
      label: 'Afgørelse om varmetillæg',
      ref: 'VT-2026-884213',
      title: 'Afgørelse',
      filename: 'afgoerelse-varmetillaeg.pdf',
      details: [
        ['Varmetillæg', `${kr(412)} pr. måned`],
        ['Fra', `1. marts ${yearOf(at.lastOn(2, 12))}`],
      ],
      paragraphs: [
        'Du har søgt om varmetillæg, og du får bevilget tillæg til dine varmeudgifter.',
        'Vi har beregnet tillægget ud fra dine dokumenterede udgifter til fjernvarme, din bolig og din personlige tillægsprocent.',
        'Varmetillægget bliver udbetalt sammen med din folkepension. Hvis dine varmeudgifter ændrer sig meget, skal du give os besked.',
      ],
      attachments: [klageSocial],
    }),
    pension('kk-helbredstillaeg', {
      sentAt: at.lastOn(5, 19),
      label: 'Du får helbredstillæg til tandbehandling',
      ref: 'HT-TAND-40127',
      title: 'Afgørelse',
      filename: 'afgoerelse-helbredstillaeg.pdf',
      details: [
        ['Behandling', 'Tandprotese (overkæbe)'],
        ['Helbredstillæg', '85 % af egenbetalingen'],
        ['Tilskud højst', kr(6440)],
      ],
      paragraphs: [
        'Du har søgt om helbredstillæg til en ny tandprotese. Vi har godkendt overslaget fra din tandlæge.',
        'Tillægget dækker 85 % af den del af udgiften, du selv skal betale efter tilskud fra den offentlige sygesikring.',
        'Din tandlæge kan sende regningen direkte til os. Ellers betaler du selv og sender os kvitteringen inden 6 måneder.',
      ],
      attachments: [klageSocial],
    }),
    pension('kk-formue-indberetning', {
      sentAt: at.lastOn(8, 28),
      label: 'Tjek dine oplysninger om indkomst og formue',
      ref: 'PEN-KTRL-884213',
      filename: 'tjek-indkomst-formue.pdf',
      paragraphs: [
        'Vi skriver til alle folkepensionister én gang om året for at sikre, at din pension er beregnet på de rigtige oplysninger.',
        'Din pension er beregnet med en forventet indkomst ud over folkepensionen på 148.600 kr. og en likvid formue på 74.300 kr.',
        'Hvis oplysningerne ikke passer, skal du give os besked på borger.dk eller ved at svare på dette brev. Vi retter så din pension fra den følgende måned.',
      ],
    }),
    letter(ctx, {
      key: 'kk-ejendomsskattebillet',
      sender: 'kk',
      sentAt: at.lastOn(1, 5),
      label: `Ejendomsskattebillet ${yearOf(at.lastOn(1, 5))}`,
      ref: `EJD-${yearOf(at.lastOn(1, 5))}-0101-228861`,
      unit: 'Økonomiforvaltningen, Ejendomsskat',
      title: 'Ejendomsskattebillet',
      filename: `ejendomsskattebillet-${yearOf(at.lastOn(1, 5))}.pdf`,
      details: [
        ['Ejendom', 'Sankt Hans Gade 9, 2. tv., 2200 København N'],
        ['Grundskyld i alt', kr(5412)],
        ['1. rate', `${kr(2706)}, senest 2. februar`],
        ['2. rate', `${kr(2706)}, senest 3. august`],
      ],
      paragraphs: [
        'Her er din ejendomsskattebillet for året. Ejendomsskatten (grundskyld) er beregnet ud fra grundværdien for din ejerlejlighed.',
        'Beløbet bliver opkrævet i to rater. Er du tilmeldt Betalingsservice, bliver raterne trukket automatisk.',
        'Som folkepensionist kan du søge om lån til betaling af ejendomsskat. Læs mere på kk.dk/ejendomsskat.',
      ],
      signer: ['Ejendomsskat', 'Københavns Kommune'],
    }),
    letter(ctx, {
      key: 'kk-ejendomsskat-rykker',
      sender: 'kk',
      sentAt: at.lastOn(8, 12),
      label: 'Påmindelse: 2. rate af ejendomsskat',
      ref: `EJD-${yearOf(at.lastOn(8, 12))}-0101-228861-R`,
      unit: 'Økonomiforvaltningen, Opkrævning',
      filename: 'paamindelse-ejendomsskat.pdf',
      details: [
        ['Beløb', kr(2706)],
        ['Betal senest', danishDate(workday(plusDays(at.lastOn(8, 12), 10)))],
      ],
      paragraphs: [
        'Vi har ikke modtaget betaling af 2. rate af ejendomsskatten for Sankt Hans Gade 9, 2. tv.',
        'Betal venligst beløbet inden fristen. Betaler du ikke, sender vi en rykker med et gebyr på 100 kr., og kravet kan blive sendt til inddrivelse.',
        'Hvis du allerede har betalt, kan du se bort fra dette brev.',
      ],
      signer: ['Opkrævningen', 'Københavns Kommune'],
    }),
    pension('kk-boligydelse', {
      sentAt: at.lastOn(6, 30),
      label: 'Ny beregning af din boligydelse',
      ref: 'BY-2026-551040',
      title: 'Afgørelse',
      filename: 'afgoerelse-boligydelse.pdf',
      details: [
        ['Boligydelse', `${kr(2235)} pr. måned`],
        ['Fra', `1. juli ${yearOf(at.lastOn(6, 30))}`],
      ],
      paragraphs: [
        'Din husleje er steget, og vi har derfor beregnet din boligydelse igen.',
        'Boligydelsen er beregnet ud fra din nye husleje, boligens areal og din indkomst.',
        'Du skal give os besked, hvis du flytter, eller hvis der flytter nogen ind hos dig.',
      ],
      attachments: [klageSocial],
    }),
    letter(ctx, {
      key: 'kk-forebyggende-hjemmebesoeg',
      sender: 'kk',
      sentAt: at.lastOn(3, 24),
      label: 'Tilbud om forebyggende hjemmebesøg',
      ref: 'FHB-0101-77120',
      unit: 'Sundheds- og Omsorgsforvaltningen',
      filename: 'forebyggende-hjemmebesoeg.pdf',
      paragraphs: [
        'Alle borgere over 80 år får tilbud om et forebyggende hjemmebesøg hvert år. Vi vil gerne besøge dig og tale om, hvordan du har det, og hvad der skal til, for at du kan klare dig godt i hverdagen.',
        'Vi kan fx tale om motion, mad, ensomhed, aktiviteter i dit lokalområde og hjælpemidler.',
        'Besøget tager ca. en time og er gratis. Det er frivilligt at tage imod tilbuddet. Ring til os på 33 66 33 66, hvis du vil have et besøg.',
      ],
      signer: ['Birgit Kjær', 'Forebyggelseskonsulent'],
    }),
    rigs('rh-kontrol', 'Hjertecentret, Rigshospitalet', {
      sentAt: controlSent,
      label: 'Indkaldelse til kontrol i Hjertemedicinsk Ambulatorium',
      ref: 'RH-HJ-9923011',
      title: 'Indkaldelse',
      filename: 'indkaldelse-kontrol.pdf',
      details: [
        ['Tid', `${longDate(workday(plusDays(controlSent, 21)))} kl. 11.15`],
        ['Sted', 'Hjertemedicinsk Ambulatorium, opgang 2, 2. sal'],
        ['Undersøgelse', 'Ekkokardiografi og samtale med læge'],
      ],
      paragraphs: [
        'Du er indkaldt til en årlig kontrol efter din udskiftning af hjerteklap.',
        'Først bliver dit hjerte undersøgt med ultralyd (ekkokardiografi). Derefter taler du med en læge om resultatet og din medicin.',
        'Tag din medicinliste med. Du skal ikke faste.',
        'Du har ret til befordring, fordi du er folkepensionist. Kontakt Region Midtjyllands patientbefordring senest to hverdage før.',
      ],
      signer: ['Sekretær Anne Juhl', 'Hjertemedicinsk Ambulatorium'],
      attachments: [practicalRigs, patientRights],
    }),
    rigs('rh-tid-flyttet', 'Hjertecentret, Rigshospitalet', {
      sentAt: movedSent,
      label: 'Din tid i Hjertemedicinsk Ambulatorium er flyttet',
      ref: 'RH-HJ-9923011-2',
      title: 'Ændring af tid',
      filename: 'aendret-tid.pdf',
      details: [
        ['Ny tid', `${longDate(movedAt)} kl. 9.30`],
        ['Sted', 'Hjertemedicinsk Ambulatorium, opgang 2, 2. sal'],
      ],
      paragraphs: [
        'Vi har desværre været nødt til at flytte din tid til kontrol. Vi beklager ulejligheden.',
        'Hvis den nye tid ikke passer dig, så ring til os hverdage kl. 8-14 på 35 45 35 45.',
        'Husk at bestille befordring til den nye tid.',
      ],
      signer: ['Sekretær Anne Juhl', 'Hjertemedicinsk Ambulatorium'],
    }),
    rigs('rh-epikrise', 'Hjertecentret, Rigshospitalet', {
      sentAt: notAfter(ctx.anchor, workday(plusDays(movedAt, 2))),
      read: true,
      label: 'Brev efter dit besøg i Hjertemedicinsk Ambulatorium',
      ref: 'RH-HJ-9923011-E',
      title: 'Epikrise',
      filename: 'epikrise.pdf',
      paragraphs: [
        'Du var til kontrol i Hjertemedicinsk Ambulatorium. Her er et kort resumé af besøget, som også er sendt til din egen læge.',
        'Ultralydsundersøgelsen viste, at din nye hjerteklap fungerer normalt. Hjertets pumpefunktion er god.',
        'Du skal fortsætte med din nuværende medicin. Vi har ikke ændret noget.',
        'Næste kontrol bliver om et år. Du får en indkaldelse i Digital Post.',
      ],
      signer: ['Overlæge Peter Holst', 'Hjertemedicinsk Ambulatorium'],
    }),
    rigs('rh-indlaeggelse', 'Øjenklinikken, Rigshospitalet', {
      sentAt: admissionSent,
      label: 'Information før din operation for grå stær',
      ref: 'RH-OJE-1188430',
      title: 'Indkaldelse',
      filename: 'information-foer-operation.pdf',
      details: [
        ['Operation', 'Grå stær, venstre øje'],
        ['Mød', `${longDate(admissionAt)} kl. 7.45`],
        ['Sted', 'Øjenklinikken, Dagkirurgisk Afsnit, opgang 3, 1. sal'],
      ],
      paragraphs: [
        'Du skal opereres for grå stær på venstre øje. Operationen sker i lokalbedøvelse og tager ca. 20 minutter. Du kan tage hjem samme dag.',
        'Du må spise let morgenmad på operationsdagen. Tag din medicin som normalt, også blodfortyndende medicin, medmindre lægen har sagt andet.',
        'Du må ikke køre bil hjem. Sørg for, at en pårørende kan hente dig, eller bestil befordring.',
        'Du får øjendråber med hjem og en vejledning om, hvad du skal være opmærksom på de første uger.',
      ],
      signer: ['Sygeplejerske Mette Berg', 'Øjenklinikken'],
      attachments: [practicalRigs],
    }),
    letter(ctx, {
      key: 'rh-patientbefordring-svar',
      sender: 'rh',
      sentAt: at.lastOn(6, 10),
      label: 'Svar på din henvendelse om transport til Rigshospitalet',
      ref: 'PAT-2026-06318',
      unit: 'Patientkontoret',
      filename: 'svar-transport.pdf',
      paragraphs: [
        'Tak for din henvendelse om transport fra Aarhus til dine kontroller på Rigshospitalet.',
        'Fordi du er folkepensionist, har du ret til befordringsgodtgørelse eller befordring. Det er din bopælsregion, Region Midtjylland, der står for det.',
        'Du kan bestille befordring på telefon 70 11 31 31 senest kl. 12 to hverdage før. Hvis du selv kører eller tager toget, kan du søge om godtgørelse af udgiften bagefter.',
      ],
      signer: ['Maja Lindholm', 'Patientvejleder'],
      attachments: [patientRights],
    }),
    letter(ctx, {
      key: 'rh-lup',
      sender: 'rh',
      sentAt: at.lastOn(2, 25),
      label: 'Hvordan oplevede du dit besøg på Rigshospitalet?',
      ref: 'LUP-2026-33218',
      unit: 'Enheden for Evaluering og Brugerinddragelse',
      filename: 'spoergeskema-patientoplevelser.pdf',
      paragraphs: [
        'Du har for nylig været patient på Rigshospitalet. Vi vil gerne høre om dine oplevelser, så vi kan blive bedre.',
        'Undersøgelsen er en del af Den Landsdækkende Undersøgelse af Patientoplevelser (LUP). Det tager ca. 10 minutter at svare.',
        'Du svarer på lup.dk med koden 7K4-Q9P-22M. Det er frivilligt at deltage, og dine svar bliver behandlet fortroligt.',
      ],
      signer: ['Enheden for Evaluering og Brugerinddragelse', 'Region Hovedstaden'],
    }),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Mikkel Nielsen, 16, Odense M: 9. klasse, fritidsjob, summer holiday injury in Copenhagen.

function mikkelLetters(ctx: Ctx): DemoLetter[] {
  const { at } = ctx;
  const guidanceSent = at.lastOn(9, 8);
  const dentalSent = at.lastOn(5, 12);
  const hpvSent = at.ago(175);
  const hpvReminderSent = at.ago(6);
  const controlSent = at.lastOn(8, 12);
  const kk = (
    key: string,
    unit: string,
    signer: [string, string],
    input: Omit<LetterInput, 'key' | 'sender' | 'unit' | 'signer'>,
  ) => letter(ctx, { key, sender: 'kk', unit, signer, ...input });
  const uu: [string, string] = ['Rasmus Frost', 'Uddannelsesvejleder, Ungdommens Uddannelsesvejledning'];
  const library: [string, string] = ['Københavns Biblioteker', 'Københavns Kommune'];
  return [
    aarsopgoerelse(
      ctx,
      -1468,
      'Du har fået for meget trukket i skat, fordi du tjente mindre end dit frikort på dit fritidsjob. Når du tjener under frikortet, skal du kun betale arbejdsmarkedsbidrag.',
    ),
    forskudsopgoerelse(
      ctx,
      0,
      0,
      'Du har et frikort, så du skal ikke betale skat af din løn, så længe du tjener mindre end frikortets beløb. Vi har beregnet din forventede løn ud fra, hvad du har tjent på dit fritidsjob i år.',
    ),
    forskudsopgoerelse(
      ctx,
      1,
      0,
      'Du får et frikort, fordi du er under 18 år. Det betyder, at du ikke skal betale skat af din løn op til frikortets beløb. Du betaler dog arbejdsmarkedsbidrag på 8 %.',
    ),
    letter(ctx, {
      key: 'skat-frikort-aendret',
      sender: 'skat',
      sentAt: at.lastOn(8, 3),
      label: 'Du har tjent mere end dit frikort',
      ref: 'FK-OVER-118840',
      filename: 'frikort-opbrugt.pdf',
      paragraphs: [
        'Du har tjent mere end beløbet på dit frikort. Fra din næste løn bliver der derfor trukket skat.',
        'Vi har lavet et nyt skattekort til dig med et personfradrag pr. måned. Din arbejdsgiver får det automatisk.',
        'Tjek din forventede løn for resten af året i TastSelv på skat.dk, så du ikke kommer til at betale for meget eller for lidt i skat.',
      ],
      signer: SKAT_SIGNER,
    }),
    letter(ctx, {
      key: 'skat-overskydende-skat',
      sender: 'skat',
      sentAt: at.lastOn(4, 2),
      label: 'Vi udbetaler din overskydende skat',
      ref: 'UDB-OS-661207',
      filename: 'udbetaling-overskydende-skat.pdf',
      details: [
        ['Beløb', kr(1468)],
        ['Udbetales til', 'Din NemKonto'],
      ],
      paragraphs: [
        `Vi udbetaler ${kr(1468)} i overskydende skat til din NemKonto. Pengene er normalt på kontoen inden for 5 hverdage.`,
        'Hvis du ikke har en NemKonto, kan du oprette den i din bank. Spørg en voksen, hvis du er i tvivl.',
        'Du kan se hele din årsopgørelse i TastSelv på skat.dk, hvor du logger på med MitID.',
      ],
      signer: SKAT_SIGNER,
    }),
    kk('kk-sundhedskort', 'Borgerservice', ['Borgerservice', 'Københavns Kommune'], {
      sentAt: at.lastOn(1, 14),
      label: 'Dit nye sundhedskort er på vej',
      ref: 'SUK-2026-440215',
      filename: 'nyt-sundhedskort.pdf',
      details: [
        ['Læge', 'Lægerne Hjallese, Hjallesevej 120, 5230 Odense M'],
        ['Sundhedskort', 'Sendes med posten inden for 2 uger'],
      ],
      paragraphs: [
        'Du har valgt ny læge, og du får derfor et nyt sundhedskort. Du har også et digitalt sundhedskort i appen "Sundhedskortet".',
        'Dit gamle sundhedskort gælder ikke længere. Klip det over og smid det ud.',
        'Husk altid at have dit sundhedskort med, når du skal til læge, tandlæge, på apoteket eller på hospitalet.',
      ],
    }),
    kk('kk-uu-samtale', 'Ungdommens Uddannelsesvejledning (UU)', uu, {
      sentAt: guidanceSent,
      label: 'Invitation til samtale om din uddannelse',
      ref: 'UU-2026-31077',
      filename: 'invitation-vejledningssamtale.pdf',
      details: [
        ['Tid', `${longDate(workday(plusDays(guidanceSent, 9)))} kl. 10.00`],
        ['Sted', 'Vejledningslokalet på din skole'],
        ['Vejleder', 'Rasmus Frost'],
      ],
      paragraphs: [
        'Du er inviteret til en samtale med din uddannelsesvejleder om, hvad du vil efter 9. klasse.',
        'Vi taler om dine interesser, hvilke uddannelser der passer til dig, og hvordan du søger ind. Tænk gerne over det på forhånd: Hvad er du god til, og hvad synes du er sjovt?',
        'Dine forældre er velkomne til at deltage. Hvis du er forhindret, så skriv til mig i Digital Post.',
      ],
    }),
    kk('kk-uu-parathed', 'Ungdommens Uddannelsesvejledning (UU)', uu, {
      sentAt: at.lastOn(12, 5),
      label: 'Din vurdering af uddannelsesparathed',
      ref: 'UU-UPV-31077',
      title: 'Vurdering',
      filename: 'uddannelsesparathed.pdf',
      paragraphs: [
        'Din skole og Ungdommens Uddannelsesvejledning har vurderet, at du er uddannelsesparat til både gymnasiale uddannelser og erhvervsuddannelser.',
        'Vurderingen bygger på dine standpunktskarakterer og på dine personlige og sociale forudsætninger.',
        'Du kan nu søge den ungdomsuddannelse, du har lyst til, på optagelse.dk. Du kan altid kontakte mig, hvis du har spørgsmål.',
      ],
    }),
    kk('kk-uu-ansoegning', 'Ungdommens Uddannelsesvejledning (UU)', uu, {
      sentAt: at.lastOn(2, 10),
      label: 'Husk at søge ungdomsuddannelse senest 1. marts',
      ref: 'UU-OPT-31077',
      filename: 'husk-ansoegning.pdf',
      paragraphs: [
        'Fristen for at søge ind på en ungdomsuddannelse efter sommerferien er 1. marts kl. 12.',
        'Du søger på optagelse.dk med MitID. Dine forældre skal også underskrive ansøgningen, fordi du er under 18 år.',
        'Hvis du vil tale om dine valg, er du velkommen til at booke en tid hos mig.',
      ],
    }),
    kk('kk-uddannelsesmesse', 'Ungdommens Uddannelsesvejledning (UU)', uu, {
      sentAt: at.ago(12),
      label: 'Invitation: Uddannelsesaften for 9. og 10. klasse',
      ref: 'UU-EVENT-2026-11',
      filename: 'invitation-uddannelsesaften.pdf',
      paragraphs: [
        'Kom til uddannelsesaften og mød elever og lærere fra gymnasier, erhvervsskoler og 10. klasse.',
        'Du kan høre om hverdagen på de forskellige uddannelser og stille alle de spørgsmål, du har. Tag gerne dine forældre med.',
        'Det er gratis, og du skal ikke tilmelde dig.',
      ],
    }),
    kk('kk-tandpleje', 'Den Kommunale Tandpleje', ['Tandklinikken', 'Den Kommunale Tandpleje'], {
      sentAt: dentalSent,
      label: 'Indkaldelse til tandeftersyn',
      ref: 'TAND-66102',
      filename: 'indkaldelse-tandpleje.pdf',
      details: [['Tid', `${longDate(workday(plusDays(dentalSent, 14)))} kl. 13.10`]],
      paragraphs: [
        'Du er indkaldt til et almindeligt eftersyn hos tandplejen.',
        'Tandplejen er gratis, indtil du fylder 22 år. Når du er fyldt 18, kan du vælge at gå til en privat tandlæge, men så skal du betale en del selv.',
        'Giv os besked senest to dage før, hvis tiden ikke passer.',
      ],
    }),
    kk('kk-tandregulering', 'Den Kommunale Tandpleje', ['Specialtandlæge Ole Krag', 'Tandregulering'], {
      sentAt: at.lastOn(3, 27),
      label: 'Vurdering af behov for tandregulering',
      ref: 'TAND-REG-66102',
      title: 'Vurdering',
      filename: 'vurdering-tandregulering.pdf',
      paragraphs: [
        'Vi har vurderet dine tænder og bid ud fra de røntgenbilleder og modeller, der blev lavet ved sidste besøg.',
        'Din tandstilling er inden for det normale, og der er ikke behov for tandregulering af sundhedsmæssige grunde.',
        'Du kan få en ny vurdering, hvis du eller din tandlæge bliver opmærksom på ændringer.',
      ],
    }),
    kk('kk-ungdomsskole', 'Ungdomsskolen', ['Ungdomsskolen', 'Københavns Kommune'], {
      sentAt: at.lastOn(8, 18),
      label: 'Bekræftelse: Du er optaget på knallertholdet',
      ref: 'UNG-KNA-0822',
      filename: 'bekraeftelse-knallerthold.pdf',
      details: [
        ['Hold', 'Knallertkørekort (AM)'],
        ['Start', longDate(workday(plusDays(at.lastOn(8, 18), 21)))],
        ['Pris', 'Gratis (teoriprøve og køreprøve betales selv)'],
      ],
      paragraphs: [
        'Du har fået plads på ungdomsskolens hold til knallertkørekort.',
        'Holdet har 8 lektioner teori og 4 lektioner praktisk kørsel. Du skal have en forælders underskrift, før du kan gå til prøve.',
        'Husk, at du skal være fyldt 15 år for at få knallertkørekort. Medbring cykelhjelm til første kørelektion.',
      ],
    }),
    kk('kk-sommerjob', 'Ungejob', ['Ungejob', 'Københavns Kommune'], {
      sentAt: at.lastOn(4, 22),
      label: 'Sommerferiejob for unge – søg nu',
      ref: 'UNGEJOB-2026',
      filename: 'sommerferiejob.pdf',
      paragraphs: [
        'Er du mellem 15 og 17 år og vil du gerne tjene penge i sommerferien? Kommunen har sommerjob i parker, på idrætsanlæg og i børnehaver.',
        'Du arbejder 3-4 uger, 25 timer om ugen, og får løn efter overenskomst for unge under 18 år.',
        'Søg på ungejob.dk senest 15. maj. Vi svarer alle ansøgere inden 1. juni.',
      ],
    }),
    kk('kk-bibliotek-paamindelse', 'Københavns Biblioteker', library, {
      sentAt: at.lastOn(10, 14),
      label: 'Påmindelse: Aflever dine lån',
      ref: 'BIB-PAAM-552901',
      filename: 'bibliotek-paamindelse.pdf',
      details: [
        ['Titel', 'Mørkeland (lydbog)'],
        ['Afleveres senest', danishDate(workday(plusDays(at.lastOn(10, 14), 3)))],
      ],
      paragraphs: [
        'Dine lån skal snart afleveres. Du kan forny dem på bibliotek.kk.dk eller i appen, hvis ingen andre har reserveret dem.',
        'Afleverer du for sent, skal du betale et gebyr. For børn og unge under 18 er gebyret 10 kr. pr. materiale.',
      ],
    }),
    kk('kk-bibliotek-reservering', 'Københavns Biblioteker', library, {
      sentAt: at.ago(1, 13),
      label: 'Din reservering er klar til afhentning',
      ref: 'BIB-RES-552914',
      filename: 'reservering-klar.pdf',
      details: [
        ['Titel', 'Drengen der ville være tyv'],
        ['Hent senest', danishDate(workday(plusDays(at.ago(1, 13), 7)))],
        ['Hylde', 'Reserveringshylden, nr. 47'],
      ],
      paragraphs: [
        'Den bog, du har reserveret, er nu klar til afhentning på biblioteket.',
        'Husk dit sundhedskort eller lånerkort. Bogen bliver sat tilbage på hylden, hvis du ikke henter den inden fristen.',
      ],
    }),
    letter(ctx, {
      key: 'rh-hpv-invitation',
      sender: 'rh',
      sentAt: hpvSent,
      label: 'Invitation til gratis vaccination mod HPV',
      ref: 'VAC-HPV-70213',
      unit: 'Center for Sundhed, Vaccination',
      filename: 'invitation-hpv-vaccination.pdf',
      paragraphs: [
        'Ifølge vores oplysninger har du ikke fået vaccination mod HPV (humant papillomavirus). Du kan stadig få vaccinen gratis hos din egen læge.',
        'HPV kan give kræft i blandt andet svælg, kønsorganer og endetarm og kan smitte både drenge og piger. Vaccinen beskytter bedst, hvis du får den, før du bliver seksuelt aktiv.',
        'Du skal have 2 doser med mindst 6 måneders mellemrum. Ring til din læge og bestil tid.',
        'Du er over 15 år og kan selv give samtykke til vaccinationen. Læs mere på sst.dk/hpv.',
      ],
      signer: ['Vaccinationsteamet', 'Region Hovedstaden'],
    }),
    letter(ctx, {
      key: 'rh-hpv-paamindelse',
      sender: 'rh',
      sentAt: hpvReminderSent,
      label: 'Husk din 2. dosis HPV-vaccine',
      ref: 'VAC-HPV-70213-2',
      unit: 'Center for Sundhed, Vaccination',
      filename: 'paamindelse-hpv.pdf',
      paragraphs: [
        'Du fik din første dosis HPV-vaccine for ca. 6 måneder siden. Nu er det tid til 2. dosis, så du er fuldt beskyttet.',
        'Bestil tid hos din læge. Vaccinen er gratis.',
        'Du kan se dine vaccinationer på sundhed.dk eller i appen Min Sundhed.',
      ],
      signer: ['Vaccinationsteamet', 'Region Hovedstaden'],
    }),
    letter(ctx, {
      key: 'rh-1813-svar',
      sender: 'rh',
      sentAt: at.lastOn(7, 28),
      label: 'Svar på din henvendelse til Akuttelefonen 1813',
      ref: 'AKT-1813-2026-90412',
      unit: 'Akutberedskabet',
      filename: 'svar-akuttelefonen.pdf',
      paragraphs: [
        'Tak for din henvendelse, hvor du bad om en kopi af lydoptagelsen og journalnotatet fra din opringning til Akuttelefonen 1813 i sommerferien.',
        'Du ringede, fordi du var faldet på skateboard og havde ondt i venstre håndled. Du blev visiteret til Akutmodtagelsen på Herlev Hospital.',
        'Journalnotatet er vedlagt i din journal på sundhed.dk. Lydoptagelsen kan du lytte til ved at kontakte os; af hensyn til datasikkerhed sender vi den ikke med Digital Post.',
      ],
      signer: ['Sekretariatet', 'Akutberedskabet, Region Hovedstaden'],
      attachments: [patientRights],
    }),
    letter(ctx, {
      key: 'rh-kontrol-haandled',
      sender: 'rh',
      sentAt: controlSent,
      label: 'Indkaldelse til videokonsultation efter brud på håndleddet',
      ref: 'HEH-ORT-4420917',
      unit: 'Ortopædkirurgisk Ambulatorium, Herlev Hospital',
      place: herlev,
      title: 'Indkaldelse',
      filename: 'indkaldelse-videokonsultation.pdf',
      details: [
        ['Tid', `${longDate(workday(plusDays(controlSent, 10)))} kl. 15.30`],
        ['Form', 'Videokonsultation i appen "Mit Sygehus"'],
        ['Læge', 'Afdelingslæge Sara Winther'],
      ],
      paragraphs: [
        'Du blev behandlet for et brud på venstre håndled i Akutmodtagelsen. Vi vil gerne følge op på, hvordan det går.',
        'Konsultationen foregår på video, så du ikke behøver at rejse fra Odense. Log på "Mit Sygehus" 5 minutter før, og sørg for at være et roligt sted.',
        'Fortæl os, hvis du stadig har ondt, hvis fingrene er hævede, eller hvis du ikke kan bevæge håndleddet. Så kan det være nødvendigt med et nyt røntgenbillede.',
      ],
      signer: ['Sekretær Line Dam', 'Ortopædkirurgisk Ambulatorium'],
    }),
  ];
}

// ---------------------------------------------------------------------------------------------------------------

const byPersona: Record<string, (ctx: Ctx) => DemoLetter[]> = {
  'demo-citizen-anna': annaLetters,
  'demo-citizen-karen': karenLetters,
  'demo-citizen-mikkel': mikkelLetters,
  // A teenager's mail like Mikkel's (a few lines name Odense places), so that the caseworker's parental access
  // (Anna for Emil, both in København) has a lived-in mailbox to open.
  'demo-citizen-emil': mikkelLetters,
};

/** The demo letters for one citizen, oldest first; a citizen without a letter set gets the tax letters only. */
export function demoLettersFor(persona: CitizenPersona, anchor: Date): DemoLetter[] {
  const ctx: Ctx = {
    anchor,
    name: persona.name,
    firstName: persona.name.split(' ')[0] ?? persona.name,
    address: addresses[persona.subject] ?? [],
    at: datesFor(anchor),
  };
  const build =
    byPersona[persona.subject] ??
    ((c: Ctx) => [
      aarsopgoerelse(c, -850, ''),
      forskudsopgoerelse(c, 0, 9_800, ''),
      forskudsopgoerelse(c, 1, 9_650, ''),
    ]);
  const letters = build(ctx);
  return letters.sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime());
}

/** A demo address as the registry holds it: street lines, then the last line split into postcode and city. */
export function registryAddress(subject: string): {
  address_lines: string[];
  postcode: string | null;
  city: string | null;
} {
  const lines = addresses[subject] ?? [];
  const match = /^(\d{4}) (.+)$/.exec(lines.at(-1) ?? '');
  if (!match) return { address_lines: [], postcode: null, city: null };
  return { address_lines: lines.slice(0, -1), postcode: match[1] as string, city: match[2] as string };
}
