import type { FastifyRequest } from 'fastify';
import { AppError } from '../../http/problem.ts';
import { verifyCsrf } from '../identity/index.ts';
import type { UploadedFile } from './attachments.ts';
import { BODY_MAX } from './write-to-authority.ts';

/** The reply / write form as posted: typed fields and the chosen files. */
export interface PostedInboundForm {
  subject: string;
  body: string;
  formKey: string;
  files: UploadedFile[];
  /** Set when the files together were too large to read; the typed fields are still there. */
  error: AppError | null;
}

/** Files beyond this many are not read at all (a contact point takes at most 20). */
const HARD_FILE_CAP = 25;

/**
 * Reads a multipart reply/write form. The CSRF token (the `_csrf` field, before the files) is checked before a byte
 * of any file is kept; each file is cut off at `maxFileBytes`; once the files together pass `maxTotalBytes` the rest
 * is drained unread and `error` says 413 `attachments_too_large` (so memory stays bounded).
 */
export async function readInboundForm(
  request: FastifyRequest,
  limits: { maxFileBytes: number; maxTotalBytes: number },
): Promise<PostedInboundForm> {
  if (!request.isMultipart()) {
    // A form posted without files (or by a client that cannot send multipart) is read as a plain form.
    verifyCsrf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const str = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
    return { subject: str('subject'), body: str('body'), formKey: str('formKey'), files: [], error: null };
  }
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  let csrfChecked = false;
  let total = 0;
  let overTotal = false;
  const checkCsrf = () => {
    if (csrfChecked) return;
    request.body = { _csrf: fields._csrf };
    verifyCsrf(request);
    csrfChecked = true;
  };
  const parts = request.parts({
    limits: {
      fileSize: limits.maxFileBytes,
      files: HARD_FILE_CAP,
      fields: 10,
      fieldSize: BODY_MAX * 4 + 1024,
      parts: HARD_FILE_CAP + 10,
    },
  });
  for await (const part of parts) {
    if (part.type === 'field') {
      if (typeof part.value === 'string' && !(part.fieldname in fields)) fields[part.fieldname] = part.value;
      continue;
    }
    checkCsrf();
    if (overTotal || part.fieldname !== 'attachments') {
      for await (const _ of part.file) {
        // drained unread
      }
      continue;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of part.file) {
      size += (chunk as Buffer).length;
      if (total + size > limits.maxTotalBytes) overTotal = true;
      if (!overTotal) chunks.push(chunk as Buffer);
    }
    if (overTotal) continue;
    total += size;
    const bytes = Buffer.concat(chunks);
    if (!part.filename && bytes.length === 0) continue; // the file input left empty
    // A part with bytes but no file name (or no type) is still a file: the checks name it 'bilag' and judge its content.
    files.push({
      filename: part.filename ?? '',
      declaredType: part.mimetype ?? 'application/octet-stream',
      bytes,
      truncated: part.file.truncated,
    });
  }
  checkCsrf();
  const form = { subject: fields.subject ?? '', body: fields.body ?? '', formKey: fields.formKey ?? '', files };
  if (overTotal) {
    form.files = [];
    return {
      ...form,
      error: new AppError(
        413,
        'attachments_too_large',
        `The attachments together are larger than ${limits.maxTotalBytes} bytes.`,
        '/attachments',
        { limitBytes: limits.maxTotalBytes },
      ),
    };
  }
  return { ...form, error: null };
}
