import type { CodesOf, ErrorCatalogue } from '../../http/errors.ts';

/** The identity module's error codes (login, sessions, CSRF, API keys). */
export const identityErrors = {
  csrf_failed: {
    da: 'Formularen er udløbet. Gå tilbage, genindlæs siden og prøv igen.',
    en: 'The form has expired. Go back, reload the page and try again.',
  },
  invalid_api_key: {
    da: 'API-nøglen er ukendt eller tilbagekaldt.',
    en: 'The API key is unknown or has been revoked.',
  },
  insufficient_scope: {
    da: 'Adgangstokenet har ikke det scope, som denne handling kræver.',
    en: 'The access token lacks the scope this call requires.',
  },
  invalid_token: {
    da: 'Adgangstokenet er ukendt, udløbet eller tilbagekaldt, eller det er bundet til et andet certifikat.',
    en: 'The access token is unknown, expired or revoked, or it is bound to another certificate.',
  },
  invalid_system_client: {
    da: 'Systemklienten kunne ikke registreres: tjek ejer, nøgler og scopes.',
    en: 'The system client could not be registered: check its owner, keys and scopes.',
  },
  invalid_label: { da: 'Giv nøglen et navn på 1–100 tegn.', en: 'Give the key a name of 1–100 characters.' },
  login_expired: { da: 'Login er udløbet. Log ind igen.', en: 'The login has expired. Please log in again.' },
  login_failed: {
    da: 'Login kunne ikke gennemføres. Prøv igen.',
    en: 'The login could not be completed. Please try again.',
  },
  login_required: { da: 'Du skal være logget ind for at gøre dette.', en: 'You need to log in to do this.' },
  login_unavailable: {
    da: 'Login er ikke tilgængeligt lige nu. Prøv igen senere.',
    en: 'Login is not available right now. Please try again later.',
  },
  missing_api_key: {
    da: 'Send jeres API-nøgle som "Authorization: Bearer <nøgle>".',
    en: 'Send your API key as "Authorization: Bearer <key>".',
  },
  no_cpr: {
    da: 'Dit login indeholdt ikke et gyldigt CPR-nummer, og du er ikke registreret som medarbejder i Kuvert.',
    en: 'Your login did not include a valid CPR number, and you are not registered as staff in Kuvert.',
  },
  staff_incomplete: {
    da: 'Din medarbejderkonto mangler sin kommune eller myndighed.',
    en: 'Your staff account is missing its municipality or authority.',
  },
  unknown_persona: { da: 'Vælg en af personerne på listen.', en: 'Choose one of the people on the list.' },
} as const satisfies ErrorCatalogue;

declare module '../../http/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof identityErrors> {}
}
