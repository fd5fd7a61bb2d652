import type { CodesOf, ErrorCatalogue } from '../../http/errors.ts';

/** The proofs module's error codes (signed proofs of a letter's legal facts). */
export const proofsErrors = {
  proof_unknown_fact: {
    da: 'Der findes ikke beviser for dette faktum. Brug accepted, available, posted, opened, served eller recalled.',
    en: 'There are no proofs of this fact. Use accepted, available, posted, opened, served or recalled.',
  },
  proof_fact_not_happened: {
    da: 'Det er ikke sket for dette brev, så der er intet bevis for det.',
    en: 'This has not happened to this letter, so there is no proof of it.',
  },
  proof_invalid_file: {
    da: 'Filen er ikke et gyldigt bevis fra Kuvert.',
    en: 'The file is not a valid proof from Kuvert.',
  },
} as const satisfies ErrorCatalogue;

declare module '../../http/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof proofsErrors> {}
}
