import type { CodesOf, ErrorCatalogue } from '../../http/errors.ts';

/** The print module's error codes (the print provider's API, letters that cannot be printed). */
export const printErrors = {
  invalid_print_provider_token: {
    da: 'Send printleverandørens nøgle som Bearer-token.',
    en: 'Send the print provider token as a Bearer token.',
  },
  no_postal_address: { da: 'Modtageren har ingen postadresse.', en: 'The recipient has no postal address.' },
  print_batch_not_found: { da: 'Der er ingen printbatch med dette id.', en: 'There is no print batch with this id.' },
  print_batch_not_ready: {
    da: 'Printbatchen er ikke nået til udbakken endnu.',
    en: 'This print batch has not reached the outbox yet.',
  },
} as const satisfies ErrorCatalogue;

declare module '../../http/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof printErrors> {}
}
