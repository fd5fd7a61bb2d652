import { randomUUID } from 'node:crypto';
import { textProblem } from '../../http/input.ts';
import { AppError } from '../../http/problem.ts';
import { normaliseCpr, normaliseCvr } from '../../kernel/identifiers.ts';
import type { Services } from '../../services.ts';
import { characterCount } from '../../web/form-text.ts';
import { sendMessage } from '../messages/index.ts';
import type { SenderStaff } from './list-letters.ts';

/** The compose form as typed. The recipient number stays in the form (POST body), never in a URL or a log line. */
export interface ComposeForm {
  recipient: string;
  label: string;
  senderReference: string;
  notification: string;
  /** Our idempotency key for this form, so a double submit sends one letter. */
  messageUuid: string;
}

export interface UploadedPdf {
  filename: string;
  bytes: Buffer;
  /** The upload was cut at the size limit. */
  truncated: boolean;
}

export type ComposeField = 'recipient' | 'label' | 'senderReference' | 'notification' | 'file' | 'form';
export interface ComposeError {
  field: ComposeField;
  code: string;
  /** Only for codes without a translated message: the use case's own (English) text. */
  detail?: string;
}

export type SendLetterResult = { sent: true; id: string } | { sent: false; errors: ComposeError[] };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A fresh compose form. */
export const emptyComposeForm = (): ComposeForm => ({
  recipient: '',
  label: '',
  senderReference: '',
  notification: '',
  messageUuid: randomUUID(),
});

/** Where each sendMessage error belongs on the form. */
const fieldOfCode: Record<string, ComposeField> = {
  invalid_cpr: 'recipient',
  invalid_cvr: 'recipient',
  unknown_recipient: 'recipient',
  recipient_closed: 'recipient',
  not_a_pdf: 'file',
  document_too_large: 'file',
  empty_document: 'file',
  invalid_base64: 'file',
  message_uuid_conflict: 'form',
};

function safeFilename(name: string): string {
  const last = name.split(/[\\/]/).at(-1) ?? '';
  const base = [...last]
    .filter((ch) => ch.charCodeAt(0) > 0x1f && ch.charCodeAt(0) !== 0x7f)
    .join('')
    .trim();
  if (!base) return 'brev.pdf';
  return base.length <= 200 ? base : `${base.slice(0, 190)}….pdf`;
}

/**
 * Sends one letter composed in the sender portal through the same use case as the API. Form mistakes come back as
 * field errors (all that can be found before sending), everything else as thrown errors.
 */
export async function sendLetterFromPortal(
  services: Services,
  actor: SenderStaff,
  form: ComposeForm,
  file: UploadedPdf | null,
): Promise<SendLetterResult> {
  const errors: ComposeError[] = [];
  const digits = form.recipient.replace(/[\s-]/g, '');
  let recipient: { cpr: string } | { cvr: string } | null = null;
  if (/^\d{10}$/.test(digits)) {
    if (normaliseCpr(digits)) recipient = { cpr: digits };
    else errors.push({ field: 'recipient', code: 'invalid_cpr' });
  } else if (/^\d{8}$/.test(digits)) {
    if (normaliseCvr(digits)) recipient = { cvr: digits };
    else errors.push({ field: 'recipient', code: 'invalid_cvr' });
  } else {
    errors.push({ field: 'recipient', code: 'invalid_recipient' });
  }
  // Line breaks and other control characters are refused as typed (each field is one line), before trimming.
  const typedCleanly = (field: 'label' | 'senderReference' | 'notification') => {
    if (textProblem(form[field], { allowBlank: true }) === null) return true;
    errors.push({ field, code: 'invalid_characters' });
    return false;
  };
  const label = form.label.trim();
  if (typedCleanly('label')) {
    if (!label) errors.push({ field: 'label', code: 'label_required' });
    else if (characterCount(label) > 250) errors.push({ field: 'label', code: 'label_too_long' });
  }
  const senderReference = form.senderReference.trim();
  if (typedCleanly('senderReference') && characterCount(senderReference) > 100) {
    errors.push({ field: 'senderReference', code: 'reference_too_long' });
  }
  const notification = form.notification.trim();
  if (typedCleanly('notification') && characterCount(notification) > 150) {
    errors.push({ field: 'notification', code: 'notification_too_long' });
  }
  if (!file) errors.push({ field: 'file', code: 'file_required' });
  else if (file.truncated) errors.push({ field: 'file', code: 'document_too_large' });
  else if (file.bytes.length === 0) errors.push({ field: 'file', code: 'empty_document' });
  if (errors.length > 0 || !recipient || !file) return { sent: false, errors };

  try {
    const result = await sendMessage(
      services,
      // The portal has no API key: the letter is audited as sent by the staff member.
      { senderId: actor.senderId, staffUserId: actor.staffId },
      {
        messageUuid: UUID_RE.test(form.messageUuid) ? form.messageUuid : randomUUID(),
        recipient,
        label,
        ...(senderReference ? { senderReference } : {}),
        ...(notification ? { notification } : {}),
        documents: [
          {
            title: label.slice(0, 200),
            filename: safeFilename(file.filename),
            mediaType: 'application/pdf',
            content: file.bytes.toString('base64'),
          },
        ],
      },
    );
    return { sent: true, id: result.id };
  } catch (error) {
    if (error instanceof AppError && error.status < 500) {
      const field = fieldOfCode[error.code] ?? 'form';
      return { sent: false, errors: [{ field, code: error.code, detail: error.message }] };
    }
    throw error;
  }
}
