import { AppError } from '../http/problem.ts';
import type { Services } from '../services.ts';
import { ScannerUnavailableError } from './document-scanner.ts';
import { allowedMediaType, checkPdfStructure } from './validate-document.ts';

/** A file about to be accepted, with the field that names it in the request. */
export interface FileToInspect {
  bytes: Buffer;
  mediaType: string;
  filename: string;
  field: string;
}

/**
 * The checks a file passes after its signature and name (checkDocumentContent, checkFileName) and before it is
 * stored: a PDF must parse (checkPdfStructure), and the malware scanner, if one is configured, must find it clean.
 * Infected → 422 `document_infected`; the scanner unreachable → 503 `scanner_unavailable`. Either way nothing has
 * been stored. Empty byte arrays (batch documents named by hash, checked when first given) are skipped.
 */
export async function inspectDocuments(
  services: Pick<Services, 'scanner'>,
  files: readonly FileToInspect[],
): Promise<void> {
  for (const file of files) {
    if (file.bytes.length === 0) continue;
    if (allowedMediaType(file.mediaType) === 'application/pdf') await checkPdfStructure(file.bytes, file.field);
    if (!services.scanner) continue;
    let result: Awaited<ReturnType<NonNullable<Services['scanner']>['scan']>>;
    try {
      result = await services.scanner.scan(file.bytes);
    } catch (error) {
      if (!(error instanceof ScannerUnavailableError)) throw error;
      // Where and why it failed goes to the log (5xx are logged with their cause), never to the caller.
      throw Object.assign(
        new AppError(
          503,
          'scanner_unavailable',
          'Documents cannot be checked for malware right now; nothing was stored. Try again later.',
          file.field,
        ),
        { cause: error },
      );
    }
    if (result.infected) {
      throw new AppError(
        422,
        'document_infected',
        'The malware scanner found malicious content in this file.',
        file.field,
        {
          filename: file.filename,
          signature: result.signature,
        },
      );
    }
  }
}
