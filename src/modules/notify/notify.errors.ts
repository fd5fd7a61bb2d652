import type { CodesOf, ErrorCatalogue } from '../../http/errors.ts';

/** The notify module's error codes (notification preferences and options). */
export const notifyErrors = {
  invalid_language: { da: 'Vælg dansk eller engelsk.', en: 'Choose Danish or English.' },
  nemsms_text_missing: {
    da: 'En NemSMS skal have sin tekst i adviseringen.',
    en: 'A NemSMS needs its text in the notification.',
  },
  nemsms_too_long: { da: 'NemSMS-teksten er for lang.', en: 'The NemSMS text is too long.' },
  nemsms_link: {
    da: 'En NemSMS-tekst må ikke indeholde links eller webadresser.',
    en: 'A NemSMS text may not contain links or web addresses.',
  },
  print_before_reminder: {
    da: 'Udskrivning ved manglende læsning skal komme efter påmindelsen.',
    en: 'Print-if-unread must come after the reminder.',
  },
} as const satisfies ErrorCatalogue;

declare module '../../http/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof notifyErrors> {}
}
