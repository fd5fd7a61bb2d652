import type { CodesOf, ErrorCatalogue } from '../../http/errors.ts';

/** The access module's error codes (powers of attorney, parental access, delegations, the activity log). */
export const accessErrors = {
  access_management_forbidden: {
    da: 'Kun ejeren af postkassen kan give eller tilbagekalde adgang til den.',
    en: 'Only the owner of the mailbox can give or revoke access to it.',
  },
  access_not_found: {
    da: 'Adgangen findes ikke eller er allerede ophørt.',
    en: 'This access does not exist or has already ended.',
  },
  activity_forbidden: {
    da: 'Kun ejeren af postkassen kan se aktivitetsloggen.',
    en: 'Only the owner of the mailbox can see the activity log.',
  },
  already_administrator: {
    da: 'Personen er allerede administrator for virksomheden.',
    en: 'This person is already an administrator of the business.',
  },
  business_not_registered: {
    da: 'Virksomheden, du loggede ind for, bruger ikke Kuvert: der er ingen virksomhed med dette CVR-nummer. Log ind privat, eller kontakt virksomheden.',
    en: 'The business you logged in for does not use Kuvert: no business with this CVR number is registered. Log in privately, or contact the business.',
  },
  last_business_administrator: {
    da: 'Virksomheden skal have mindst én administrator. Udnævn en anden administrator, før du fjerner den sidste.',
    en: 'The business must have at least one administrator. Name another administrator before removing the last one.',
  },
  not_an_administrator: {
    da: 'Personen er ikke administrator for virksomheden.',
    en: 'This person is not an administrator of the business.',
  },
  already_has_access: {
    da: 'Personen har allerede denne adgang. Tilbagekald den først for at ændre den.',
    en: 'This person already has this access. Revoke it first to change it.',
  },
  cannot_grant_self: {
    da: 'En person kan ikke få adgang til sin egen postkasse.',
    en: 'A person cannot be given access to their own mailbox.',
  },
  confirmation_stale: {
    da: 'Oplysningerne er ikke dem, du bekræftede. Tjek dem, og bekræft igen.',
    en: 'The details are not the ones you confirmed. Check them and confirm again.',
  },
  document_reference_required: {
    da: 'Skriv referencen på fuldmagtsdokumentet.',
    en: 'Enter the reference of the power of attorney document.',
  },
  document_reference_too_long: {
    da: 'Dokumentreferencen er for lang.',
    en: 'The document reference is too long.',
  },
  end_date_in_past: { da: 'Slutdatoen skal være i dag eller senere.', en: 'The end date must be today or later.' },
  grantee_not_found: {
    da: 'Der er ingen person med dette CPR-nummer i registret.',
    en: 'No person with this CPR number is registered.',
  },
  invalid_end_date: {
    da: 'Slutdatoen er ikke en gyldig dato (DD-MM-ÅÅÅÅ).',
    en: 'The end date is not a valid date (DD-MM-YYYY).',
  },
  invalid_kind: { da: 'Vælg fuldmagt eller forældreadgang.', en: 'Choose power of attorney or parental access.' },
  invalid_level: { da: 'Vælg læseadgang eller læse- og skriveadgang.', en: 'Choose read access or read/write access.' },
  mailbox_not_openable: {
    da: 'Postkassen kan ikke åbnes.',
    en: 'The mailbox cannot be opened.',
  },
  not_a_minor_15_17: {
    da: 'Forældre kan kun få adgang til postkassen hos en 15–17-årig.',
    en: 'Parents can be given access only to the mailbox of a 15–17-year-old.',
  },
  folder_scope_forbidden: {
    da: 'Kun administratoren af en virksomheds postkasse kan begrænse en medarbejders adgang til udvalgte mapper.',
    en: "Only the administrator of a business's mailbox can limit an employee's access to chosen folders.",
  },
  invalid_folder: {
    da: 'Vælg mapper i denne postkasse.',
    en: 'Choose folders of this mailbox.',
  },
  not_revocable_by_caseworker: {
    da: 'Borgerservice kan kun afslutte fuldmagter og forældreadgang; personen tilbagekalder selv sine egne tildelinger.',
    en: 'Citizen service ends powers of attorney and parental access only; the person revokes their own grants.',
  },
  person_not_matched: {
    da: 'Der er ingen person med dette CPR-nummer og dette navn.',
    en: 'No person with this CPR number has that name.',
  },
} as const satisfies ErrorCatalogue;

declare module '../../http/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof accessErrors> {}
}
