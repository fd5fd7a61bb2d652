import { AppError } from '../../http/problem.ts';

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The document types a letter may carry; each is checked against its content's signature. */
export const ALLOWED_MEDIA_TYPES = [
  'application/pdf',
  'text/html',
  'text/plain',
  'image/png',
  'image/jpeg',
  'image/gif',
] as const;
export type AllowedMediaType = (typeof ALLOWED_MEDIA_TYPES)[number];

/** 'Text/Plain; charset=utf-8' → 'text/plain' if allowed, else null. */
export function allowedMediaType(declared: string): AllowedMediaType | null {
  const essence = declared.split(';')[0]?.trim().toLowerCase() ?? '';
  return (ALLOWED_MEDIA_TYPES as readonly string[]).includes(essence) ? (essence as AllowedMediaType) : null;
}

/** Decodes and checks one document's bytes against its declared type and the size limit. */
export function decodeDocument(doc: { mediaType: string; content: string }, index: number, maxBytes: number): Buffer {
  const field = `/documents/${index}/content`;
  const compact = doc.content.replace(/\s+/g, '');
  // Checked before decoding so an oversized upload costs no memory beyond the request body itself.
  if (Math.floor((compact.length * 3) / 4) - (compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0) > maxBytes) {
    throw tooLarge(maxBytes, field);
  }
  if (!BASE64_RE.test(compact)) {
    throw new AppError(400, 'invalid_base64', 'The document content is not valid base64.', field);
  }
  const bytes = Buffer.from(compact, 'base64');
  checkDocumentContent(bytes, doc.mediaType, field, maxBytes);
  return bytes;
}

const tooLarge = (maxBytes: number, field: string) =>
  new AppError(413, 'document_too_large', `The document is larger than the limit of ${maxBytes} bytes.`, field, {
    limitBytes: maxBytes,
  });

const startsWith = (bytes: Buffer, signature: number[]) => signature.every((b, i) => bytes[i] === b);

/**
 * Checks decoded bytes: size, an allowed type, and content that is what the type says (by its signature: PDF header
 * and trailer, PNG/JPEG/GIF magic bytes, UTF-8 text for plain text and HTML). HTML is stored as uploaded; the
 * mailbox sanitises it when showing it.
 */
export function checkDocumentContent(bytes: Buffer, declaredType: string, field: string, maxBytes: number): void {
  if (bytes.length > maxBytes) throw tooLarge(maxBytes, field);
  if (bytes.length === 0) throw new AppError(400, 'empty_document', 'The document is empty.', field);
  const mediaType = allowedMediaType(declaredType);
  const mismatch = (code: string, what: string) =>
    new AppError(422, code, `The document is declared as ${what} but is not a ${what} file.`, field);
  switch (mediaType) {
    case null:
      throw new AppError(
        422,
        'media_type_not_allowed',
        `Documents of type "${declaredType}" are not accepted; allowed: ${ALLOWED_MEDIA_TYPES.join(', ')}.`,
        field,
      );
    case 'application/pdf': {
      const head = bytes.subarray(0, 1024).toString('latin1');
      const tail = bytes.subarray(Math.max(0, bytes.length - 1024)).toString('latin1');
      if (!head.includes('%PDF-') || !tail.includes('%%EOF')) throw mismatch('not_a_pdf', 'PDF');
      return;
    }
    case 'image/png':
      if (!startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) throw mismatch('not_a_png', 'PNG');
      return;
    case 'image/jpeg':
      if (!startsWith(bytes, [0xff, 0xd8, 0xff])) throw mismatch('not_a_jpeg', 'JPEG');
      return;
    case 'image/gif': {
      const head = bytes.subarray(0, 6).toString('latin1');
      if (head !== 'GIF87a' && head !== 'GIF89a') throw mismatch('not_a_gif', 'GIF');
      return;
    }
    case 'text/plain':
    case 'text/html': {
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        throw new AppError(422, 'invalid_text', 'A text or HTML document must be UTF-8 text.', field);
      }
      if (bytes.includes(0)) {
        throw new AppError(422, 'invalid_text', 'A text or HTML document must not contain NUL bytes.', field);
      }
      if (mediaType === 'text/html' && !/^\s*</.test(text.replace(/^\uFEFF/, ''))) {
        throw mismatch('not_html', 'HTML');
      }
      return;
    }
  }
}
