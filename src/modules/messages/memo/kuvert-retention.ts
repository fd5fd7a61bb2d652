import { parseDeleteAfter } from '../retention.ts';
import { KUVERT_MEMO_EXTENSION_NS } from './kuvert-extension.ts';
import type { XmlElement } from './xml-tree.ts';

/**
 * Kuvert's retention extension to MeMo (outside the official schema, like the escalation plan: see
 * kuvert-extension.ts): `<kuvert:deleteAfter>2031-01-01</kuvert:deleteAfter>` as a child of Message, in the namespace
 * `urn:kuvert:memo-extension:1` (a date or a date-time, as JSON's `deleteAfter`). The extension elements are cut out
 * before XSD validation, so the document stays valid MeMo for every other reader.
 */
export const MEMO_DELETE_AFTER_FIELD = '/kuvert:deleteAfter';

/** The letter's deleteAfter as an ISO instant, or null; 422 if the value is not a date or date-time, or given twice. */
export function memoDeleteAfter(extensions: readonly XmlElement[]): string | null {
  const elements = extensions.filter((e) => e.ns === KUVERT_MEMO_EXTENSION_NS && e.local === 'deleteAfter');
  if (elements.length === 0) return null;
  // Twice is as wrong as a bad value: parseDeleteAfter refuses the two joined, with the same code and field.
  const value = elements.length === 1 ? (elements[0] as XmlElement).text.trim() : 'given more than once';
  return parseDeleteAfter(value, MEMO_DELETE_AFTER_FIELD);
}
