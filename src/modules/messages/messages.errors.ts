import type { CodesOf, ErrorCatalogue } from '../../http/errors.ts';

/**
 * The messages module's error codes: sending a letter (JSON, MeMo, the sender portal), batches and their line failures
 * (stored in the database, so shown later in the sender portal), recall, events and webhooks.
 */
export const messagesErrors = {
  already_printed: {
    da: 'Brevet er udskrevet og sendt med posten; det kan ikke kaldes tilbage.',
    en: 'This letter has been printed and posted; it cannot be recalled.',
  },
  already_read: {
    da: 'Modtageren har allerede læst brevet; det kan ikke kaldes tilbage.',
    en: 'The recipient has already read this letter; it cannot be recalled.',
  },
  batch_cancelled: {
    da: 'Annulleret. Brevene, der blev modtaget før annulleringen, er sendt; resten blev ikke behandlet.',
    en: 'Cancelled. The items accepted before the cancellation stay sent; the rest were not processed.',
  },
  processing_failed: {
    da: 'Behandlingen stoppede efter gentagne fejl hos os. De modtagne breve er sendt; upload filen igen for resten.',
    en: 'Processing stopped after repeated errors on our side. The items accepted so far stay sent; send the batch again.',
  },
  spool_missing: {
    da: 'Den gemte fil forsvandt, før den blev behandlet. Upload filen igen.',
    en: 'The stored batch file was lost before it was processed. Send the batch again.',
  },
  spool_unreadable: {
    da: 'Den gemte fil kunne ikke læses til ende. De modtagne breve er sendt; upload filen igen.',
    en: 'The stored batch file could not be read to its end. The items accepted so far stay sent; send it again.',
  },
  batch_finished: { da: 'Batchen er allerede afsluttet.', en: 'The batch has already finished.' },
  batch_key_required: {
    da: 'Giv skabelonen en batchKey eller CSV-filen en message_uuid-kolonne: hvert brev skal have en fast identitet.',
    en: 'Give the template a batchKey, or the CSV a message_uuid column: each letter needs a stable identity.',
  },
  batch_too_large: { da: 'Filen er for stor.', en: 'The file is too large.' },
  compression_ratio_too_high: {
    da: 'Arkivet pakkes ud til langt mere end sin komprimerede størrelse. Send det ukomprimeret eller mindre komprimeret.',
    en: 'The archive unpacks to far more than its compressed size. Send it uncompressed or compressed less.',
  },
  csv_recipient_column: {
    da: 'CSV-filen skal have præcis én modtagerkolonne, cpr eller cvr, i sin første linje.',
    en: 'The CSV needs exactly one recipient column, named cpr or cvr, in its first line.',
  },
  document_infected: {
    da: 'Virusscanningen fandt skadeligt indhold i filen.',
    en: 'The malware scanner found malicious content in this file.',
  },
  document_media_type_mismatch: {
    da: 'Dokumentet med denne SHA-256 blev tidligere angivet med en anden filtype.',
    en: 'The document with this SHA-256 was given with another media type earlier.',
  },
  document_required: {
    da: 'Send brevets dokument som filen "document".',
    en: 'Send the letter’s document as the file "document".',
  },
  document_too_large: { da: 'Dokumentet er for stort.', en: 'The document is too large.' },
  empty_batch: { da: 'Filen indeholder ingen breve.', en: 'The file holds no letters.' },
  empty_document: { da: 'Dokumentet er tomt.', en: 'The document is empty.' },
  entry_too_large: { da: 'En fil i arkivet er for stor.', en: 'A file in the archive is too large.' },
  insecure_action_url: { da: 'Handlingslinks skal være https-adresser.', en: 'Action links must be https URLs.' },
  invalid_action: {
    da: 'En handling har enten en URL eller en reservation, ikke begge.',
    en: 'An action has either a url or a reservation, not both.',
  },
  invalid_action_document: {
    da: 'En handling hører til brevets hoveddokument eller et af dets bilag.',
    en: 'An action belongs to the main or an additional document of the letter.',
  },
  invalid_base64: { da: 'Dokumentets indhold er ikke gyldig base64.', en: 'The document content is not valid base64.' },
  invalid_line_ending: {
    da: 'En linje slutter med et linjeskift (CR) alene. Afslut hver linje med LF eller CRLF.',
    en: 'A line ends with a carriage return (CR) alone. End each line with LF or CRLF.',
  },
  invalid_message_uuid: { da: 'messageUuid er ikke et UUID.', en: 'The messageUuid is not a UUID.' },
  invalid_period: {
    da: 'Sluttidspunktet ligger før starttidspunktet.',
    en: 'The end date-time is before the start date-time.',
  },
  invalid_template: { da: 'Skabelonen er ikke gyldig.', en: 'The template is not valid.' },
  invalid_text: {
    da: 'Et tekst- eller HTML-dokument skal være UTF-8-tekst uden NUL-tegn.',
    en: 'A text or HTML document must be UTF-8 text without NUL bytes.',
  },
  invalid_url: {
    da: 'Skriv en fuld URL, der begynder med https://.',
    en: 'Enter a full URL that starts with https://.',
  },
  line_failed: {
    da: 'Brevet kunne ikke gemmes. Ret linjen, og send den igen.',
    en: 'The letter could not be stored. Correct the line and send it again.',
  },
  line_too_long: { da: 'En linje er for lang.', en: 'A line is too long.' },
  malformed_archive: {
    da: 'Filen er ikke et læsbart tar-arkiv (eller tar.gz).',
    en: 'The file is not a readable tar archive (or tar.gz).',
  },
  malformed_csv: { da: 'CSV-filen kan ikke læses.', en: 'The CSV cannot be read.' },
  media_type_not_allowed: {
    da: 'Kuvert modtager ikke dokumenter af denne type.',
    en: 'Kuvert does not accept documents of this type.',
  },
  memo_unavailable: {
    da: 'Brevet kan ikke skrives som gyldig MeMo i denne version.',
    en: 'This letter cannot be written as valid MeMo in this version.',
  },
  message_failed: {
    da: 'Brevet blev aldrig leveret; der er intet at kalde tilbage.',
    en: 'This letter was never delivered; there is nothing to recall.',
  },
  message_uuid_conflict: {
    da: 'Et andet brev er allerede sendt med samme messageUuid.',
    en: 'A different letter was already sent with this messageUuid.',
  },
  missing_action_url: { da: 'Handlingen mangler en URL.', en: 'The action needs a url.' },
  missing_merge_value: { da: 'Et flettefelt er tomt i denne række.', en: 'A merge field is empty in this row.' },
  missing_message_uuid: {
    da: 'Hvert brev i batchen skal have et messageUuid.',
    en: 'Each batch item needs a messageUuid.',
  },
  missing_reservation: {
    da: 'En AFTALE-handling skal have en reservation.',
    en: 'An AFTALE action needs a reservation.',
  },
  nemsms_actions: {
    da: 'En NemSMS har kun sin adviseringstekst: send den uden handlinger.',
    en: 'A NemSMS carries only its notification text: send it without actions.',
  },
  nemsms_documents: {
    da: 'En NemSMS har kun sin adviseringstekst: send den uden dokumenter (eller send et DIGITALPOST-brev).',
    en: 'A NemSMS carries only its notification text: send it without documents (or send a DIGITALPOST letter).',
  },
  nemsms_legal_notification: {
    da: 'En NemSMS er ikke en retsvirkningsmeddelelse: send den uden legalNotification.',
    en: 'A NemSMS is not a legal notification: send it without legalNotification.',
  },
  nemsms_reply: {
    da: 'En NemSMS kan ikke besvares: send den uden replyAllowed.',
    en: 'A NemSMS cannot be answered: send it without replyAllowed.',
  },
  no_documents: { da: 'Et brev skal have mindst ét dokument.', en: 'A letter needs at least one document.' },
  no_main_document: { da: 'Ét dokument skal have rollen "main".', en: 'One document must have the role "main".' },
  not_a_pdf: { da: 'Filen er ikke en PDF. Vælg en PDF-fil.', en: 'The file is not a PDF. Choose a PDF file.' },
  not_a_png: {
    da: 'Filen er angivet som PNG, men er ikke en PNG-fil.',
    en: 'The file is declared as PNG but is not a PNG file.',
  },
  not_a_jpeg: {
    da: 'Filen er angivet som JPEG, men er ikke en JPEG-fil.',
    en: 'The file is declared as JPEG but is not a JPEG file.',
  },
  not_a_gif: {
    da: 'Filen er angivet som GIF, men er ikke en GIF-fil.',
    en: 'The file is declared as GIF but is not a GIF file.',
  },
  not_html: {
    da: 'Filen er angivet som HTML, men er ikke en HTML-fil.',
    en: 'The file is declared as HTML but is not an HTML file.',
  },
  invalid_filename: {
    da: 'Filnavnet skal være et enkelt navn: ingen mapper eller styretegn, og intet punktum eller mellemrum til sidst.',
    en: 'The file name must be a plain name: no folders or control characters, and no dot or space at the end.',
  },
  filename_extension_mismatch: {
    da: 'Filnavnets endelse passer ikke til filtypen.',
    en: 'The file name’s extension does not match the file type.',
  },
  xml_too_large: { da: 'MeMo-dokumentet er for stort.', en: 'The MeMo document is too large.' },
  xml_dtd_forbidden: {
    da: 'MeMo-dokumentet må ikke indeholde en DTD.',
    en: 'The MeMo document must not contain a DTD.',
  },
  xml_too_deep: { da: 'MeMo-dokumentet er for dybt indlejret.', en: 'The MeMo document is nested too deeply.' },
  xml_malformed: { da: 'MeMo-dokumentet er ikke gyldig XML.', en: 'The MeMo document is not well-formed XML.' },
  xml_encoding_unsupported: {
    da: 'MeMo-dokumentets tegnsæt understøttes ikke; brug UTF-8.',
    en: 'The MeMo document’s encoding is not supported; use UTF-8.',
  },
  memo_wrong_root: { da: 'Dokumentet er ikke en MeMo-meddelelse.', en: 'The document is not a MeMo message.' },
  memo_unsupported_version: {
    da: 'Denne MeMo-version understøttes ikke.',
    en: 'This MeMo version is not supported.',
  },
  memo_invalid: { da: 'MeMo-dokumentet følger ikke skemaet.', en: 'The MeMo document does not follow the schema.' },
  memo_invalid_base64: {
    da: 'Et dokument i MeMo-meddelelsen er ikke gyldig base64.',
    en: 'A document in the MeMo message is not valid base64.',
  },
  memo_recipient_invalid: {
    da: 'MeMo-meddelelsens modtager er ikke gyldig.',
    en: 'The MeMo message’s recipient is not valid.',
  },
  memo_export_unsupported: {
    da: 'Brevet kan ikke eksporteres som MeMo.',
    en: 'This letter cannot be exported as MeMo.',
  },
  not_an_object: {
    da: 'Hver linje skal være ét brev som et JSON-objekt ({…}).',
    en: 'Each line must be one letter as a JSON object ({…}).',
  },
  recipient_closed: {
    da: 'Modtagerens postkasse er lukket, så brevet kan ikke leveres.',
    en: 'This recipient’s mailbox is closed; the letter cannot be delivered.',
  },
  recipients_required: {
    da: 'Send CSV-filen med modtagere som filen "recipients".',
    en: 'Send the CSV of recipients as the file "recipients".',
  },
  scanner_unavailable: {
    da: 'Dokumenter kan ikke virusscannes lige nu; intet er gemt. Prøv igen senere.',
    en: 'Documents cannot be checked for malware right now; nothing was stored. Try again later.',
  },
  template_required: {
    da: 'Send brevskabelonen som formularfeltet "template".',
    en: 'Send the letter template as the form field "template".',
  },
  template_too_large: { da: 'Skabelonen må højst være 64 KiB.', en: 'The template may be at most 64 KiB.' },
  too_many_documents: { da: 'Brevet har for mange dokumenter.', en: 'The letter has too many documents.' },
  too_many_items: { da: 'Batchen har for mange breve.', en: 'The batch holds too many letters.' },
  too_many_webhooks: {
    da: 'I har allerede det største antal webhook-endpoints. Fjern et for at tilføje et nyt.',
    en: 'You already have the most webhook endpoints allowed. Remove one to add another.',
  },
  unknown_document: {
    da: 'Ingen tidligere linje i batchen havde et dokument med denne SHA-256.',
    en: 'No earlier line of this batch gave a document with this SHA-256.',
  },
  unknown_merge_field: {
    da: 'Et flettefelt er ikke en kolonne i CSV-filen.',
    en: 'A merge field is not a column of the CSV.',
  },
  unknown_part: { da: 'Formularen har et ukendt felt.', en: 'The form has an unknown field.' },
  unknown_recipient: {
    da: 'Der er ingen modtager med dette nummer i Kuvert.',
    en: 'No recipient with this number is registered in Kuvert.',
  },
  unsupported_batch_type: {
    da: 'Batchen skal sendes som NDJSON, CSV eller tar.',
    en: 'Send the batch as NDJSON, CSV or tar.',
  },
  retention_beyond_maximum: {
    da: 'Sletningsdatoen ligger længere ude end den nationale maksimale opbevaringstid.',
    en: 'The deletion date is beyond the national maximum retention.',
  },
  retention_in_past: {
    da: 'Sletningsdatoen er allerede passeret.',
    en: 'The deletion date has already passed.',
  },
  retention_message_deleted: {
    da: 'Brevet er slettet efter reglerne om opbevaring; kun en minimal registrering er tilbage.',
    en: 'The letter was deleted under the retention rules; only a minimal record is left.',
  },
  retention_years_invalid: {
    da: 'Opbevaringstiden skal være et helt antal år inden for den nationale maksimale opbevaringstid.',
    en: 'The retention must be a whole number of years within the national maximum.',
  },
  webhook_delivery_failed: {
    da: 'Endpointet kunne ikke nås.',
    en: 'The endpoint could not be reached.',
  },
  wrong_column_count: {
    da: 'Rækken har ikke samme antal felter som første linje har kolonner.',
    en: 'The row does not have as many fields as the first line has columns.',
  },
} as const satisfies ErrorCatalogue;

declare module '../../http/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof messagesErrors> {}
}
