import { htmlToText } from './html-document.ts';

/** Documents larger than this are not read for search (their text is stored as ''). */
export const MAX_EXTRACT_BYTES = 20 * 1024 * 1024;
/** At most this many PDF pages are read. */
export const MAX_PDF_PAGES = 100;
/** Text kept per document, in characters. */
export const MAX_TEXT_CHARS = 100_000;
/** A PDF that takes longer than this to read gives the text read so far. */
export const PDF_TIMEOUT_MS = 10_000;

/**
 * The plain text of a document for search: text as is, HTML as its text, PDF as the text of its first pages (with
 * Mozilla's pdf.js), capped. Never throws: a broken or oversized document gives ''.
 */
export async function extractDocumentText(mediaType: string, bytes: Buffer): Promise<string> {
  if (bytes.length > MAX_EXTRACT_BYTES) return '';
  try {
    let text = '';
    if (mediaType === 'text/plain') text = bytes.toString('utf8');
    else if (mediaType === 'text/html') text = htmlToText(bytes.toString('utf8'));
    else if (mediaType === 'application/pdf') text = await pdfText(bytes);
    return text.replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT_CHARS);
  } catch {
    return '';
  }
}

async function pdfText(bytes: Buffer): Promise<string> {
  const { getDocument, VerbosityLevel } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({
    data: new Uint8Array(bytes),
    verbosity: VerbosityLevel.ERRORS,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
  });
  const parts: string[] = [];
  let length = 0;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void task.destroy();
  }, PDF_TIMEOUT_MS);
  try {
    const pdf = await task.promise;
    for (let n = 1; n <= Math.min(pdf.numPages, MAX_PDF_PAGES) && length < MAX_TEXT_CHARS && !timedOut; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      // pdf.js gives the gaps between words as items of their own and marks line ends.
      const line = `${content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? ' ' : '') : '')).join('')} `;
      parts.push(line);
      length += line.length;
      page.cleanup();
    }
  } catch (error) {
    if (!timedOut) throw error;
  } finally {
    clearTimeout(timer);
    await task.destroy().catch(() => undefined);
  }
  return parts.join('');
}
