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
  invalid_access_token: {
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
  // Onboarding senders and their staff (create-sender.ts, sender-staff.ts).
  sender_cvr_invalid: {
    da: 'Skriv et gyldigt CVR-nummer på 8 cifre.',
    en: 'Enter a valid CVR number of 8 digits.',
  },
  sender_cvr_taken: {
    da: 'Der findes allerede en afsender med dette CVR-nummer.',
    en: 'There is already a sender with this CVR number.',
  },
  sender_name_invalid: {
    da: 'Skriv myndighedens navn (højst 200 tegn).',
    en: 'Enter the authority’s name (at most 200 characters).',
  },
  sender_kind_invalid: {
    da: 'Vælg kommune, statslig, region eller anden.',
    en: 'Choose municipality, state, region or other.',
  },
  sender_municipality_invalid: {
    da: 'En kommune skal have en gyldig kommunekode (4 cifre, fx 0101); andre myndigheder ingen.',
    en: 'A municipality needs a valid municipality code (4 digits, e.g. 0101); other authorities none.',
  },
  sender_contact_email_invalid: {
    da: 'Skriv en gyldig e-mailadresse til myndighedens Digital Post-kontakt.',
    en: 'Enter a valid e-mail address for the authority’s Digital Post contact.',
  },
  sender_contact_phone_invalid: {
    da: 'Skriv et dansk telefonnummer på 8 cifre, eller lad feltet stå tomt.',
    en: 'Enter a Danish phone number of 8 digits, or leave the field empty.',
  },
  staff_subject_invalid: {
    da: 'Skriv medarbejderens login-id (subject) uden mellemrum.',
    en: 'Enter the staff member’s login id (subject) without spaces.',
  },
  staff_subject_taken: {
    da: 'Dette login-id bruges allerede af en anden medarbejder.',
    en: 'This login id is already used by another staff member.',
  },
  staff_name_invalid: {
    da: 'Skriv medarbejderens navn (højst 200 tegn).',
    en: 'Enter the staff member’s name (at most 200 characters).',
  },
  staff_role_invalid: { da: 'Vælg administrator eller medarbejder.', en: 'Choose administrator or staff.' },
  sender_admin_required: {
    da: 'Kun jeres organisations administratorer kan gøre dette.',
    en: 'Only your organisation’s administrators may do this.',
  },
  last_administrator: {
    da: 'Organisationens sidste administrator kan ikke fjernes eller gøres til medarbejder.',
    en: 'The organisation’s last administrator cannot be removed or demoted.',
  },
  on_behalf_vendor_invalid: {
    da: 'Angiv leverandørens CVR-nummer (8 cifre). Leverandøren skal være oprettet som afsender i Kuvert.',
    en: 'Give the vendor’s CVR number (8 digits). The vendor must be registered as a sender in Kuvert.',
  },
  on_behalf_vendor_self: {
    da: 'En organisation kan ikke give fuldmagt til sig selv.',
    en: 'An organisation cannot authorise itself.',
  },
  on_behalf_scopes_invalid: { da: 'Vælg mindst ét scope.', en: 'Choose at least one scope.' },
  on_behalf_ends_at_invalid: {
    da: 'Angiv en slutdato i fremtiden (højst 3 år frem).',
    en: 'Give an end date in the future (at most 3 years ahead).',
  },
  system_jwks_invalid: {
    da: 'Indsæt et JWKS (JSON: {"keys": [...]}) med 1–20 offentlige signeringsnøgler.',
    en: 'Paste a JWKS (JSON: {"keys": [...]}) with 1–20 public signing keys.',
  },
  system_jwks_private: {
    da: 'JWKS’et indeholder en privat eller hemmelig nøgle. Indsæt kun de offentlige nøgler — og udskift den private nøgle, den er ikke længere hemmelig.',
    en: 'The JWKS holds a private or secret key. Paste the public keys only — and replace that private key, it is no longer secret.',
  },
  system_client_not_found: {
    da: 'Systemet findes ikke eller er allerede tilbagekaldt.',
    en: 'The system does not exist or has already been revoked.',
  },
  on_behalf_not_found: {
    da: 'Fuldmagten findes ikke eller er allerede tilbagekaldt.',
    en: 'The authorisation does not exist or has already been revoked.',
  },
} as const satisfies ErrorCatalogue;

declare module '../../http/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof identityErrors> {}
}
