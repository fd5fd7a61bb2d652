import type { CodesOf, ErrorCatalogue } from '../../http/errors.ts';

/** The mailbox module's error codes (reading, folders, search, actions). */
export const mailboxErrors = {
  cpr_not_allowed: {
    da: 'Søg ikke på CPR-numre her.',
    en: 'Do not search for CPR numbers here.',
  },
  export_expired: {
    da: 'Eksporten er udløbet og slettet. Bestil en ny.',
    en: 'The export has expired and been deleted. Request a new one.',
  },
  export_forbidden: {
    da: 'Kun ejeren af postkassen kan hente hele postkassen.',
    en: 'Only the owner of the mailbox can download the whole mailbox.',
  },
  export_in_progress: {
    da: 'Der er allerede en eksport i gang. Vent, til den er færdig, før du bestiller en ny.',
    en: 'An export is already in progress. Wait until it is finished before you request a new one.',
  },
  export_not_ready: {
    da: 'Eksporten er ikke klar endnu.',
    en: 'The export is not ready yet.',
  },
  folder_exists: { da: 'Der findes allerede en mappe med det navn.', en: 'There is already a folder by that name.' },
  folder_out_of_reach: {
    da: 'Du kan ikke flytte breve til en mappe, du ikke har adgang til.',
    en: 'You cannot move letters to a folder you have no access to.',
  },
  folder_name_missing: { da: 'Giv mappen et navn.', en: 'Give the folder a name.' },
  folder_name_too_long: { da: 'Mappens navn er for langt.', en: 'The folder name is too long.' },
  invalid_operation: { da: 'Vælg, hvad der skal ske med brevene.', en: 'Choose what to do with the letters.' },
  rule_condition_missing: {
    da: 'Angiv mindst én betingelse: afsender, ord i emnet eller afsenderens reference.',
    en: "Give at least one condition: sender, words in the subject or the sender's reference.",
  },
  rule_folder_missing: { da: 'Vælg den mappe, brevene skal lægges i.', en: 'Choose the folder the letters go to.' },
  rule_not_found: { da: 'Reglen findes ikke.', en: 'The rule does not exist.' },
  rules_forbidden: {
    da: 'Kun ejeren eller administratoren af postkassen kan ændre reglerne.',
    en: 'Only the owner or administrator of the mailbox can change the rules.',
  },
  legal_notice_first: {
    da: 'Brevet er en retsvirkningsmeddelelse. Åbn først selve brevet; dokumenterne vises der.',
    en: 'This letter is a legal notification. Open the letter itself first; its documents are shown there.',
  },
  letter_not_opened: {
    da: 'Åbn brevet, før du bekræfter eller underskriver.',
    en: 'Open the letter before you confirm or sign it.',
  },
  missing_folder: { da: 'Vælg en mappe at flytte til.', en: 'Choose a folder to move to.' },
  no_letters: { da: 'Vælg mindst ét brev.', en: 'Choose at least one letter.' },
  not_a_confirm_action: {
    da: 'Denne handling er et link, ikke noget, der skal bekræftes.',
    en: 'This action is a link, not something to confirm.',
  },
  not_in_trash: { da: 'Brevet ligger ikke i papirkurven.', en: 'The letter is not in the trash.' },
  page_image_unavailable: {
    da: 'Siden kan ikke vises som billede lige nu. Hent PDF-filen i stedet.',
    en: 'The page cannot be shown as an image right now. Download the PDF instead.',
  },
  search_filter_invalid: {
    da: 'Et søgefilter er ikke gyldigt.',
    en: 'A search filter is not valid.',
  },
  search_query_missing: { da: 'Skriv, hvad du vil søge efter.', en: 'Type what to search for.' },
  search_query_too_long: { da: 'Søgningen er for lang.', en: 'The search is too long.' },
  too_many_folders: {
    da: 'Postkassen har allerede det største antal mapper.',
    en: 'The mailbox has too many folders.',
  },
  forward_already_sent: {
    da: 'Brevet er allerede videresendt med denne formular.',
    en: 'The letter has already been forwarded with this form.',
  },
  forward_legal_notification_unserved: {
    da: 'Brevet er lovpligtig post, som endnu ikke er forkyndt. Åbn brevet, før du videresender det.',
    en: 'This letter is a legal notification that has not been served yet. Open the letter before you forward it.',
  },
  forward_read_only: {
    da: 'Du har kun læseadgang til denne postkasse og kan ikke videresende breve fra den.',
    en: 'You have read access to this mailbox only and cannot forward letters from it.',
  },
  forward_recipient_not_enrolled: {
    da: 'Personen modtager ikke Digital Post, så brevet kan ikke videresendes til vedkommende. Breve videresendes ikke med fysisk post.',
    en: 'This person does not receive Digital Post, so the letter cannot be forwarded to them. Forwarded letters are not sent on paper.',
  },
  forward_to_self: {
    da: 'Du kan ikke videresende brevet til dig selv eller til den postkasse, det ligger i.',
    en: 'You cannot forward the letter to yourself or to the mailbox it is in.',
  },
  too_many_rules: { da: 'En postkasse kan højst have 50 regler.', en: 'A mailbox has at most 50 rules.' },
  rule_sender_unknown: {
    da: 'Vælg en afsender, der har skrevet til postkassen.',
    en: 'Choose a sender that has written to the mailbox.',
  },
  too_many_letters: { da: 'Der er valgt for mange breve på én gang.', en: 'Too many letters at a time.' },
  unknown_folder: { da: 'Mappen findes ikke.', en: 'There is no such folder.' },
} as const satisfies ErrorCatalogue;

declare module '../../http/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof mailboxErrors> {}
}
