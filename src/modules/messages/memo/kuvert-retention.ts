import { parseDeleteAfter } from '../retention.ts';

/**
 * Kuvert's retention extension to MeMo (outside the official schema): a processing instruction anywhere in the
 * document, `<?kuvert-retention deleteAfter="2031-01-01"?>` (a date or a date-time, as JSON's `deleteAfter`). The XSD
 * validation ignores processing instructions, so the document stays valid MeMo for every other reader.
 */
const INSTRUCTION = /<\?kuvert-retention\s+deleteAfter\s*=\s*(?:"([^"]*)"|'([^']*)')\s*\?>/g;
/** Comments and CDATA sections hide markup; text content cannot hold "<?" unescaped. */
const HIDDEN = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g;

export const MEMO_DELETE_AFTER_FIELD = '/kuvert-retention/deleteAfter';

/** The document's deleteAfter as an ISO instant, or null; 422 if the value is not a date or date-time. */
export function memoDeleteAfter(xml: Buffer | string): string | null {
  const text = typeof xml === 'string' ? xml : xml.toString('utf8');
  if (!text.includes('<?kuvert-retention')) return null;
  const found = [...text.replace(HIDDEN, '').matchAll(INSTRUCTION)];
  const last = found.at(-1);
  if (!last) return null;
  return parseDeleteAfter((last[1] ?? last[2] ?? '').trim(), MEMO_DELETE_AFTER_FIELD);
}
