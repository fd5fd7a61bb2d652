import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../http/problem.ts';
import type { BatchConfig } from './batches.config.ts';

export const NDJSON = 'application/x-ndjson';
/** Tar archives of MeMo files, plain or gzip-compressed (told apart by their first bytes, not by the type). */
export const TAR_TYPES = [
  'application/x-tar',
  'application/tar',
  'application/gzip',
  'application/x-gzip',
  'application/x-gtar',
  'application/tar+gzip',
];

/**
 * What a batch upload (POST /api/v1/batches, and its dry run POST /api/v1/batches/plan) holds, by its Content-Type:
 * an NDJSON file, a tar archive of MeMo files, or a CSV mailing (multipart/form-data). 415 for any other type, 413
 * when the declared length is over the limit (a multipart body may also carry the template and the document).
 */
export function batchUploadFormat(
  request: FastifyRequest,
  limits: Pick<BatchConfig, 'maxBytes'>,
  maxDocumentBytes: number,
  verb: 'Send' | 'Plan',
): 'ndjson' | 'tar' | 'csv' {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const format =
    type === NDJSON ? 'ndjson' : TAR_TYPES.includes(type) ? 'tar' : type === 'multipart/form-data' ? 'csv' : null;
  if (!format) {
    throw new AppError(
      415,
      'unsupported_batch_type',
      type === 'text/csv'
        ? `${verb} a CSV batch as multipart/form-data with the fields template, recipients and document.`
        : `${verb} the batch as ${NDJSON}, a tar archive of MeMo files (application/x-tar, application/gzip) or ` +
            'a CSV mailing (multipart/form-data).',
      'Content-Type',
    );
  }
  const length = Number(request.headers['content-length'] ?? Number.NaN);
  const room = format === 'csv' ? maxDocumentBytes + 1024 * 1024 : 0;
  if (length > limits.maxBytes + room) {
    throw new AppError(413, 'batch_too_large', `A batch may be at most ${limits.maxBytes} bytes.`, undefined, {
      limitBytes: limits.maxBytes,
    });
  }
  return format;
}
