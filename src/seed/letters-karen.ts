/** The demo letters of Karen Holm: see letter-kit.ts for how they are dated and built. */
import {
  aarsopgoerelse,
  type Ctx,
  type DemoLetter,
  forskudsopgoerelse,
  klageSocial,
  kr,
  type LetterInput,
  letter,
  longDate,
  notAfter,
  patientRights,
  plusDays,
  practicalRigs,
  rigshospitalet,
  SKAT_SIGNER,
  workday,
  yearOf,
} from './letter-kit.ts';
import { danishDate } from './pdf.ts';

// ---------------------------------------------------------------------------------------------------------------
// Karen Holm, 82, Aarhus C: folkepensionist, owns a small flat in Copenhagen, followed at Rigshospitalet.

export function karenLetters(ctx: Ctx): DemoLetter[] {
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
