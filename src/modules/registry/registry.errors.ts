import type { CodesOf, ErrorCatalogue } from '../../http/errors.ts';

/** The registry module's error codes (people and businesses, enrolment, exemption, contact details, reachability). */
export const registryErrors = {
  invalid_p_number: {
    da: 'P-nummeret er ikke gyldigt. Det har 10 cifre.',
    en: 'The P-number is not valid. It has 10 digits.',
  },
  already_enrolled: {
    da: 'Personen er allerede tilmeldt Digital Post.',
    en: 'The person is already enrolled in Digital Post.',
  },
  already_exempted: {
    da: 'Personen er allerede fritaget for Digital Post.',
    en: 'The person is already exempted from Digital Post.',
  },
  already_closed: { da: 'Postkassen er allerede lukket.', en: 'The mailbox is already closed.' },
  business_cannot_be_exempted: {
    da: 'Virksomheder skal modtage Digital Post og kan ikke fritages.',
    en: 'Businesses must receive Digital Post and cannot be exempted.',
  },
  deceased: {
    da: 'Postkassen hos en afdød person kan ikke genåbnes.',
    en: 'The mailbox of a deceased person cannot be reopened.',
  },
  mailbox_closed: {
    da: 'Postkassen er lukket, så ændringen kan ikke registreres.',
    en: 'The mailbox is closed, so the change cannot be registered.',
  },
  not_closed: { da: 'Kun en lukket postkasse kan genåbnes.', en: 'Only a closed mailbox can be reopened.' },
  not_exempted: {
    da: 'Kun en person, der er fritaget, kan tilmeldes igen.',
    en: 'Only an exempted person can be re-enrolled.',
  },
  too_young: {
    da: 'Personer under 15 år kan ikke have deres egen digitale postkasse.',
    en: 'People under 15 cannot have their own Digital Post mailbox.',
  },
  already_added: { da: 'Du har allerede tilføjet denne oplysning.', en: 'You have already added this contact detail.' },
  code_attempts_exceeded: {
    da: 'Koden var forkert 3 gange og gælder ikke længere. Send en ny kode.',
    en: 'The code was wrong 3 times and no longer works. Ask for a new code.',
  },
  code_expired: { da: 'Koden er udløbet. Send en ny kode.', en: 'The code has expired. Ask for a new code.' },
  code_not_sent: {
    da: 'Koden kunne ikke sendes. Prøv at sende en ny kode om lidt.',
    en: 'The code could not be sent. Ask for a new code in a moment.',
  },
  confirmation_required: {
    da: 'Sæt kryds for at bekræfte, at postkassen skal lukkes.',
    en: 'Confirm that the mailbox is to be closed.',
  },
  cpr_in_url: {
    da: 'CPR-numre må ikke stå i adresser. Slå personer op med POST /api/v1/recipients/reachability.',
    en: 'CPR numbers must not be put in URLs. Look people up with POST /api/v1/recipients/reachability.',
  },
  invalid_code: { da: 'Koden skal være 6 cifre.', en: 'The code is 6 digits.' },
  invalid_email: {
    da: 'Skriv en gyldig e-mailadresse, fx navn@eksempel.dk.',
    en: 'Enter a valid e-mail address, like name@example.dk.',
  },
  invalid_ground: { da: 'Vælg en grund til fritagelsen.', en: 'Choose one of the grounds for exemption.' },
  invalid_id: {
    da: 'Id’et skal være et Kuvert-modtager-id (UUID) eller et CVR-nummer.',
    en: 'The id must be a Kuvert recipient id (UUID) or a CVR number.',
  },
  invalid_mobile: {
    da: 'Skriv et mobilnummer: 8 cifre for et dansk nummer, eller + og landekoden for et andet land.',
    en: 'Enter a mobile number: 8 digits for a Danish number, or + and the country code for another country.',
  },
  invalid_reason: { da: 'Vælg en årsag: dødsfald eller udrejse.', en: 'Choose why: death or emigration.' },
  no_code: { da: 'Der er ingen gyldig kode. Send en ny kode.', en: 'There is no valid code. Ask for a new code.' },
  not_your_municipality: {
    da: 'Personen er ikke registreret i jeres kommune; borgerservice i personens kommune tager sig af sagen.',
    en: 'The person is not registered in your municipality; the citizen service of their municipality handles them.',
  },
  note_too_long: { da: 'Bemærkningen er for lang.', en: 'The note is too long.' },
  person_not_found: {
    da: 'Der er ingen borger med dette CPR-nummer i registret.',
    en: 'No person with this CPR number is registered.',
  },
  recipient_not_found: { da: 'Der er ingen modtager med dette id.', en: 'No recipient with this id is registered.' },
  too_many_emails: {
    da: 'Du kan højst have 2 e-mailadresser. Fjern en for at tilføje en ny.',
    en: 'You can have at most 2 e-mail addresses. Remove one first.',
  },
  too_many_mobiles: {
    da: 'Du kan højst have 1 mobilnummer. Fjern det for at tilføje et nyt.',
    en: 'You can have at most 1 mobile number. Remove it first.',
  },
  too_many_recipients: {
    da: 'Der er spurgt til for mange modtagere i én forespørgsel.',
    en: 'Too many recipients were asked about in one request.',
  },
  wrong_code: { da: 'Koden er forkert.', en: 'The code is wrong.' },
} as const satisfies ErrorCatalogue;

declare module '../../http/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof registryErrors> {}
}
