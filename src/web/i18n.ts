import type { FastifyRequest } from 'fastify';
import type { MessageKey } from '../strings.ts';

export type { MessageKey };

export type Lang = 'da' | 'en';
export const languages: readonly Lang[] = ['da', 'en'];

/** The platform's own UI strings, Danish first. English must have exactly the same keys (a missing key fails type-check). */
const coreDa = {
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
  'layout.footer.statistics': 'Statistik',
  'layout.footer.status': 'Driftstatus',
  'layout.mainNav': 'Hovedmenu',
  'layout.menu': 'Menu',
  'nav.mailbox': 'Min post',
  'nav.sender': 'Afsender',
  'nav.citizenService': 'Borgerservice',
  'nav.enrolment': 'Tilmelding',
  'nav.contact': 'Kontaktoplysninger',

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
  'error.code': 'Reference: {code}',
  'error.home': 'Gå til forsiden',
  'form.text.control_characters':
    'Teksten indeholder usynlige styretegn, som ikke er tilladt. Fjern dem, og prøv igen.',
  'form.text.control_characters_line':
    'Teksten indeholder linjeskift eller usynlige styretegn, som ikke er tilladt her. Fjern dem, og prøv igen.',
  'form.text.lone_surrogate': 'Teksten indeholder et ugyldigt tegn. Slet det, eller skriv teksten forfra.',
  'form.text.blank': 'Feltet skal udfyldes.',
  'form.text.too_long': 'Teksten må højst være på {max} tegn.',
} as const;

const coreEn: Record<keyof typeof coreDa, string> = {
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
  'layout.footer.statistics': 'Statistics',
  'layout.footer.status': 'Service status',
  'layout.mainNav': 'Main menu',
  'layout.menu': 'Menu',
  'nav.mailbox': 'My mail',
  'nav.sender': 'Sender',
  'nav.citizenService': 'Citizen service',
  'nav.enrolment': 'Enrolment',
  'nav.contact': 'Contact details',

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
  'error.code': 'Reference: {code}',
  'error.home': 'Go to the front page',
  'form.text.control_characters':
    'The text contains invisible control characters, which are not allowed. Remove them and try again.',
  'form.text.control_characters_line':
    'The text contains line breaks or invisible control characters, which are not allowed here. Remove them and try again.',
  'form.text.lone_surrogate': 'The text contains an invalid character. Delete it or type the text again.',
  'form.text.blank': 'This field must be filled in.',
  'form.text.too_long': 'The text can be at most {max} characters long.',
};

/** The platform's own strings (layout, navigation, front page, error page, forms); src/strings.ts merges them with the
 * modules' and registers the result. */
export const platformStrings = { da: coreDa, en: coreEn };

/** Every UI string by language: src/strings.ts, the composition root's merge, fills it when it is loaded. */
let dictionaries: Record<Lang, Readonly<Record<MessageKey, string>>> | undefined;

/** Called once by src/strings.ts with every module's strings merged with the platform's. */
export function registerStrings(merged: Record<Lang, Readonly<Record<MessageKey, string>>>): void {
  dictionaries = merged;
}

/** The page language from the `lang` cookie; Danish unless English was chosen. */
export function languageOf(request: FastifyRequest): Lang {
  const cookies = (request as { cookies?: Record<string, string | undefined> }).cookies;
  return cookies?.lang === 'en' ? 'en' : 'da';
}

/** Looks up a UI string and fills `{name}` placeholders. Returns plain text: escape it when rendering. */
export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = dictionaries?.[lang][key];
  if (template === undefined) {
    throw new Error(`No UI string ${key} (${lang}): load src/strings.ts first, as every entry point does`);
  }
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A translator bound to one language, for views. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;
export const translator =
  (lang: Lang): Translate =>
  (key, params) =>
    t(lang, key, params);

const locales: Record<Lang, string> = { da: 'da-DK', en: 'en-GB' };

export { formatDate, formatDateTime, formatDateTimeRange, formatListDate, formatTime, isoDate } from './dates.ts';

const numberFormats: Record<Lang, [Intl.NumberFormat, Intl.NumberFormat]> = {
  da: [0, 1].map((d) => new Intl.NumberFormat(locales.da, { maximumFractionDigits: d })) as [
    Intl.NumberFormat,
    Intl.NumberFormat,
  ],
  en: [0, 1].map((d) => new Intl.NumberFormat(locales.en, { maximumFractionDigits: d })) as [
    Intl.NumberFormat,
    Intl.NumberFormat,
  ],
};

export function formatBytes(lang: Lang, bytes: number): string {
  const nf = (n: number, digits: number) => numberFormats[lang][digits === 0 ? 0 : 1].format(n);
  if (bytes < 1024) return `${nf(bytes, 0)} B`;
  if (bytes < 1024 * 1024) return `${nf(bytes / 1024, 0)} kB`;
  return `${nf(bytes / (1024 * 1024), 1)} MB`;
}
