/** The demo letters of Mikkel Nielsen (and Emil Jensen): see letter-kit.ts for how they are dated and built. */
import {
  aarsopgoerelse,
  type Ctx,
  type DemoLetter,
  forskudsopgoerelse,
  herlev,
  kr,
  type LetterInput,
  letter,
  longDate,
  patientRights,
  plusDays,
  SKAT_SIGNER,
  workday,
} from './letter-kit.ts';
import { danishDate } from './pdf.ts';

// ---------------------------------------------------------------------------------------------------------------
// Mikkel Nielsen, 16, Odense M: 9. klasse, fritidsjob, summer holiday injury in Copenhagen.

export function mikkelLetters(ctx: Ctx): DemoLetter[] {
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
