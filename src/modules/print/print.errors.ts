import type { CodesOf, ErrorCatalogue } from '../../http/errors.ts';

/** The print module's error codes (the print provider's API, letters that cannot be printed). */
export const printErrors = {
  invalid_print_provider_token: {
    da: 'Send printleverandørens nøgle som Bearer-token.',
    en: 'Send the print provider token as a Bearer token.',
  },
  no_postal_address: { da: 'Modtageren har ingen postadresse.', en: 'The recipient has no postal address.' },
  print_batch_not_found: { da: 'Der er ingen printbatch med dette id.', en: 'There is no print batch with this id.' },
  print_return_unknown_letter: {
    da: 'Der er intet papirbrev med dette id.',
    en: 'There is no paper letter with this id.',
  },
  print_return_not_posted: {
    da: 'Brevet er ikke bekræftet afsendt, så det kan ikke være kommet retur.',
    en: 'This letter has not been confirmed as posted, so it cannot have come back.',
  },
  print_return_in_future: {
    da: 'Et brev kan ikke være kommet retur senere end nu.',
    en: 'A letter cannot have come back later than now.',
  },
  print_batch_not_ready: {
    da: 'Printbatchen er ikke nået til udbakken endnu.',
    en: 'This print batch has not reached the outbox yet.',
  },
} as const satisfies ErrorCatalogue;

declare module '../../http/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof printErrors> {}
}
