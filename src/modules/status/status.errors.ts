import type { CodesOf, ErrorCatalogue } from '../../http/errors.ts';

/**
 * The status module's error codes (incidents and maintenance windows). The status checks' own codes (`queue_lag`,
 * `database_slow`, …) name what a check found, not an error answer, and are not in this catalogue.
 */
export const statusErrors = {
  components_required: { da: 'Vælg mindst én berørt komponent.', en: 'Choose at least one affected component.' },
  ends_before_start: { da: 'Slutningen skal ligge efter starten.', en: 'The end must be after the start.' },
  ends_in_past: { da: 'Vinduet er allerede slut.', en: 'The window has already ended.' },
  incident_not_found: { da: 'Hændelsen findes ikke.', en: 'There is no such incident.' },
  incident_resolved: {
    da: 'Hændelsen er løst; opret en ny i stedet.',
    en: 'This incident is resolved; open a new one instead.',
  },
  invalid_component: { da: 'Ukendt komponent.', en: 'Unknown component.' },
  invalid_severity: { da: 'Vælg alvorligheden.', en: 'Choose the severity.' },
  invalid_state: { da: 'Vælg tilstanden.', en: 'Choose the state.' },
  invalid_time: { da: 'Angiv dato og klokkeslæt.', en: 'Give a date and time.' },
  maintenance_not_found: { da: 'Servicevinduet findes ikke.', en: 'There is no such maintenance window.' },
  message_required: { da: 'Skriv en besked.', en: 'Write a message.' },
  message_too_long: { da: 'Teksten er for lang.', en: 'The text is too long.' },
  title_required: { da: 'Skriv en titel.', en: 'Give a title.' },
  title_too_long: { da: 'Titlen er for lang.', en: 'The title is too long.' },
  window_too_long: {
    da: 'Et servicevindue må højst vare 7 dage.',
    en: 'A maintenance window can last at most 7 days.',
  },
} as const satisfies ErrorCatalogue;

declare module '../../http/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof statusErrors> {}
}
