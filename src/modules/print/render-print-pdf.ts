import { PDFDocument, type PDFPage } from '@cantoo/pdf-lib';
import type { Services } from '../../services.ts';
import { A4, renderCoverPage } from './cover-page.ts';
import { documentToPdf, PrintError } from './document-to-pdf.ts';
import { findPrintLetter } from './print.repository.ts';

export interface PrintPdf {
  bytes: Buffer;
  pages: number;
  postcode: string;
  city: string;
}

/**
 * Whether a recipient's registry address can be printed on an envelope (postcode, city and a street line): the rule
 * behind the print failure no_postal_address, also asked by the sender's dry run (messages/plan-message.ts).
 */
export function hasPostalAddress(recipient: {
  addressLines: readonly string[];
  postcode: string | null;
  city: string | null;
}): recipient is { addressLines: readonly string[]; postcode: string; city: string } {
  return Boolean(recipient.postcode && recipient.city && recipient.addressLines.some((line) => line.trim()));
}

/** The print-ready PDF of one letter: the address cover page, then every document in order, all A4 portrait. */
export async function renderPrintPdf(services: Services, messageId: string): Promise<Buffer> {
  return (await renderPrintLetter(services, messageId)).bytes;
}

/** As renderPrintPdf, with what the batch manifest needs. Throws PrintError when the letter cannot be printed. */
export async function renderPrintLetter(services: Services, messageId: string): Promise<PrintPdf> {
  const letter = await findPrintLetter(services.db, messageId);
  if (!letter) throw new Error(`message ${messageId} does not exist`);
  const { recipient } = letter;
  if (!hasPostalAddress(recipient)) {
    throw new PrintError('no_postal_address', 'The recipient has no postal address in the registry.');
  }
  const date = letter.receivedAt;
  const cover = await renderCoverPage({
    messageId,
    senderName: letter.senderName,
    label: letter.label,
    date,
    recipient: { ...recipient, postcode: recipient.postcode, city: recipient.city },
    documentTitles: letter.documents.map((d) => d.title),
  });

  // Fixed metadata, so the same letter renders to the same bytes.
  const out = await PDFDocument.create({ updateMetadata: false });
  out.setTitle(letter.label);
  out.setProducer('Kuvert');
  out.setCreationDate(date);
  out.setModificationDate(date);
  await appendPages(out, cover);
  for (const document of letter.documents) {
    let bytes: Buffer;
    try {
      bytes = await services.documents.get(document.sha256);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new PrintError('document_missing', `The document "${document.title}" is missing from the store.`);
      }
      throw error;
    }
    const pdf = document.mediaType === 'application/pdf' ? bytes : await documentToPdf({ ...document, bytes }, date);
    await appendPages(out, pdf, document.title);
  }
  const bytes = Buffer.from(await out.save());
  return { bytes, pages: out.getPageCount(), postcode: recipient.postcode, city: recipient.city };
}

/**
 * Appends a PDF's pages. A4 portrait pages are copied as they are; any other size is scaled to fit an A4 portrait
 * page, so the print provider gets one paper size.
 */
async function appendPages(out: PDFDocument, bytes: Buffer, title = 'cover'): Promise<void> {
  let source: PDFDocument;
  let pages: PDFPage[];
  try {
    source = await PDFDocument.load(bytes, { updateMetadata: false });
    pages = source.getPages(); // a broken page tree shows only here
  } catch (error) {
    throw new PrintError('unprintable_document', `The PDF "${title}" cannot be read: ${(error as Error).message}`);
  }
  for (const [index, page] of pages.entries()) {
    const { width, height } = page.getSize();
    const rotated = page.getRotation().angle % 180 !== 0;
    const [w, h] = rotated ? [height, width] : [width, height];
    if (Math.abs(w - A4.width) < 3 && Math.abs(h - A4.height) < 3) {
      const [copy] = await out.copyPages(source, [index]);
      out.addPage(copy);
      continue;
    }
    const embedded = await out.embedPage(page);
    const scale = Math.min(A4.width / width, A4.height / height);
    const target = out.addPage([A4.width, A4.height]);
    target.drawPage(embedded, {
      x: (A4.width - width * scale) / 2,
      y: (A4.height - height * scale) / 2,
      xScale: scale,
      yScale: scale,
    });
  }
}
