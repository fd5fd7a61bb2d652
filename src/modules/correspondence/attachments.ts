import type { Readable } from 'node:stream';
import {
  ALLOWED_MEDIA_TYPES,
  type AllowedMediaType,
  checkDocumentContent,
  EXTENSIONS_BY_TYPE,
  fileNameProblem,
} from '../../documents/validate-document.ts';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { downloadableHtml } from '../mailbox/index.ts';

/** What a reply or a contact point accepts as attachments. */
export interface AttachmentLimits {
  maxCount: number;
  maxTotalBytes: number;
  mediaTypes: readonly AllowedMediaType[];
}

/** A reply to a letter: the limits every authority accepts (contact points set their own). */
export const REPLY_LIMITS: AttachmentLimits = {
  maxCount: 5,
  maxTotalBytes: 20 * 1024 * 1024,
  mediaTypes: ['application/pdf', 'text/plain', 'image/png', 'image/jpeg', 'image/gif'],
};

/** The most attachments a contact point may accept, and the most bytes in all. */
export const CONTACT_POINT_MAX_COUNT = 20;
export const CONTACT_POINT_MAX_TOTAL_BYTES = 100 * 1024 * 1024;
export { ALLOWED_MEDIA_TYPES };

/** A file as uploaded, before any checks. */
export interface UploadedFile {
  filename: string;
  /** The type the browser (or API client) declared. */
  declaredType: string;
  bytes: Buffer;
  /** The upload was cut off at the per-file size limit. */
  truncated: boolean;
}

/** A file that passed every check. */
export interface CheckedAttachment {
  filename: string;
  mediaType: AllowedMediaType;
  bytes: Buffer;
}

const BY_EXTENSION: Record<string, AllowedMediaType> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  htm: 'text/html',
  html: 'text/html',
};

/** The type a file claims: its declared type when that is a known one, else its extension's. */
export function claimedType(file: Pick<UploadedFile, 'filename' | 'declaredType'>): string {
  const declared = file.declaredType.split(';')[0]?.trim().toLowerCase() ?? '';
  if ((ALLOWED_MEDIA_TYPES as readonly string[]).includes(declared)) return declared;
  const ext = /\.([a-z0-9]{1,5})$/i.exec(file.filename)?.[1]?.toLowerCase() ?? '';
  return BY_EXTENSION[ext] ?? (declared || 'application/octet-stream');
}

/** The file's name without folders or control characters, at most 200 characters. */
export function cleanFilename(name: string): string {
  const last = name.split(/[\\/]/).at(-1) ?? '';
  const base = [...last]
    .filter((ch) => ch.charCodeAt(0) > 0x1f && ch.charCodeAt(0) !== 0x7f)
    .join('')
    .trim();
  if (!base) return 'bilag';
  return base.length <= 200 ? base : `${base.slice(0, 180)}…${base.slice(-15)}`;
}

/**
 * Checks uploaded files against the limits: how many, each within the per-file limit, all together within the total,
 * of an accepted type, content that really is that type (by signature), and a name whose extension is that type's
 * (fileNameProblem: never `.exe`, `.bat`, `.pdf.exe`, …). Throws the first problem as an AppError
 * with field `/attachments/<n>`; nothing has been stored at that point.
 */
export function checkAttachments(
  files: UploadedFile[],
  limits: AttachmentLimits,
  maxFileBytes: number,
): CheckedAttachment[] {
  if (files.length > limits.maxCount) {
    throw new AppError(
      422,
      'too_many_attachments',
      limits.maxCount === 0
        ? 'This contact point accepts no attachments.'
        : `At most ${limits.maxCount} attachments are accepted here.`,
      '/attachments',
      { limit: limits.maxCount },
    );
  }
  const perFile = Math.min(maxFileBytes, limits.maxTotalBytes);
  let total = 0;
  return files.map((file, i) => {
    const field = `/attachments/${i}`;
    if (file.truncated || file.bytes.length > perFile) {
      throw new AppError(413, 'attachment_too_large', `The file is larger than ${perFile} bytes.`, field, {
        limitBytes: perFile,
        filename: cleanFilename(file.filename),
      });
    }
    total += file.bytes.length;
    if (total > limits.maxTotalBytes) {
      throw new AppError(
        413,
        'attachments_too_large',
        `The attachments together are larger than ${limits.maxTotalBytes} bytes.`,
        '/attachments',
        { limitBytes: limits.maxTotalBytes },
      );
    }
    const type = claimedType(file);
    if (!(limits.mediaTypes as readonly string[]).includes(type)) {
      throw new AppError(
        422,
        'attachment_type_not_allowed',
        `Files of type "${type}" are not accepted here; accepted: ${limits.mediaTypes.join(', ')}.`,
        field,
        { filename: cleanFilename(file.filename), accepted: limits.mediaTypes },
      );
    }
    try {
      checkDocumentContent(file.bytes, type, field, perFile);
    } catch (error) {
      if (error instanceof AppError && error.code === 'empty_document') {
        throw new AppError(422, 'empty_attachment', 'The file is empty.', field, {
          filename: cleanFilename(file.filename),
        });
      }
      if (error instanceof AppError && error.status === 422) {
        throw new AppError(422, 'attachment_content_mismatch', `The file is not a real ${type} file.`, field, {
          filename: cleanFilename(file.filename),
          detail: error.code,
        });
      }
      throw error;
    }
    const filename = cleanFilename(file.filename);
    const nameProblem = fileNameProblem(filename, type as AllowedMediaType);
    if (nameProblem) {
      const allowed = EXTENSIONS_BY_TYPE[type as AllowedMediaType];
      throw new AppError(
        422,
        'attachment_name_not_allowed',
        `A ${type} file must be named ${allowed.map((e) => `.${e}`).join(', ')}, with no program extension in its name.`,
        field,
        { filename, detail: nameProblem, allowed },
      );
    }
    return { filename, mediaType: type as AllowedMediaType, bytes: file.bytes };
  });
}

/** An attachment as it is downloaded: its bytes, except HTML, which is only given out sanitised (downloadableHtml). */
export async function attachmentDownload<
  T extends { filename: string; mediaType: string; sha256: string; sizeBytes: number },
>(services: Services, attachment: T): Promise<T & { body: Readable | Buffer }> {
  if (attachment.mediaType === 'text/html') {
    const html = (await services.documents.get(attachment.sha256)).toString('utf8');
    const body = Buffer.from(downloadableHtml(html, attachment.filename, 'da'), 'utf8');
    return { ...attachment, sizeBytes: body.length, body };
  }
  return { ...attachment, body: services.documents.stream(attachment.sha256) };
}
