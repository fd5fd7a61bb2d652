import type { CodesOf, ErrorCatalogue } from '../../http/errors.ts';

/** The correspondence module's error codes (writing to authorities, replies, attachments, contact points). */
export const correspondenceErrors = {
  attachment_content_mismatch: {
    da: 'Filens indhold passer ikke til filtypen.',
    en: 'The file’s content does not match its type.',
  },
  attachment_name_not_allowed: {
    da: 'Filnavnet passer ikke til filtypen.',
    en: 'The file name does not match the file type.',
  },
  attachment_too_large: { da: 'Filen er for stor.', en: 'The file is too large.' },
  attachment_type_not_allowed: {
    da: 'Filer af denne type modtages ikke her.',
    en: 'Files of this type are not accepted here.',
  },
  attachments_too_large: { da: 'Bilagene fylder samlet for meget.', en: 'The attachments together are too large.' },
  body_required: { da: 'Skriv din besked.', en: 'Write your message.' },
  body_too_long: { da: 'Beskeden er for lang.', en: 'The message is too long.' },
  description_too_long: {
    da: 'Beskrivelsen må højst være 1000 tegn.',
    en: 'The description is at most 1000 characters.',
  },
  empty_attachment: { da: 'Filen er tom.', en: 'The file is empty.' },
  invalid_max_attachments: {
    da: 'Antallet af bilag skal være et helt tal, 0 eller derover.',
    en: 'The number of attachments is a whole number, 0 or more.',
  },
  invalid_max_total_bytes: {
    da: 'Den samlede størrelse skal være et helt antal bytes.',
    en: 'The total size is a whole number of bytes.',
  },
  max_attachments_too_high: { da: 'Der er valgt for mange bilag.', en: 'Too many attachments are allowed.' },
  max_total_bytes_too_high: { da: 'Den samlede størrelse er for stor.', en: 'The total size is too large.' },
  media_types_required: {
    da: 'Vælg mindst én filtype, eller tillad ingen bilag.',
    en: 'Choose at least one file type, or allow no attachments.',
  },
  name_too_long: { da: 'Navnet må højst være 120 tegn.', en: 'The name is at most 120 characters.' },
  read_only_access: {
    da: 'Din adgang til postkassen giver ikke lov til at skrive eller svare.',
    en: 'Your access to this mailbox does not let you write or reply.',
  },
  reply_not_allowed: {
    da: 'Afsenderen modtager ikke svar på dette brev.',
    en: 'The sender does not take replies to this letter.',
  },
  reply_period_over: {
    da: 'Fristen for at svare på brevet er overskredet.',
    en: 'The time for replying to this letter has passed.',
  },
  forward_contact_point_required: {
    da: 'Vælg den myndighed, brevet skal videresendes til.',
    en: 'Choose the authority to forward the letter to.',
  },
  forward_documents_not_accepted: {
    da: 'Myndigheden tager ikke imod brevets dokumenter på dette kontaktpunkt (for mange, for store eller af en anden filtype).',
    en: 'The authority does not accept the letter’s documents at this contact point (too many, too large or of another file type).',
  },
  forward_target_required: {
    da: 'Vælg, om brevet skal videresendes til en person eller til en myndighed.',
    en: 'Choose whether to forward the letter to a person or to an authority.',
  },
  subject_required: { da: 'Skriv et emne.', en: 'Write a subject.' },
  subject_too_long: { da: 'Emnet er for langt.', en: 'The subject is too long.' },
  too_many_attachments: { da: 'Der er for mange bilag.', en: 'There are too many attachments.' },
} as const satisfies ErrorCatalogue;

declare module '../../http/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof correspondenceErrors> {}
}
