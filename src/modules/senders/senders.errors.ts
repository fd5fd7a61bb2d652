import type { CodesOf, ErrorCatalogue } from '../../http/errors.ts';

/** The sender portal's form error codes (writing a letter, filtering the sent letters). */
export const sendersErrors = {
  file_required: { da: 'Vælg en fil.', en: 'Choose a file.' },
  invalid_recipient: {
    da: 'Skriv et CPR-nummer med 10 cifre eller et CVR-nummer med 8 cifre.',
    en: 'Enter a CPR number of 10 digits or a CVR number of 8 digits.',
  },
  label_required: { da: 'Skriv et emne.', en: 'Enter a subject.' },
  label_too_long: { da: 'Emnet må højst være 250 tegn.', en: 'The subject can be at most 250 characters.' },
  notification_too_long: {
    da: 'Adviseringsteksten må højst være 150 tegn.',
    en: 'The notification text can be at most 150 characters.',
  },
  reference_too_long: { da: 'Referencen må højst være 100 tegn.', en: 'The reference can be at most 100 characters.' },
} as const satisfies ErrorCatalogue;

declare module '../../http/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof sendersErrors> {}
}
