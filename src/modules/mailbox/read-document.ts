import type { Readable } from 'node:stream';
import yazl from 'yazl';
import { PageImagesBusyError } from '../../documents/pdf-page-images.ts';
import { safeFilename } from '../../http/content-disposition.ts';
import { AppError, notFound } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { downloadableHtml, sanitisedHtmlPage } from './html-document.ts';
import { findMessageDocument, listMessageDocuments } from './letter.repository.ts';
import { authoriseLetter } from './letter-access.ts';
import { recordReadNow } from './record-read.ts';

export interface DocumentDownload {
  filename: string;
  mediaType: string;
  /** Null when the length is not known beforehand (a sanitised view, a zip). */
  sizeBytes: number | null;
  body: Readable | Buffer | string;
  /** True for an HTML document served sanitised (to be sandboxed as well). */
  sanitised: boolean;
}

/**
 * A legal-notification letter not yet opened gives out no document: the recipient must first see the notice and open
 * the letter there (openMessage). Otherwise a link straight to a document — a top-level GET, so the session cookie
 * goes along even from another site — would serve the notification without the recipient ever seeing it.
 */
function refuseBeforeLegalNotice(message: { legal_notification: boolean; first_read_at: Date | null }): void {
  if (message.legal_notification && message.first_read_at === null) {
    throw new AppError(
      409,
      'legal_notice_first',
      'This letter is a legal notification. Open the letter itself first; its documents are shown there.',
    );
  }
}

/**
 * The bytes of one document of a letter, under the same rule as opening the letter (404 otherwise). Fetching a
 * document is reading the letter: it marks the letter read if it was not, and is recorded. An unopened legal
 * notification gives no document (refuseBeforeLegalNotice). HTML is given out sanitised only: inline (`view`) as
 * shown in the page, a download as downloadableHtml (with its own CSP, for when it is opened from disk).
 */
export async function readDocument(
  services: Services,
  actor: Actor | null,
  messageId: string,
  positionParam: string,
  options: { view?: boolean; lang?: string } = {},
): Promise<DocumentDownload> {
  if (!/^\d{1,4}$/.test(positionParam)) throw notFound('document');
  const letter = await authoriseLetter(services.db, actor, messageId, 'read', 'document');
  refuseBeforeLegalNotice(letter.message);
  const position = Number(positionParam);
  const document = await findMessageDocument(services.db, letter.message.id, position);
  if (!document) throw notFound('document');
  await recordReadNow(services.db, letter.actor, letter.message, 'message.document.open', { position });
  if (document.media_type === 'text/html') {
    // Shown or downloaded, sender HTML is only ever given out sanitised; a download also carries its own CSP.
    const html = (await services.documents.get(document.sha256)).toString('utf8');
    const lang = options.lang ?? 'da';
    return {
      filename: document.filename,
      mediaType: 'text/html',
      sizeBytes: null,
      body: options.view ? sanitisedHtmlPage(html, document.title, lang) : downloadableHtml(html, document.title, lang),
      sanitised: true,
    };
  }
  return {
    filename: document.filename,
    mediaType: document.media_type,
    sizeBytes: Number(document.size_bytes),
    body: services.documents.stream(document.sha256),
    sanitised: false,
  };
}

/**
 * One page of a PDF document as a PNG image (for phones, whose browsers cannot show the PDF in the page), under the
 * same rule as the document itself (readDocument: 404 if the letter is not readable, none before a legal notice is
 * opened). Page 1 is recorded as reading the document; the other pages of the same view are not recorded again.
 * A page that does not exist, or a PDF that cannot be drawn, is 404; a drawing that takes too long is 503.
 */
export async function readPageImage(
  services: Services,
  actor: Actor | null,
  messageId: string,
  positionParam: string,
  pageParam: string,
): Promise<Buffer> {
  if (!/^\d{1,4}$/.test(positionParam) || !/^[1-9]\d{0,3}$/.test(pageParam)) throw notFound('page');
  const letter = await authoriseLetter(services.db, actor, messageId, 'read', 'document');
  refuseBeforeLegalNotice(letter.message);
  const document = await findMessageDocument(services.db, letter.message.id, Number(positionParam));
  if (document?.media_type !== 'application/pdf') throw notFound('page');
  const page = Number(pageParam);
  let png: Buffer | null;
  try {
    png = await services.pageImages.page(document.sha256, page, Number(document.size_bytes), () =>
      services.documents.get(document.sha256),
    );
  } catch (error) {
    if (!(error instanceof PageImagesBusyError)) throw error;
    throw new AppError(503, 'page_image_unavailable', 'The page image cannot be drawn right now; download the PDF.');
  }
  if (!png) throw notFound('page');
  if (page === 1) {
    await recordReadNow(services.db, letter.actor, letter.message, 'message.document.open', {
      position: document.position,
      pageImages: true,
    });
  }
  return png;
}

/** Unique names inside a zip: a repeated name gets " (2)", " (3)", … before its extension. */
export function uniqueNames(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    const clean = safeFilename(name);
    let candidate = clean;
    for (let n = 2; used.has(candidate.toLowerCase()); n++) {
      const dot = clean.lastIndexOf('.');
      candidate = dot > 0 ? `${clean.slice(0, dot)} (${n})${clean.slice(dot)}` : `${clean} (${n})`;
    }
    used.add(candidate.toLowerCase());
    return candidate;
  });
}

/** Every document of a letter in one zip (yazl, streamed; HTML as downloadableHtml), recorded as one read. */
export async function downloadAllDocuments(
  services: Services,
  actor: Actor | null,
  messageId: string,
  lang = 'da',
): Promise<DocumentDownload> {
  const letter = await authoriseLetter(services.db, actor, messageId, 'read', 'document');
  refuseBeforeLegalNotice(letter.message);
  const documents = await listMessageDocuments(services.db, letter.message.id);
  if (documents.length === 0) throw notFound('document');
  await recordReadNow(services.db, letter.actor, letter.message, 'message.document.open', { all: true });
  const zip = new yazl.ZipFile();
  const names = uniqueNames(documents.map((d) => d.filename));
  const mtime = letter.message.available_at as Date;
  for (const [i, doc] of documents.entries()) {
    const name = names[i] as string;
    if (doc.media_type === 'text/html') {
      const html = (await services.documents.get(doc.sha256)).toString('utf8');
      zip.addBuffer(Buffer.from(downloadableHtml(html, doc.title, lang), 'utf8'), name, { mtime });
    } else {
      zip.addReadStream(services.documents.stream(doc.sha256), name, { mtime, size: Number(doc.size_bytes) });
    }
  }
  zip.end();
  const base =
    letter.message.label
      .replace(/[^\p{L}\p{N} ._-]+/gu, '')
      .trim()
      .slice(0, 60) || 'brev';
  return {
    filename: `${base}.zip`,
    mediaType: 'application/zip',
    sizeBytes: null,
    body: zip.outputStream as Readable,
    sanitised: false,
  };
}
