import { AppError } from '../../http/problem.ts';

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes and checks one document's bytes against its declared type and the size limit. */
export function decodeDocument(doc: { mediaType: string; content: string }, index: number, maxBytes: number): Buffer {
  const field = `/documents/${index}/content`;
  const compact = doc.content.replace(/\s+/g, '');
  // Checked before decoding so an oversized upload costs no memory beyond the request body itself.
  if (Math.floor((compact.length * 3) / 4) - (compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0) > maxBytes) {
    throw new AppError(
      413,
      'document_too_large',
      `The document is larger than the limit of ${maxBytes} bytes.`,
      field,
      {
        limitBytes: maxBytes,
      },
    );
  }
  if (!BASE64_RE.test(compact)) {
    throw new AppError(400, 'invalid_base64', 'The document content is not valid base64.', field);
  }
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length === 0) throw new AppError(400, 'empty_document', 'The document is empty.', field);
  if (doc.mediaType === 'application/pdf') {
    const head = bytes.subarray(0, 1024).toString('latin1');
    const tail = bytes.subarray(Math.max(0, bytes.length - 1024)).toString('latin1');
    if (!head.includes('%PDF-') || !tail.includes('%%EOF')) {
      throw new AppError(422, 'not_a_pdf', 'The document is declared as PDF but is not a PDF file.', field);
    }
  } else if (doc.mediaType === 'text/plain') {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new AppError(422, 'invalid_text', 'A plain-text document must be UTF-8 text.', field);
    }
    if (bytes.includes(0))
      throw new AppError(422, 'invalid_text', 'A plain-text document must not contain NUL bytes.', field);
  }
  return bytes;
}
