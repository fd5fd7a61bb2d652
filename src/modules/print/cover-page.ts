import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';

export const MM = 72 / 25.4;
/** A4 portrait in points, as pdfkit sizes it. */
export const A4 = { width: 595.28, height: 841.89 };

/**
 * The address field on page 1, in millimetres from the top-left corner of the A4 sheet: 20 mm from the left, 45 mm
 * from the top, 85 × 45 mm. That is DIN 5008 form B's address field, which shows through the window of the window
 * envelopes Danish print providers use for A4 folded in three or in half (DL 110 × 220 and C6/C5 114 × 229 mm, window
 * 90 × 45 mm, 20 mm from the left and 15 mm from the bottom edge, DIN 680 / ISO 269), with room for the sheet to
 * shift a few millimetres inside the envelope. Its top 17.7 mm is the return-address zone, the rest the address.
 */
export const ADDRESS_FIELD_MM = { left: 20, top: 45, width: 85, height: 45 } as const;
const RETURN_ZONE_MM = 17.7;
/** Text keeps 5 mm from the field's left edge (DIN 5008) and 3 mm from the others, for paper movement. */
const INSET_MM = { left: 5, right: 3 };
/** Below the first fold of a letter folded in three (99–105 mm), nothing on the cover can show through the window. */
const BELOW_FOLD_MM = 110;

const fontDir = path.resolve(
  path.dirname(createRequire(import.meta.url).resolve('dkfds')),
  '../fonts/IBMPlexSans/complete/ttf',
);
let fonts: { regular: Buffer; bold: Buffer } | undefined;

/**
 * IBM Plex Sans (shipped with the design system, SIL Open Font License), embedded and subset by pdfkit: it covers
 * Danish and the other Latin, Greek and Cyrillic alphabets that names and text documents may contain, which the
 * standard PDF fonts (WinAnsi) do not.
 */
export function printFonts(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: readFileSync(path.join(fontDir, 'IBMPlexSans-Regular.ttf')),
    bold: readFileSync(path.join(fontDir, 'IBMPlexSans-Bold.ttf')),
  };
  return fonts;
}

/** A pdfkit document with Kuvert's print fonts registered as "regular" and "bold", and a promise of its bytes. */
export function newPdf(options: { title: string; date: Date; margins?: PDFKit.PDFDocumentOptions['margins'] }) {
  const doc = new PDFDocument({
    size: 'A4',
    margins: options.margins ?? { top: 20 * MM, bottom: 20 * MM, left: 25 * MM, right: 20 * MM },
    info: { Title: options.title, Creator: 'Kuvert', Producer: 'Kuvert (PDFKit)', CreationDate: options.date },
    lang: 'da-DK',
  });
  const { regular, bold } = printFonts();
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  doc.font('regular');
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, bytes };
}

export interface CoverLetter {
  messageId: string;
  senderName: string;
  label: string;
  date: Date;
  recipient: { name: string; addressLines: string[]; postcode: string; city: string };
  documentTitles: string[];
}

const dateFormat = new Intl.DateTimeFormat('da-DK', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Copenhagen',
});

/** The recipient's address as printed: name, street lines, "postcode city"; at most 6 lines (DIN 5008 form B). */
export function addressBlock(recipient: CoverLetter['recipient']): string[] {
  const streets = recipient.addressLines.map((line) => line.trim()).filter(Boolean);
  const lines = [recipient.name, ...streets, `${recipient.postcode} ${recipient.city}`];
  // A domestic address has one or two street lines; more are joined so the block stays inside the window.
  if (lines.length > 6) return [recipient.name, streets.join(', '), `${recipient.postcode} ${recipient.city}`];
  return lines;
}

/** Renders page 1 of a printed letter: return address and address in the envelope window, date, why it is paper. */
export function renderCoverPage(letter: CoverLetter): Promise<Buffer> {
  const { doc, bytes } = newPdf({ title: letter.label, date: letter.date });
  const field = ADDRESS_FIELD_MM;
  const x = (field.left + INSET_MM.left) * MM;
  const width = (field.width - INSET_MM.left - INSET_MM.right) * MM;

  // One line each, shrunk (to 7 pt at least) rather than wrapped so nothing leaves the window; beyond that, cut.
  const line = (text: string, y: number, size: number) => {
    doc.font('regular').fontSize(size);
    const fitted = Math.max(7, Math.min(size, (size * width) / Math.max(1, doc.widthOfString(text))));
    doc.fontSize(fitted);
    let shown = text;
    while (shown.length > 1 && doc.widthOfString(shown) > width) shown = `${shown.slice(0, -2)}…`;
    doc.text(shown, x, y, { lineBreak: false });
  };

  // Return address at the bottom of the return-address zone, underlined as is customary.
  doc.fillColor('#333333');
  const returnY = (field.top + RETURN_ZONE_MM - 6) * MM;
  line(`Afsender: ${letter.senderName}`, returnY, 7.5);
  doc
    .moveTo(x, returnY + 10)
    .lineTo(x + width, returnY + 10)
    .lineWidth(0.3)
    .stroke('#999999');

  doc.fillColor('#000000');
  const lineHeight = 12; // six lines end above the field's bottom edge
  let y = (field.top + RETURN_ZONE_MM + 1) * MM;
  for (const text of addressBlock(letter.recipient)) {
    line(text, y, 10.5);
    y += lineHeight;
  }

  // Date at the right, level with the address field.
  const rightX = 125 * MM;
  const rightWidth = A4.width - rightX - 20 * MM;
  doc.font('regular').fontSize(9.5).fillColor('#000000');
  doc.text(`Dato: ${dateFormat.format(letter.date)}`, rightX, (field.top + 5) * MM, { width: rightWidth });

  // Below the fold: what this is and why it came on paper.
  const left = 25 * MM;
  const textWidth = A4.width - left - 20 * MM;
  doc
    .font('bold')
    .fontSize(14)
    .text(letter.label, left, BELOW_FOLD_MM * MM, { width: textWidth });
  doc.moveDown(0.8);
  doc
    .font('regular')
    .fontSize(10.5)
    .text('Dette brev er sendt med fysisk post, fordi modtageren er fritaget for Digital Post.', { width: textWidth });
  doc.moveDown(0.6);
  doc.text(`Brevet er fra ${letter.senderName} og indeholder:`, { width: textWidth });
  doc.moveDown(0.3);
  for (const title of letter.documentTitles) doc.text(`•  ${title}`, { width: textWidth, indent: 6 });

  // Reference for the print provider and support; never the CPR number.
  const bottom = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  doc
    .fontSize(7)
    .fillColor('#666666')
    .text(`Kuvert forsendelse ${letter.messageId}`, left, A4.height - 12 * MM, { width: textWidth, lineBreak: false });
  doc.page.margins.bottom = bottom;
  doc.end();
  return bytes;
}
