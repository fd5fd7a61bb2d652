/**
 * Checks run on a MeMo document before any XML parser sees it: size, encoding, no DOCTYPE (so no entity expansion
 * or external entities of any kind), bounded nesting, and a MeMo:Message root with a supported version. One linear
 * pass over the text; element content (e.g. megabytes of base64) is skipped with indexOf.
 */
import { MemoError } from './memo-errors.ts';
import type { MemoVersion } from './memo-model.ts';

export const MEMO_NS = 'https://DigitalPost.dk/MeMo-1';
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 64;

export interface MemoLimits {
  /** Largest accepted document in bytes, base64 file content included. Default 10 MiB. */
  maxBytes?: number;
  /** Deepest accepted element nesting (the root is depth 1). Default 64; a valid MeMo message needs 8. */
  maxDepth?: number;
}

export interface MemoPrescan {
  /** The document as text, byte order mark removed. */
  text: string;
  version: MemoVersion;
  /** memoSchVersion as written (1.1 messages carry it, 1.2 messages do not). */
  schemaVersion?: string;
}

/** Decodes and prescans a MeMo document; throws MemoError for anything that must not reach a parser. */
export function prescanMemo(xml: Buffer | string, limits: MemoLimits = {}): MemoPrescan {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  const size = typeof xml === 'string' ? Buffer.byteLength(xml, 'utf8') : xml.length;
  if (size > maxBytes) {
    throw new MemoError(
      'xml_too_large',
      `The XML document is ${size} bytes; at most ${maxBytes} bytes are accepted (file content in base64 counts).`,
    );
  }
  const text = decode(xml);
  const root = scan(text, maxDepth);
  return { text, ...rootVersion(root, lineAt(text, root.offset)) };
}

function decode(xml: Buffer | string): string {
  if (typeof xml === 'string') return xml.startsWith('\uFEFF') ? xml.slice(1) : xml;
  if ((xml[0] === 0xff && xml[1] === 0xfe) || (xml[0] === 0xfe && xml[1] === 0xff)) {
    throw new MemoError('xml_encoding_unsupported', 'The XML document is UTF-16; MeMo documents must be UTF-8.');
  }
  try {
    // TextDecoder removes a UTF-8 byte order mark; fatal: invalid bytes throw instead of becoming U+FFFD.
    return new TextDecoder('utf-8', { fatal: true }).decode(xml);
  } catch {
    throw new MemoError(
      'xml_encoding_unsupported',
      'The XML document is not valid UTF-8; MeMo documents must be UTF-8.',
    );
  }
}

/** 1-based line of a character offset; only computed when reporting an error. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function malformed(text: string, offset: number, message: string): MemoError {
  const line = lineAt(text, offset);
  return new MemoError('xml_malformed', `The XML is not well-formed: ${message} (line ${line}).`, [{ line, message }]);
}

/** Walks the markup: refuses DOCTYPE/ENTITY, counts depth, returns the root start tag's text. */
function scan(text: string, maxDepth: number): { tag: string; offset: number } {
  const first = text.search(/\S/);
  if (first === -1 || text[first] !== '<') {
    throw new MemoError('xml_malformed', 'The body is not XML: it does not start with "<".', [
      { line: first === -1 ? 1 : lineAt(text, first), message: 'Not XML: expected "<" as the first character.' },
    ]);
  }
  let root: { tag: string; offset: number } | undefined;
  let depth = 0;
  let i = text.indexOf('<');
  while (i !== -1) {
    if (text.startsWith('<!--', i)) {
      i = skipPast(text, i, '-->', 'comment');
    } else if (text.startsWith('<![CDATA[', i)) {
      i = skipPast(text, i, ']]>', 'CDATA section');
    } else if (text.startsWith('<?', i)) {
      const end = skipPast(text, i, '?>', 'processing instruction');
      if (i === 0) checkDeclaration(text.slice(0, end));
      i = end;
    } else if (text.startsWith('<!', i)) {
      if (/^<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i.test(text.slice(i, i + 10))) {
        const line = lineAt(text, i);
        throw new MemoError(
          'xml_dtd_forbidden',
          `The XML contains a document type declaration (DOCTYPE/DTD) at line ${line}; MeMo documents must not have one, so entities (external or nested) are never expanded.`,
          [{ line, message: 'DOCTYPE/DTD is not allowed.' }],
        );
      }
      throw malformed(text, i, 'unknown markup declaration "<!"');
    } else if (text[i + 1] === '/') {
      depth--;
      i = skipPast(text, i, '>', 'end tag');
    } else {
      const end = tagEnd(text, i);
      if (text[end - 2] !== '/') {
        depth++;
        if (depth > maxDepth) {
          const line = lineAt(text, i);
          throw new MemoError(
            'xml_too_deep',
            `The XML nests elements deeper than ${maxDepth} levels (line ${line}); a MeMo message needs far fewer.`,
            [{ line, message: `Nesting deeper than ${maxDepth} levels.` }],
          );
        }
      }
      root ??= { tag: text.slice(i, end), offset: i };
      i = end;
    }
    i = text.indexOf('<', i);
  }
  if (!root) throw malformed(text, 0, 'there is no root element');
  return root;
}

function skipPast(text: string, from: number, terminator: string, what: string): number {
  const end = text.indexOf(terminator, from);
  if (end === -1) throw malformed(text, from, `unterminated ${what}`);
  return end + terminator.length;
}

/** Offset just past the '>' closing the start tag at `from`, skipping quoted attribute values. */
function tagEnd(text: string, from: number): number {
  for (let j = from + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '>') return j + 1;
    if (c === '<') break;
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, j + 1);
      if (close === -1) break;
      j = close;
    }
  }
  throw malformed(text, from, 'unterminated start tag');
}

function checkDeclaration(declaration: string): void {
  const encoding = /\bencoding\s*=\s*["']([^"']*)["']/.exec(declaration)?.[1];
  if (encoding && !/^(utf-8|utf8|us-ascii)$/i.test(encoding)) {
    throw new MemoError(
      'xml_encoding_unsupported',
      `The XML declares encoding "${encoding}"; MeMo documents must be UTF-8.`,
    );
  }
}

const ATTRIBUTE = /([^\s=/<>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Checks the root is MeMo:Message and reads its version; messages name the namespace, not a fixed prefix. */
function rootVersion(
  root: { tag: string; offset: number },
  line: number,
): { version: MemoVersion; schemaVersion?: string } {
  const name = /^<([^\s/>]+)/.exec(root.tag)?.[1] ?? '';
  const attributes = new Map<string, string>();
  for (const m of root.tag.slice(name.length + 1).matchAll(ATTRIBUTE)) {
    attributes.set(m[1] ?? '', decodeEntities(m[2] ?? m[3] ?? ''));
  }
  const colon = name.indexOf(':');
  const prefix = colon === -1 ? '' : name.slice(0, colon);
  const local = colon === -1 ? name : name.slice(colon + 1);
  const ns = attributes.get(prefix ? `xmlns:${prefix}` : 'xmlns') ?? '';
  if (local !== 'Message' || ns !== MEMO_NS) {
    throw new MemoError(
      'memo_wrong_root',
      `The root element is ${ns ? `{${ns}}` : ''}${local}; a MeMo message has the root element Message in the namespace ${MEMO_NS}.`,
      [{ line, element: name, message: 'Not a MeMo:Message root element.' }],
    );
  }
  const schemaVersion = attributes.get('memoSchVersion')?.trim();
  const declared = attributes.get('memoVersion')?.trim() ?? /^\d+\.\d+/.exec(schemaVersion ?? '')?.[0];
  const number = declared === undefined || declared === '' ? Number.NaN : Number(declared);
  const version = number === 1.1 ? '1.1' : number === 1.2 ? '1.2' : undefined;
  if (!version) {
    throw new MemoError(
      'memo_unsupported_version',
      declared === undefined
        ? 'The MeMo message has no memoVersion attribute; versions 1.1 and 1.2 are supported.'
        : `MeMo version "${declared}" is not supported; versions 1.1 and 1.2 are.`,
    );
  }
  return schemaVersion === undefined ? { version } : { version, schemaVersion };
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Resolves XML's five predefined entities and character references: all a document without a DTD can use. */
export function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (match, ref: string) => {
    if (ref[0] !== '#') return PREDEFINED[ref] ?? match;
    const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    // Out of range: left as written; libxml2 has already refused such a document where it matters.
    return code <= 0x10ffff ? String.fromCodePoint(code) : match;
  });
}
