import { MM, newPdf } from './cover-page.ts';
import { gifToPng } from './gif-to-png.ts';

/** Why a letter cannot be printed; the print job fails with this code and the sender sees FAILED. */
export class PrintError extends Error {
  constructor(
    readonly code: 'no_postal_address' | 'unprintable_document' | 'document_missing',
    message: string,
  ) {
    super(message);
  }
}

export interface PrintableDocument {
  title: string;
  mediaType: string;
  bytes: Buffer;
}

/** Turns one non-PDF document into PDF pages: plain text and HTML as text, PNG, JPEG and GIF images fitted to a page. */
export async function documentToPdf(document: PrintableDocument, date: Date): Promise<Buffer> {
  const mediaType = document.mediaType.split(';')[0]!.trim().toLowerCase();
  switch (mediaType) {
    case 'text/plain':
      return textPdf(document.title, new TextDecoder('utf-8').decode(document.bytes), date);
    case 'text/html':
      return textPdf(document.title, htmlToText(new TextDecoder('utf-8').decode(document.bytes)), date);
    case 'image/png':
    case 'image/jpeg':
      return imagePdf(document, date);
    case 'image/gif': {
      let png: Buffer;
      try {
        png = gifToPng(document.bytes);
      } catch (error) {
        throw new PrintError('unprintable_document', `The image "${document.title}" cannot be read: ${error}`);
      }
      return imagePdf({ ...document, bytes: png }, date);
    }
    default:
      throw new PrintError('unprintable_document', `Documents of type ${mediaType} cannot be printed.`);
  }
}

async function textPdf(title: string, text: string, date: Date): Promise<Buffer> {
  const { doc, bytes } = newPdf({ title, date });
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  doc.font('bold').fontSize(12).text(title, { width });
  doc.moveDown(0.6);
  // Tabs as spaces; other control characters have no glyph and are dropped.
  const clean = text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '    ')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  doc.font('regular').fontSize(10.5).text(clean, { width, lineGap: 2 });
  doc.end();
  return bytes;
}

async function imagePdf(document: PrintableDocument, date: Date): Promise<Buffer> {
  const { doc, bytes } = newPdf({ title: document.title, date });
  const { left, right, bottom } = doc.page.margins;
  doc
    .font('bold')
    .fontSize(12)
    .text(document.title, { width: doc.page.width - left - right });
  const top = doc.y + 6 * MM;
  try {
    // Natural size at 96 dpi, scaled down to fit the page, never up (a small logo stays small).
    // pdfkit's openImage (untyped in @types/pdfkit) decodes the header once; image() accepts what it returns.
    const image = (doc as unknown as { openImage(src: Buffer): { width: number; height: number } }).openImage(
      document.bytes,
    );
    const maxWidth = doc.page.width - left - right;
    const scale = Math.min(0.75, maxWidth / image.width, (doc.page.height - top - bottom) / image.height);
    doc.image(image as unknown as Buffer, left + (maxWidth - image.width * scale) / 2, top, {
      width: image.width * scale,
      height: image.height * scale,
    });
  } catch (error) {
    throw new PrintError('unprintable_document', `The image "${document.title}" cannot be read: ${error}`);
  }
  doc.end();
  return bytes;
}

const entities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  aelig: 'æ',
  oslash: 'ø',
  aring: 'å',
  AElig: 'Æ',
  Oslash: 'Ø',
  Aring: 'Å',
  eacute: 'é',
  uuml: 'ü',
  ouml: 'ö',
  auml: 'ä',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  laquo: '«',
  raquo: '»',
  bdquo: '„',
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  copy: '©',
  euro: '€',
};

/**
 * HTML as readable text: block elements become line breaks, list items bullets, scripts and styles vanish, entities
 * are decoded. Layout, tables and images are lost; senders who need them send PDF. (No pure-JavaScript HTML renderer
 * we found is maintained and faithful enough to print official letters from; a headless browser is not wanted in
 * production.)
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|head|template)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/\s+/g, ' ')
    .replace(/<li\b[^>]*>/gi, '\n•  ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(p|div|h[1-6]|ul|ol|tr|table|section|article|header|footer|blockquote|pre|address)\b[^>]*>/gi, '\n\n')
    .replace(/<\/(td|th)\s*>/gi, '\t')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (match, entity: string) => {
      if (entity[0] === '#') {
        const code =
          entity[1] === 'x' || entity[1] === 'X' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }
      return entities[entity] ?? match;
    })
    .split('\n')
    .map((line) => line.replace(/[ \u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
