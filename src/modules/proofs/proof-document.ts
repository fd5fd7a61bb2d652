import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { formatDateTime, type Lang, t } from '../../web/i18n.ts';
import type { ProofFact } from '../events/index.ts';

/** What a proof states, and what its JWS signs (with `pdfSha256`, the PDF's hash with the signature slot empty). */
export interface ProofClaims {
  /** The proof format's version. */
  kuvertProof: 1;
  fact: ProofFact;
  /** The message event that recorded the fact (events/proof-facts.ts). */
  eventType: string;
  occurredAt: string;
  letter: {
    id: string;
    messageUuid: string;
    senderReference: string | null;
    label: string;
    legalNotification: boolean;
    documents: { title: string; filename: string; sha256: string }[];
  };
  sender: { id: string; name: string; cvr: string | null };
  /** Never a full CPR number: Kuvert's pseudonymous id and DDMMYY-**** (a business: its CVR). */
  recipient: { id: string; kind: 'person' | 'business'; masked: string };
  /** The print batch the letter was posted in (fact `posted`). */
  printBatchId?: string;
  issuedAt: string;
  /** The Kuvert installation that issued it (its public URL), where /bevis verifies it. */
  issuer: string;
}

export interface SignedProofClaims extends ProofClaims {
  pdfSha256: string;
}

/**
 * The signature travels inside the PDF, so that one file is the whole proof: a fixed-size slot in the document
 * information dictionary (key /KuvertProof), made as the marker and zeros. The JWS signs the SHA-256 of the PDF with
 * the slot still zeros; sealing writes the JWS into the slot, padded with spaces, so no offset moves. Verifying
 * puts the zeros back and hashes again: any other byte changed in the file changes the hash (the same idea as
 * PAdES's ByteRange, with a JWS instead of CMS).
 */
const MARKER = 'kuvert-proof-jws:';
const SLOT = 4096;
const EMPTY_SLOT = '0'.repeat(SLOT);
const JWS_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const fontDir = path.resolve(
  path.dirname(createRequire(import.meta.url).resolve('dkfds')),
  '../fonts/IBMPlexSans/complete/ttf',
);
let fonts: { regular: Buffer; bold: Buffer } | undefined;
const proofFonts = () =>
  (fonts ??= {
    regular: readFileSync(path.join(fontDir, 'IBMPlexSans-Regular.ttf')),
    bold: readFileSync(path.join(fontDir, 'IBMPlexSans-Bold.ttf')),
  });

/**
 * Renders a proof as PDF/A-2b (declared in its XMP metadata by pdfkit: fonts embedded, the sRGB output intent, no
 * encryption), Danish first and English below, with an empty signature slot. Returns the bytes and their hash.
 */
export async function renderProofPdf(claims: ProofClaims): Promise<{ pdf: Buffer; sha256: string }> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    tagged: true,
    lang: 'da-DK',
    displayTitle: true,
    info: {
      Title: `${t('da', 'proofs.pdf.title')} – ${t('da', `proofs.fact.${claims.fact}`)}`,
      Author: 'Kuvert',
      Subject: claims.letter.id,
      Creator: 'Kuvert',
      Producer: 'Kuvert (pdfkit)',
      CreationDate: new Date(claims.issuedAt),
      ModDate: new Date(claims.issuedAt),
    },
  });
  (doc.info as Record<string, unknown>).KuvertProof = MARKER + EMPTY_SLOT;
  const { regular, bold } = proofFonts();
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  for (const lang of ['da', 'en'] as const) writeSection(doc, lang, claims);
  doc.font('regular').fontSize(8).fillColor('#454545');
  doc.text(t('da', 'proofs.pdf.seal', { issuer: claims.issuer }), { paragraphGap: 4 });
  doc.text(t('en', 'proofs.pdf.seal', { issuer: claims.issuer }));
  doc.end();
  await done;
  const pdf = Buffer.concat(chunks);
  return { pdf, sha256: sha256Hex(pdf) };
}

function writeSection(doc: PDFKit.PDFDocument, lang: Lang, claims: ProofClaims): void {
  const tr = (key: string, params: Record<string, string> = {}) => t(lang, key as never, params);
  doc.font('bold').fontSize(16).fillColor('#1a1a1a');
  doc.text(`${tr('proofs.pdf.title')}: ${tr(`proofs.fact.${claims.fact}`)}`, { paragraphGap: 6 });
  doc.font('regular').fontSize(10);
  doc.text(tr(`proofs.statement.${claims.fact}`, { time: formatDateTime(lang, claims.occurredAt) }), {
    paragraphGap: 8,
  });
  const rows: [string, string][] = [
    [tr('proofs.field.fact'), `${tr(`proofs.fact.${claims.fact}`)} (${claims.eventType})`],
    [tr('proofs.field.time'), `${formatDateTime(lang, claims.occurredAt)} (${claims.occurredAt})`],
    [tr('proofs.field.letter'), `${claims.letter.label}\n${claims.letter.id}`],
    [tr('proofs.field.messageUuid'), claims.letter.messageUuid],
    ...(claims.letter.senderReference
      ? [[tr('proofs.field.senderReference'), claims.letter.senderReference] as [string, string]]
      : []),
    [
      tr('proofs.field.sender'),
      claims.sender.cvr ? `${claims.sender.name} (CVR ${claims.sender.cvr})` : claims.sender.name,
    ],
    [
      tr('proofs.field.recipient'),
      `${claims.recipient.masked} (${tr('proofs.field.recipientId')} ${claims.recipient.id})`,
    ],
    [tr('proofs.field.legalNotification'), tr(claims.letter.legalNotification ? 'proofs.yes' : 'proofs.no')],
    ...(claims.printBatchId ? [[tr('proofs.field.printBatch'), claims.printBatchId] as [string, string]] : []),
    [
      tr('proofs.field.documents'),
      claims.letter.documents.map((d) => `${d.title} (${d.filename})\nSHA-256 ${d.sha256}`).join('\n') || '–',
    ],
    [tr('proofs.field.issued'), `${formatDateTime(lang, claims.issuedAt)} (${claims.issuedAt})`],
  ];
  const left = doc.page.margins.left;
  const labelWidth = 130;
  const valueWidth = doc.page.width - left - doc.page.margins.right - labelWidth - 10;
  for (const [label, value] of rows) {
    const y = doc.y;
    doc.font('bold').fontSize(9).text(label, left, y, { width: labelWidth });
    const afterLabel = doc.y;
    doc
      .font('regular')
      .fontSize(9)
      .text(value, left + labelWidth + 10, y, { width: valueWidth });
    doc.x = left;
    doc.y = Math.max(afterLabel, doc.y) + 4;
  }
  doc.moveDown(1.5);
}

/** Signs a rendered proof: writes the JWS (from `sign`, over the claims and the PDF's hash) into its slot. */
export async function sealProof(
  rendered: { pdf: Buffer; sha256: string },
  sign: (pdfSha256: string) => Promise<string>,
): Promise<Buffer> {
  const at = slotOffset(rendered.pdf);
  if (at < 0) throw new Error('The proof PDF has no signature slot.');
  const jws = await sign(rendered.sha256);
  if (jws.length > SLOT) throw new Error(`The proof's signature (${jws.length} bytes) does not fit its slot.`);
  const sealed = Buffer.from(rendered.pdf);
  sealed.write(jws.padEnd(SLOT, ' '), at, 'latin1');
  return sealed;
}

/**
 * The JWS a sealed proof carries and the hash its signature must name (the file with the slot emptied). Null when
 * the bytes are no Kuvert proof.
 */
export function openProof(file: Buffer): { jws: string; pdfSha256: string } | null {
  const at = slotOffset(file);
  if (at < 0 || at + SLOT > file.length) return null;
  const jws = file.toString('latin1', at, at + SLOT).trimEnd();
  if (!JWS_RE.test(jws)) return null;
  const emptied = Buffer.from(file);
  emptied.write(EMPTY_SLOT, at, 'latin1');
  return { jws, pdfSha256: sha256Hex(emptied) };
}

/** Where the slot's content starts: after the one marker in the file (-1 when there is none, or more than one). */
function slotOffset(file: Buffer): number {
  const first = file.indexOf(MARKER, 0, 'latin1');
  if (first < 0 || file.indexOf(MARKER, first + 1, 'latin1') >= 0) return -1;
  return first + MARKER.length;
}
