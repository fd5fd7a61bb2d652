import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
import PDFDocument from 'pdfkit';
import { loadConfig } from '../../src/config.ts';
import { queueForPrint } from '../../src/modules/print/queue-for-print.ts';
import { createServices, type Services } from '../../src/services.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { createSender } from './fixtures.ts';

export interface PrintTestContext {
  services: Services;
  database: TestDatabase;
  dataDir: string;
  stop(): Promise<void>;
}

/** Real services on a fresh database and data folder, without HTTP or worker. */
export async function startPrintServices(env: Record<string, string> = {}): Promise<PrintTestContext> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-print-test-'));
  const config = loadConfig({ NODE_ENV: 'test', KUVERT_DATA_DIR: dataDir, ...env });
  const services = createServices(config, database.db, database.pool);
  return {
    services,
    database,
    dataDir,
    async stop() {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestDocument {
  title: string;
  mediaType: string;
  bytes: Buffer;
}

export const testRecipient = {
  name: 'Søren Æbelø Østergård',
  addressLines: ['Åboulevarden 12, 3. tv.'],
  postcode: '8000',
  city: 'Aarhus C',
};

let cprCounter = 0;

/** An exempted person's letter with the given documents, stored and queued for print as routing would. */
export async function createPrintLetter(
  services: Services,
  options: {
    documents: TestDocument[];
    recipient?: { name: string; addressLines: string[]; postcode: string | null; city: string | null };
    sender?: { id: string };
    label?: string;
  },
) {
  const { db } = services;
  const sender = options.sender ?? (await createSender(db));
  const r = options.recipient ?? testRecipient;
  // Not a valid CPR number (no need: it never leaves the database), but unique and CPR-shaped for the no-CPR checks.
  const cpr = `0101${String(70 + (cprCounter % 30)).padStart(2, '0')}${String(1000 + (cprCounter++ % 9000))}`;
  const recipient = await db
    .insertInto('recipient')
    .values({
      kind: 'person',
      cpr,
      name: r.name,
      enrolment: 'exempted',
      exemption_ground: 'no_internet',
      address_lines: r.addressLines,
      postcode: r.postcode,
      city: r.city,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  const message = await db.transaction().execute(async (trx) => {
    const message = await trx
      .insertInto('message')
      .values({
        sender_id: sender.id,
        recipient_id: recipient.id,
        message_uuid: randomUUID(),
        content_hash: '0'.repeat(64),
        label: options.label ?? 'Afgørelse om boligstøtte',
        // As routing leaves it (deliver-message.ts routeToPrint): the print channel's outcomes move it on.
        status: 'print_queued',
      })
      .returning(['id', 'sender_id'])
      .executeTakeFirstOrThrow();
    for (const [position, document] of options.documents.entries()) {
      const sha256 = await services.documents.put(document.bytes);
      await trx
        .insertInto('document')
        .values({ sha256, media_type: document.mediaType, size_bytes: document.bytes.length })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
      await trx
        .insertInto('message_document')
        .values({
          message_id: message.id,
          position,
          title: document.title,
          filename: `document-${position}`,
          media_type: document.mediaType,
          sha256,
          size_bytes: document.bytes.length,
        })
        .execute();
    }
    await queueForPrint(trx, message);
    return message;
  });
  return { ...message, cpr, recipientId: recipient.id };
}

/** A PDF of `pages` pages (A4 unless told), each saying "Side n". */
export function testPdf(pages: number, size: [number, number] | 'A4' = 'A4'): Promise<Buffer> {
  const doc = new PDFDocument({ size, autoFirstPage: false });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  for (let i = 1; i <= pages; i++) {
    doc.addPage({ size });
    doc.font('Helvetica').fontSize(12).text(`Side ${i}`, 72, 72);
  }
  doc.end();
  return done;
}

/** A 2 × 2 red PNG. */
export const tinyPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==',
  'base64',
);

/** A 2 × 2 GIF: red, green, blue and a transparent pixel. */
export const tinyGif = Buffer.from('R0lGODlhAgACAIEAAP8AAAD/AAAA/wkJCSH5BAEAAAMALAAAAAACAAIAAAIDRKgVADs=', 'base64');

export interface PdfTextLine {
  text: string;
  /** Millimetres from the page's left edge to the line's start. */
  left: number;
  /** Millimetres from the page's left edge to the line's end. */
  right: number;
  /** Millimetres from the page's top edge to the top of the line (its font size above the baseline). */
  top: number;
  /** Millimetres from the page's top edge to the baseline. */
  baseline: number;
}

const MM = 72 / 25.4;

/**
 * The pages of a PDF as lines of text with positions, read with Mozilla's pdf.js (pdfjs-dist, pure JavaScript, the
 * legacy build for Node 20). Items on one baseline are joined into a line.
 */
export async function readPdf(bytes: Buffer): Promise<{ size: [number, number]; lines: PdfTextLine[] }[]> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: VerbosityLevel.ERRORS }).promise;
  const pages = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    const content = await page.getTextContent();
    const byBaseline = new Map<number, { x: number; width: number; size: number; str: string }[]>();
    for (const item of content.items) {
      if (!('str' in item) || item.str.trim() === '') continue;
      const [, , , d, e, f] = item.transform as number[];
      const key = Math.round(f! * 10) / 10;
      const list = byBaseline.get(key) ?? [];
      list.push({ x: e!, width: item.width, size: d!, str: item.str });
      byBaseline.set(key, list);
    }
    const lines = [...byBaseline.entries()]
      .sort(([a], [b]) => b - a)
      .map(([baseline, items]) => {
        items.sort((a, b) => a.x - b.x);
        const first = items[0]!;
        const last = items[items.length - 1]!;
        const size = Math.max(...items.map((i) => i.size));
        return {
          text: items
            .map((i) => i.str)
            .join(' ')
            .replace(/\s+/g, ' ')
            .trim(),
          left: first.x / MM,
          right: (last.x + last.width) / MM,
          top: (y1 - baseline - size) / MM,
          baseline: (y1 - baseline) / MM,
        };
      });
    pages.push({ size: [x1 - x0, y1 - y0] as [number, number], lines });
  }
  await pdf.loadingTask.destroy();
  return pages;
}
