/*
 * The error-code catalogue. Every code Kuvert answers with (problem+json `code`, a batch line's failure code, a form
 * error) is declared once, with a Danish and an English text for pages, in a catalogue `as const`: the platform's own
 * generic codes here, each module's in `src/modules/<module>/<module>.errors.ts`.
 *
 * The platform may not import modules, so the set of codes is assembled by TypeScript interface merging: each module's
 * errors file adds its codes to `ErrorCodes` with `declare module '../../http/errors.ts'`, and `ErrorCode` (the type of
 * `AppError.code`) is the union of them all: a code in no catalogue fails `tsc`. The texts are looked up at run time
 * in a registry that the composition root fills at start-up (`registerErrors`, src/app.ts); the API keeps its stable
 * English `title`/`detail`, pages show `errorText(code, lang)`.
 */

/** A code's text for people, in both page languages. */
export interface ErrorText {
  readonly da: string;
  readonly en: string;
}

/** A catalogue: code → texts. Declare it `as const satisfies ErrorCatalogue`. */
export type ErrorCatalogue = { readonly [code: string]: ErrorText };

/** The codes of a catalogue, as members to merge into `ErrorCodes`. */
export type CodesOf<C extends ErrorCatalogue> = { readonly [K in keyof C]: true };

/** The platform's generic codes: HTTP-level failures, and input checks shared by several modules. */
export const platformErrors = {
  not_found: { da: 'Det, du leder efter, findes ikke.', en: 'What you are looking for does not exist.' },
  forbidden: { da: 'Du har ikke adgang til dette.', en: 'You do not have access to this.' },
  bad_request: { da: 'Forespørgslen kunne ikke forstås.', en: 'The request could not be understood.' },
  internal_error: {
    da: 'Der gik noget galt hos os. Fejlen er registreret.',
    en: 'Something went wrong on our side. It has been logged.',
  },
  document_missing: {
    da: 'Et dokument i dette brev mangler i dokumentlageret. Fejlen er registreret, og driften genskaber det.',
    en: 'A document of this letter is missing from the document store. It has been logged for the operators.',
  },
  database_unavailable: {
    da: 'Kuvert kan ikke nå sin database lige nu. Intet er ændret; prøv igen om lidt.',
    en: 'Kuvert cannot reach its database right now. Nothing was changed; try again in a little while.',
  },
  shutting_down: {
    da: 'Denne server lukker ned; prøv igen, så svarer en anden.',
    en: 'This server is shutting down; try again and another one answers.',
  },
  rate_limited: {
    da: 'Der er sendt for mange forespørgsler. Prøv igen om lidt.',
    en: 'Too many requests. Please try again shortly.',
  },
  malformed_json: { da: 'Indholdet er ikke gyldig JSON.', en: 'The content is not valid JSON.' },
  body_too_large: {
    da: 'Det sendte er større, end der tages imod her.',
    en: 'What was sent is larger than this address accepts.',
  },
  unsupported_media_type: {
    da: 'Denne indholdstype modtages ikke her.',
    en: 'This content type is not accepted here.',
  },
  invalid_field: { da: 'Et felt har en ugyldig værdi.', en: 'A field has a value that is not valid.' },
  unknown_field: { da: 'Der er et felt, som ikke kendes.', en: 'There is a field that is not known.' },
  invalid_characters: {
    da: 'Teksten indeholder tegn, som ikke er tilladt (fx styretegn).',
    en: 'The text contains characters that are not allowed (such as control characters).',
  },
  blank_text: { da: 'Feltet skal udfyldes.', en: 'The field must not be empty.' },
  invalid_date: {
    da: 'Skriv datoen som ÅÅÅÅ-MM-DD, fx 2026-11-24.',
    en: 'Write the date as YYYY-MM-DD, like 2026-11-24.',
  },
  invalid_date_time: {
    da: 'Tidspunktet er ikke gyldigt. Skriv det som fx 2026-03-01T12:00:00Z.',
    en: 'The date-time is not valid. Write it like 2026-03-01T12:00:00Z.',
  },
  invalid_cursor: { da: 'Linket til næste side er ugyldigt.', en: 'The link to the next page is not valid.' },
  invalid_cpr: {
    da: 'CPR-nummeret er ikke gyldigt. Tjek cifrene.',
    en: 'The CPR number is not valid. Check the digits.',
  },
  invalid_cvr: {
    da: 'CVR-nummeret er ikke gyldigt. Tjek cifrene.',
    en: 'The CVR number is not valid. Check the digits.',
  },
  text_too_long: { da: 'Teksten er for lang.', en: 'The text is too long.' },
  name_required: { da: 'Skriv et navn.', en: 'Enter a name.' },
} as const satisfies ErrorCatalogue;

/**
 * Every error code: the platform's, and each module's merged in from its `<module>.errors.ts` by
 * `declare module '../../http/errors.ts' { interface ErrorCodes extends CodesOf<typeof xErrors> {} }`.
 */
export interface ErrorCodes extends CodesOf<typeof platformErrors> {}

/** A code from one of the catalogues. */
export type ErrorCode = keyof ErrorCodes & string;

const registry = new Map<string, ErrorText>(Object.entries(platformErrors));

/** Adds catalogues to the texts pages look up (the composition root does this for every module at start-up). */
export function registerErrors(...catalogues: ErrorCatalogue[]): void {
  for (const catalogue of catalogues) {
    for (const [code, text] of Object.entries(catalogue)) registry.set(code, text);
  }
}

/** The codes with a registered text (the tests check every catalogue is registered). */
export const registeredErrorCodes = (): string[] => [...registry.keys()];

/** A code's text in the page language, or undefined when the code is in no registered catalogue. */
export function errorText(code: string, lang: 'da' | 'en'): string | undefined {
  return registry.get(code)?.[lang];
}
