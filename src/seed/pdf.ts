import PDFDocument from 'pdfkit';

/** Everything printed on one demo letter. */
export interface LetterPdf {
  sender: {
    name: string;
    /** The unit within the authority that writes, e.g. "Borgerservice" or "Hjertecentret, Rigshospitalet". */
    unit: string;
    addressLines: string[];
    phone: string;
    web: string;
    /** Accent colour of the letterhead, "#rrggbb". */
    color: string;
  };
  recipient: { name: string; addressLines: string[] };
  date: Date;
  reference: string;
  subject: string;
  /** Key facts shown in a box under the subject (amounts, appointment time and place). */
  details?: [string, string][];
  paragraphs: string[];
  signature: { name: string; title: string };
}

const MARGIN = 62;
const GREY = '#555555';

const dateFormat = new Intl.DateTimeFormat('da-DK', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Copenhagen',
});

/** "14. marts 2026" */
export const danishDate = (date: Date) => dateFormat.format(date);

/**
 * Renders a letter as an A4 PDF in memory, with the standard Helvetica fonts (WinAnsi encoding covers æ, ø, å, –
 * and typographic quotes). Deterministic: the same input gives the same bytes (fixed creation date, so the file id
 * is fixed too), which keeps the seed's sends idempotent and lets identical letters share one stored document.
 */
export function renderLetterPdf(letter: LetterPdf): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 50, bottom: 70, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: letter.subject,
      Author: letter.sender.name,
      Subject: letter.subject,
      Creator: 'Kuvert demo',
      Producer: 'Kuvert demo (PDFKit)',
      CreationDate: letter.date,
    },
    lang: 'da-DK',
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const pageWidth = doc.page.width;
  const contentWidth = pageWidth - 2 * MARGIN;
  const { sender } = letter;

  // Letterhead: accent bar, authority name, unit and address.
  doc.rect(0, 0, pageWidth, 8).fill(sender.color);
  doc.fillColor(sender.color).font('Helvetica-Bold').fontSize(16).text(sender.name, MARGIN, 40);
  doc.fillColor('#000000').font('Helvetica').fontSize(9.5).text(sender.unit);
  doc.fillColor(GREY).fontSize(8.5);
  for (const line of sender.addressLines) doc.text(line);
  doc.text(`Telefon ${sender.phone} · ${sender.web}`);

  // Recipient (left) and date/reference (right).
  const blockTop = 150;
  doc.fillColor('#000000').font('Helvetica').fontSize(10.5);
  doc.text(letter.recipient.name, MARGIN, blockTop);
  for (const line of letter.recipient.addressLines) doc.text(line);
  const rightX = MARGIN + contentWidth - 170;
  doc.fontSize(9.5).text(`Dato: ${danishDate(letter.date)}`, rightX, blockTop, { width: 170 });
  doc.text(`Vores ref.: ${letter.reference}`, { width: 170 });
  doc.text('Sendt med Digital Post', { width: 170 });

  // Subject, key facts, body.
  doc
    .font('Helvetica-Bold')
    .fontSize(14)
    .fillColor('#000000')
    .text(letter.subject, MARGIN, 250, { width: contentWidth });
  doc.moveDown(0.8);
  if (letter.details?.length) {
    const top = doc.y;
    const rowHeight = 16;
    const height = letter.details.length * rowHeight + 14;
    doc.rect(MARGIN, top, contentWidth, height).fill('#f1f3f5');
    doc.rect(MARGIN, top, 3, height).fill(sender.color);
    doc.fillColor('#000000').fontSize(10);
    letter.details.forEach(([label, value], i) => {
      const y = top + 8 + i * rowHeight;
      doc.font('Helvetica-Bold').text(label, MARGIN + 14, y, { width: 150 });
      doc.font('Helvetica').text(value, MARGIN + 170, y, { width: contentWidth - 184 });
    });
    doc.y = top + height + 14;
    doc.x = MARGIN;
  }
  doc.font('Helvetica').fontSize(10.5).fillColor('#000000');
  for (const paragraph of letter.paragraphs) {
    doc.text(paragraph, MARGIN, doc.y, { width: contentWidth, lineGap: 2.5, align: 'left' });
    doc.moveDown(0.7);
  }

  // Signature.
  doc.moveDown(0.5);
  doc.text('Med venlig hilsen', MARGIN, doc.y, { width: contentWidth });
  doc.moveDown(1.2);
  doc.font('Helvetica-Bold').text(letter.signature.name, { width: contentWidth });
  doc.font('Helvetica').text(letter.signature.title, { width: contentWidth });
  if (![letter.signature.name, letter.signature.title].includes(sender.name))
    doc.text(sender.name, { width: contentWidth });

  // Footer on every page (bottom margin lifted while writing it, or PDFKit would start a new page).
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 45;
    doc
      .moveTo(MARGIN, y - 8)
      .lineTo(pageWidth - MARGIN, y - 8)
      .lineWidth(0.5)
      .stroke('#cccccc');
    doc.font('Helvetica').fontSize(7.5).fillColor(GREY);
    doc.text(`${sender.name} · ${sender.addressLines.join(' · ')}`, MARGIN, y, {
      width: contentWidth - 60,
      lineBreak: false,
    });
    doc.text(`Side ${i - range.start + 1} af ${range.count}`, pageWidth - MARGIN - 60, y, {
      width: 60,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
