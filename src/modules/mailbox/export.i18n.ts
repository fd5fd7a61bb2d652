/** UI strings of the mailbox export page (/post/eksport, issue 18); merged by name with the mailbox's own. */
export const da = {
  'export.title': 'Hent hele din postkasse',
  'export.nav': 'Eksport',
  'export.lead':
    'Du kan hente alle breve i postkassen med deres dokumenter, en oversigt over brevene (JSON og CSV) og aktivitetsloggen samlet i én zip-fil.',
  'export.about':
    'Filen bliver lavet i baggrunden og kan hentes i 7 dage. Du kan bruge den til at gemme din post eller tage den med til en anden tjeneste. Breve med retsvirkning, som ikke er åbnet endnu, står i oversigten uden dokumenter: åbn dem først i postkassen.',
  'export.ownerOnly':
    'Kun postkassens ejer kan hente hele postkassen. Det bliver registreret, når du bestiller og henter.',
  'export.request': 'Bestil eksport af hele postkassen',
  'export.requestAgain': 'Bestil en ny eksport',
  'export.requested': 'Eksporten er bestilt. Siden opdaterer sig selv, mens filen bliver lavet.',
  'export.none': 'Du har ikke bestilt nogen eksport endnu.',
  'export.progressHeading': 'Eksporten er i gang',
  'export.queued': 'Venter på at gå i gang …',
  'export.progress': '{done} af {total} breve',
  'export.refreshing': 'Siden opdaterer sig selv hvert 5. sekund.',
  'export.refreshNow': 'Opdater nu',
  'export.readyHeading': 'Din eksport er klar',
  'export.download': 'Hent zip-filen ({size})',
  'export.readyText': '{letters} breve. Filen kan hentes indtil {date}.',
  'export.failedHeading': 'Eksporten kunne ikke laves',
  'export.failedText': 'Noget gik galt, da filen blev lavet. Prøv at bestille en ny eksport.',
  'export.history': 'Tidligere eksporter',
  'export.col.requested': 'Bestilt',
  'export.col.state': 'Status',
  'export.col.expires': 'Kan hentes indtil',
  'export.state.queued': 'Venter',
  'export.state.running': 'I gang',
  'export.state.ready': 'Klar',
  'export.state.failed': 'Mislykkedes',
  'export.state.expired': 'Udløbet og slettet',
  'export.error.export_in_progress':
    'Der er allerede en eksport i gang. Vent, til den er færdig, før du bestiller en ny.',
  'export.readme':
    'Eksport af postkassen for {owner}, lavet {at} af Kuvert.\r\n\r\n{letters} breve og {events} linjer i aktivitetsloggen.\r\n\r\nletters/<mappe>/<dato> <emne> <id>/  brevenes dokumenter, én mappe pr. brev\r\nindex.json, index.csv  oversigt over brevene: afsender, emne, datoer, mappe, læst, dokumenternes filer og SHA-256 (CSV: én linje pr. dokument)\r\nactivity.json, activity.csv  aktivitetsloggen: hvem der har åbnet hvad og hvornår, og ændringer af adgang\r\nactivity.signed.json  postkassens revisionslog, underskrevet af Kuvert: kontrollér den med «kuvert audit verify --file activity.signed.json» og de offentlige nøgler på /.well-known/kuvert-evidence-keys.json\r\n\r\nHTML-dokumenter er gemt i den rensede form, som postkassen viser dem; index.json angiver da også originalens SHA-256.\r\nBreve med retsvirkning, som ikke er åbnet, står i oversigten uden dokumenter.',
} as const;

export const en: Record<keyof typeof da, string> = {
  'export.title': 'Download your whole mailbox',
  'export.nav': 'Export',
  'export.lead':
    'You can download every letter in the mailbox with its documents, an index of the letters (JSON and CSV) and the activity log, together in one zip file.',
  'export.about':
    'The file is made in the background and can be downloaded for 7 days. You can use it to keep your mail or to take it to another service. Legal notifications not yet opened are listed in the index without their documents: open them in the mailbox first.',
  'export.ownerOnly':
    'Only the owner of the mailbox can download the whole mailbox. Requesting and downloading it are recorded.',
  'export.request': 'Request an export of the whole mailbox',
  'export.requestAgain': 'Request a new export',
  'export.requested': 'The export has been requested. This page updates itself while the file is made.',
  'export.none': 'You have not requested an export yet.',
  'export.progressHeading': 'The export is in progress',
  'export.queued': 'Waiting to start …',
  'export.progress': '{done} of {total} letters',
  'export.refreshing': 'This page updates itself every 5 seconds.',
  'export.refreshNow': 'Update now',
  'export.readyHeading': 'Your export is ready',
  'export.download': 'Download the zip file ({size})',
  'export.readyText': '{letters} letters. The file can be downloaded until {date}.',
  'export.failedHeading': 'The export could not be made',
  'export.failedText': 'Something went wrong while the file was made. Try requesting a new export.',
  'export.history': 'Earlier exports',
  'export.col.requested': 'Requested',
  'export.col.state': 'Status',
  'export.col.expires': 'Available until',
  'export.state.queued': 'Waiting',
  'export.state.running': 'In progress',
  'export.state.ready': 'Ready',
  'export.state.failed': 'Failed',
  'export.state.expired': 'Expired and deleted',
  'export.error.export_in_progress':
    'An export is already in progress. Wait until it is finished before you request a new one.',
  'export.readme':
    "Export of the mailbox of {owner}, made {at} by Kuvert.\r\n\r\n{letters} letters and {events} lines of activity log.\r\n\r\nletters/<folder>/<date> <subject> <id>/  the letters' documents, one directory per letter\r\nindex.json, index.csv  index of the letters: sender, subject, dates, folder, read, the documents' files and SHA-256 (CSV: one line per document)\r\nactivity.json, activity.csv  the activity log: who opened what and when, and changes of access\r\nactivity.signed.json  the mailbox's audit log, signed by Kuvert: check it with «kuvert audit verify --file activity.signed.json» and the public keys at /.well-known/kuvert-evidence-keys.json\r\n\r\nHTML documents are stored sanitised, as the mailbox shows them; index.json then also gives the original's SHA-256.\r\nLegal notifications not yet opened are listed without their documents.",
};
