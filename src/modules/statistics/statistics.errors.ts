import type { CodesOf, ErrorCatalogue } from '../../http/errors.ts';

/** The statistics module's error codes (figures, municipalities, the self-service scorecard reports). */
export const statisticsErrors = {
  digital_exceeds_total: {
    da: 'Antallet af digitale henvendelser er større end det samlede antal.',
    en: 'The digital count is larger than the total.',
  },
  duplicate_row: {
    da: 'Samme kommune, måned og område står mere end én gang.',
    en: 'The same municipality, month and area appear more than once.',
  },
  empty_report: { da: 'Indberetningen har ingen linjer.', en: 'The report holds no lines.' },
  invalid_count: {
    da: 'Et antal skal være et helt tal, 0 eller derover.',
    en: 'A count is a whole number, 0 or more.',
  },
  invalid_month: { da: 'Måneden skal skrives som ÅÅÅÅ-MM.', en: 'Write the month as YYYY-MM.' },
  invalid_report: {
    da: 'Nogle linjer er ugyldige; intet er gemt.',
    en: 'Some lines are invalid; nothing was stored.',
  },
  invalid_token: {
    da: 'Der kræves en gyldig indberetningsnøgle (Authorization: Bearer ksr_…).',
    en: 'A valid reporting token is required (Authorization: Bearer ksr_…).',
  },
  no_reports: {
    da: 'Der er endnu ikke indberettet tal for selvbetjening.',
    en: 'No self-service counts have been reported yet.',
  },
  no_statistics: { da: 'Der er endnu ikke talt nogen statistik.', en: 'No statistics have been counted yet.' },
  too_many_lines: { da: 'Indberetningen har for mange linjer.', en: 'The report holds too many lines.' },
  unknown_figure: { da: 'Der er ingen nøgletal med det navn.', en: 'There is no figure by that name.' },
  unknown_municipality: { da: 'Kommunen findes ikke.', en: 'There is no such municipality.' },
  unknown_service_area: { da: 'Området findes ikke.', en: 'There is no such service area.' },
} as const satisfies ErrorCatalogue;

declare module '../../http/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof statisticsErrors> {}
}
