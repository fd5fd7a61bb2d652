import type { FastifyRequest } from 'fastify';

export type Lang = 'da' | 'en';
export const languages: readonly Lang[] = ['da', 'en'];

/** Every UI string, Danish first. English must have exactly the same keys (a missing key fails type-check). */
const da = {
  'site.name': 'Kuvert',
  'site.tagline': 'Digital Post fra det offentlige',
  'layout.skipLink': 'Gå til sidens indhold',
  'layout.loggedInAs': 'Logget ind som {name}',
  'layout.logout': 'Log af',
  'layout.login': 'Log ind',
  'layout.languageSwitch': 'Vælg sprog',
  'layout.demoNotice': 'Demo: alle personer og breve er opdigtede.',
  'layout.footer.about': 'Kuvert er en open source-platform for Digital Post.',
  'layout.footer.apiDocs': 'API-dokumentation',
  'layout.footer.openapi': 'OpenAPI-dokument',
  'layout.mainNav': 'Hovedmenu',
  'nav.mailbox': 'Min post',
  'nav.sender': 'Afsender',
  'nav.citizenService': 'Borgerservice',

  'front.title': 'Kuvert – Digital Post',
  'front.heading': 'Digital Post fra det offentlige',
  'front.intro':
    'Kuvert er en platform for Digital Post: sikker post fra myndigheder som kommuner, regioner og styrelser til borgere og virksomheder. Du læser din post i en digital postkasse, når du er logget ind.',
  'front.demo':
    'Dette er en demo. Alle personer, CPR-numre og breve er opdigtede, og login er et simuleret MitID, hvor du vælger hvem du vil være.',
  'front.continue': 'Fortsæt som {name}',
  'front.roles.heading': 'Prøv demoen',
  'front.citizen.heading': 'Borger',
  'front.citizen.text': 'Læs dine breve fra det offentlige.',
  'front.citizen.button': 'Log ind som borger',
  'front.caseworker.heading': 'Sagsbehandler',
  'front.caseworker.text': 'Borgerservice i en kommune.',
  'front.caseworker.button': 'Log ind som sagsbehandler',
  'front.sender.heading': 'Afsender',
  'front.sender.text': 'Medarbejder hos en myndighed, der sender breve.',
  'front.sender.button': 'Log ind som afsender',
  'front.developers.heading': 'For udviklere',
  'front.developers.text': 'Myndigheder sender breve gennem et JSON-API med API-nøgler.',
  'front.developers.docs': 'Se API-dokumentationen',
  'front.developers.openapi': 'Hent OpenAPI-dokumentet',

  'error.title': 'Der opstod en fejl',
  'error.400': 'Forespørgslen kunne ikke forstås.',
  'error.401': 'Du skal være logget ind for at se denne side.',
  'error.403': 'Du har ikke adgang til denne side.',
  'error.404': 'Siden findes ikke.',
  'error.404.text': 'Adressen er måske forkert, eller siden er flyttet eller slettet.',
  'error.429': 'Der er sendt for mange forespørgsler. Prøv igen om lidt.',
  'error.500': 'Der gik noget galt hos os. Fejlen er registreret.',
  'error.generic': 'Noget gik galt.',
  'error.csrf_failed': 'Formularen er udløbet. Gå tilbage, genindlæs siden og prøv igen.',
  'error.invalid_cursor': 'Linket til næste side er ugyldigt.',
  'error.code': 'Fejlkode: {code}',
  'error.home': 'Gå til forsiden',

  'mailbox.title': 'Min post',
  'mailbox.heading': 'Indbakke',
  'mailbox.empty': 'Du har ingen post endnu.',
  'mailbox.emptyMore': 'Der er ikke flere breve.',
  'mailbox.col.status': 'Status',
  'mailbox.col.sender': 'Afsender',
  'mailbox.col.label': 'Emne',
  'mailbox.col.date': 'Modtaget',
  'mailbox.unread': 'Ulæst',
  'mailbox.read': 'Læst',
  'mailbox.unreadCount': 'Ulæste breve på denne side: {count}',
  'mailbox.next': 'Ældre breve',
  'mailbox.first': 'Nyeste breve',
  'mailbox.pagination': 'Sider',

  'message.back': 'Tilbage til indbakken',
  'message.from': 'Fra',
  'message.received': 'Modtaget',
  'message.documents': 'Dokumenter',
  'message.download': 'Hent {filename}',
  'message.openPdf': 'Åbn PDF',
  'message.pdfFallback': 'Din browser kan ikke vise PDF-filen her.',
  'message.documentTitle': 'Dokument: {title}',
  'message.size': '{size}',

  'sender.title': 'Afsender',
  'sender.heading': 'Breve fra {sender}',
  'sender.intro': 'De seneste 20 breve, I har sendt. Modtagere og indhold vises ikke her.',
  'sender.empty': 'I har ikke sendt nogen breve endnu.',
  'sender.col.label': 'Emne',
  'sender.col.reference': 'Jeres reference',
  'sender.col.status': 'Status',
  'sender.col.received': 'Modtaget',
  'sender.col.available': 'Tilgængelig',
  'sender.col.read': 'Læst',
  'sender.status.received': 'Modtaget',
  'sender.status.available': 'Tilgængelig',
  'sender.status.read': 'Læst',
  'sender.status.rejected': 'Afvist',
  'sender.unknownSender': 'din organisation',

  'caseworker.title': 'Borgerservice',
  'caseworker.heading': 'Borgerservice',
  'caseworker.municipality': 'Du arbejder for {municipality}.',
  'caseworker.coming':
    'Her kommer registret: tilmelding og fritagelse af borgere i din kommune. Sagsbehandlere ser aldrig indholdet af borgernes post.',
} as const;

export type MessageKey = keyof typeof da;
type Dictionary = { readonly [K in MessageKey]: string };

const en: Dictionary = {
  'site.name': 'Kuvert',
  'site.tagline': 'Digital Post from public authorities',
  'layout.skipLink': 'Skip to content',
  'layout.loggedInAs': 'Logged in as {name}',
  'layout.logout': 'Log out',
  'layout.login': 'Log in',
  'layout.languageSwitch': 'Choose language',
  'layout.demoNotice': 'Demo: all people and letters are made up.',
  'layout.footer.about': 'Kuvert is an open-source Digital Post platform.',
  'layout.footer.apiDocs': 'API documentation',
  'layout.footer.openapi': 'OpenAPI document',
  'layout.mainNav': 'Main menu',
  'nav.mailbox': 'My mail',
  'nav.sender': 'Sender',
  'nav.citizenService': 'Citizen service',

  'front.title': 'Kuvert – Digital Post',
  'front.heading': 'Digital Post from public authorities',
  'front.intro':
    'Kuvert is a Digital Post platform: secure mail from authorities such as municipalities, regions and agencies to citizens and businesses. You read your mail in a digital mailbox after logging in.',
  'front.demo':
    'This is a demo. All people, CPR numbers and letters are made up, and the login is a simulated MitID where you choose who you want to be.',
  'front.continue': 'Continue as {name}',
  'front.roles.heading': 'Try the demo',
  'front.citizen.heading': 'Citizen',
  'front.citizen.text': 'Read your letters from public authorities.',
  'front.citizen.button': 'Log in as a citizen',
  'front.caseworker.heading': 'Caseworker',
  'front.caseworker.text': 'Citizen service in a municipality.',
  'front.caseworker.button': 'Log in as a caseworker',
  'front.sender.heading': 'Sender',
  'front.sender.text': 'Staff at an authority that sends letters.',
  'front.sender.button': 'Log in as sender staff',
  'front.developers.heading': 'For developers',
  'front.developers.text': 'Authorities send letters through a JSON API with API keys.',
  'front.developers.docs': 'Read the API documentation',
  'front.developers.openapi': 'Get the OpenAPI document',

  'error.title': 'Something went wrong',
  'error.400': 'The request could not be understood.',
  'error.401': 'You need to log in to see this page.',
  'error.403': 'You do not have access to this page.',
  'error.404': 'Page not found.',
  'error.404.text': 'The address may be wrong, or the page has moved or been deleted.',
  'error.429': 'Too many requests. Please try again shortly.',
  'error.500': 'Something went wrong on our side. It has been logged.',
  'error.generic': 'Something went wrong.',
  'error.csrf_failed': 'The form has expired. Go back, reload the page and try again.',
  'error.invalid_cursor': 'The link to the next page is not valid.',
  'error.code': 'Error code: {code}',
  'error.home': 'Go to the front page',

  'mailbox.title': 'My mail',
  'mailbox.heading': 'Inbox',
  'mailbox.empty': 'You have no mail yet.',
  'mailbox.emptyMore': 'There are no more letters.',
  'mailbox.col.status': 'Status',
  'mailbox.col.sender': 'From',
  'mailbox.col.label': 'Subject',
  'mailbox.col.date': 'Received',
  'mailbox.unread': 'Unread',
  'mailbox.read': 'Read',
  'mailbox.unreadCount': 'Unread letters on this page: {count}',
  'mailbox.next': 'Older letters',
  'mailbox.first': 'Newest letters',
  'mailbox.pagination': 'Pages',

  'message.back': 'Back to the inbox',
  'message.from': 'From',
  'message.received': 'Received',
  'message.documents': 'Documents',
  'message.download': 'Download {filename}',
  'message.openPdf': 'Open PDF',
  'message.pdfFallback': 'Your browser cannot show the PDF here.',
  'message.documentTitle': 'Document: {title}',
  'message.size': '{size}',

  'sender.title': 'Sender',
  'sender.heading': 'Letters from {sender}',
  'sender.intro': 'The latest 20 letters you have sent. Recipients and content are not shown here.',
  'sender.empty': 'You have not sent any letters yet.',
  'sender.col.label': 'Subject',
  'sender.col.reference': 'Your reference',
  'sender.col.status': 'Status',
  'sender.col.received': 'Received',
  'sender.col.available': 'Available',
  'sender.col.read': 'Read',
  'sender.status.received': 'Received',
  'sender.status.available': 'Available',
  'sender.status.read': 'Read',
  'sender.status.rejected': 'Rejected',
  'sender.unknownSender': 'your organisation',

  'caseworker.title': 'Citizen service',
  'caseworker.heading': 'Citizen service',
  'caseworker.municipality': 'You work for {municipality}.',
  'caseworker.coming':
    'The registry is coming here: enrolling and exempting citizens in your municipality. Caseworkers never see the content of citizens’ mail.',
};

const dictionaries: Record<Lang, Dictionary> = { da, en };

/** The page language from the `lang` cookie; Danish unless English was chosen. */
export function languageOf(request: FastifyRequest): Lang {
  const cookies = (request as { cookies?: Record<string, string | undefined> }).cookies;
  return cookies?.lang === 'en' ? 'en' : 'da';
}

/** Looks up a UI string and fills `{name}` placeholders. Returns plain text: escape it when rendering. */
export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = dictionaries[lang][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A translator bound to one language, for views. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;
export const translator =
  (lang: Lang): Translate =>
  (key, params) =>
    t(lang, key, params);

const locales: Record<Lang, string> = { da: 'da-DK', en: 'en-GB' };

/** A date and time as people in Denmark read it, in Danish or English. */
export function formatDateTime(lang: Lang, date: Date | string): string {
  return new Intl.DateTimeFormat(locales[lang], {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Copenhagen',
  }).format(new Date(date));
}

/** A date in the machine-readable form for `<time datetime>`. */
export const isoDate = (date: Date | string) => new Date(date).toISOString();

export function formatBytes(lang: Lang, bytes: number): string {
  const nf = (n: number, digits: number) =>
    new Intl.NumberFormat(locales[lang], { maximumFractionDigits: digits }).format(n);
  if (bytes < 1024) return `${nf(bytes, 0)} B`;
  if (bytes < 1024 * 1024) return `${nf(bytes / 1024, 0)} kB`;
  return `${nf(bytes / (1024 * 1024), 1)} MB`;
}
