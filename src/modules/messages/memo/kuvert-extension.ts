/**
 * Kuvert's extensions to MeMo, kept outside the official schema: elements in the namespace
 * `urn:kuvert:memo-extension:1`, written with a prefix bound to it (e.g. on the root:
 * `xmlns:kuvert="urn:kuvert:memo-extension:1"`, then `<kuvert:escalation>…</kuvert:escalation>` as a child of
 * Message). They are cut out of the text before XSD validation — the rest must be valid MeMo — and read apart
 * (parsed as small fragments), so the MeMo model never sees them. Line numbers of schema errors are kept: each cut
 * element leaves its line breaks behind.
 */
import { parseXmlTree, type XmlElement } from './xml-tree.ts';

export const KUVERT_MEMO_EXTENSION_NS = 'urn:kuvert:memo-extension:1';

const ATTRS = `(?:[^>"']|"[^"]*"|'[^']*')*?`;
/** Comments and CDATA sections: markup inside them is text, not an element. */
const HIDDEN = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g;

/** The document without its Kuvert extension elements, and those elements as XML fragments (with their prefix). */
export function splitKuvertExtensions(text: string): { text: string; fragments: { prefix: string; xml: string }[] } {
  if (!text.includes(KUVERT_MEMO_EXTENSION_NS)) return { text, fragments: [] };
  const prefixes = new Set(
    [...text.matchAll(/xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']urn:kuvert:memo-extension:1["']/g)].map(
      (m) => m[1] as string,
    ),
  );
  const fragments: { prefix: string; xml: string }[] = [];
  let out = text;
  for (const prefix of prefixes) {
    const escaped = prefix.replace(/[.]/g, '\\.');
    const tag = new RegExp(`<(/?)${escaped}:[\\w.-]+${ATTRS}(/?)>`, 'g');
    let depth = 0;
    let start = -1;
    const spans: [number, number][] = [];
    const hidden = [...out.matchAll(HIDDEN)].map((h) => [h.index, h.index + h[0].length] as const);
    for (const m of out.matchAll(tag)) {
      if (hidden.some(([from, to]) => m.index >= from && m.index < to)) continue;
      const closing = m[1] === '/';
      const selfClosing = m[2] === '/';
      if (!closing && depth === 0) start = m.index;
      if (closing) depth--;
      else if (!selfClosing) depth++;
      if (depth === 0 && start !== -1) {
        spans.push([start, m.index + m[0].length]);
        start = -1;
      }
      if (depth < 0) break;
    }
    for (const [from, to] of spans.reverse()) {
      const xml = out.slice(from, to);
      fragments.unshift({ prefix, xml });
      out = out.slice(0, from) + xml.replace(/[^\n]/g, '') + out.slice(to);
    }
  }
  return { text: out, fragments };
}

/** The Kuvert extension elements of a document, parsed (each a fragment; throws MemoError if one is not XML). */
export function readKuvertExtensions(fragments: readonly { prefix: string; xml: string }[]): XmlElement[] {
  return fragments.flatMap(({ prefix, xml }) => {
    const root = parseXmlTree(`<kx-wrap xmlns:${prefix}="${KUVERT_MEMO_EXTENSION_NS}">${xml}</kx-wrap>`, 16);
    return root.children.filter((c) => c.ns === KUVERT_MEMO_EXTENSION_NS);
  });
}
