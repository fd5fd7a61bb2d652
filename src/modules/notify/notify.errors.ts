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
  escalation_plan_or_steps: {
    da: 'Angiv enten en navngiven plan eller trinene, ikke begge.',
    en: 'Give either plan (a named plan) or steps, not both.',
  },
  escalation_invalid_plan_name: {
    da: 'Et plannavn er 1–40 små bogstaver, tal, - eller _.',
    en: 'A plan name is 1–40 lower-case letters, digits, - or _.',
  },
  escalation_unknown_plan: {
    da: 'Afsenderen har ingen eskaleringsplan med dette navn.',
    en: 'You have no escalation plan with this name.',
  },
  escalation_too_many_steps: { da: 'En plan har for mange trin.', en: 'A plan has too many steps.' },
  escalation_unknown_action: {
    da: 'Et trin er remind, print_if_unread eller notify_sender.',
    en: 'A step is remind, print_if_unread or notify_sender.',
  },
  escalation_invalid_days: {
    da: 'Antal dage skal være et helt tal fra 1 til 365.',
    en: 'afterDays is a whole number from 1 to 365.',
  },
  escalation_steps_out_of_order: {
    da: 'Trinene skal komme i rækkefølge efter deres dage.',
    en: 'Steps come in the order of their days.',
  },
  escalation_invalid_channels: {
    da: 'En påmindelse sendes på e-mail og/eller sms, hver højst én gang.',
    en: 'A reminder goes by email and/or sms, each once.',
  },
  escalation_duplicate_print: {
    da: 'En plan kan kun udskrive brevet én gang.',
    en: 'A plan prints a letter at most once.',
  },
  escalation_print_mandatory: {
    da: 'Et obligatorisk digitalt brev kan ikke udskrives ved manglende læsning.',
    en: 'A mandatory letter must go digitally: it cannot be printed if unread.',
  },
  escalation_nemsms: {
    da: 'En NemSMS følges ikke op: send den uden eskalering.',
    en: 'A NemSMS is not followed up: send it without escalation.',
  },
  escalation_invalid_memo_extension: {
    da: 'Kuvert-udvidelsen til eskalering i MeMo-beskeden er ugyldig.',
    en: 'The Kuvert escalation extension in the MeMo message is not valid.',
  },
} as const satisfies ErrorCatalogue;

declare module '../../http/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof notifyErrors> {}
}
