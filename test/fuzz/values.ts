/**
 * Nasty values for the fuzz suite: the strings, dates, URLs, file names and numbers that broke (or could break)
 * an intake path somewhere, plus fast-check's own noise. Each is shrinkable and replayable from a seed.
 */
import fc from 'fast-check';

/** Control characters, NUL, lone surrogates, BOMs, direction overrides, very long strings and friends. */
export const nastyText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '   ',
      '\u0000',
      'Afgørelse\u0000',
      'a\u0000b',
      '\u0001\u0002\u0003\u001f',
      '\u007f\u0085',
      '\u001b[31mrød\u001b[0m',
      '\r\n',
      '\t\v\f',
      'linje 1\nlinje 2',
      '\ud800',
      'a\udc00b',
      '\udbff\udfff\ud800',
      '\ufeff',
      '\ufeffAfgørelse',
      '\u202eexe.fdp',
      '\u200b\u200c\u200d\u2060',
      '\u2028\u2029',
      '\ufffe\uffff',
      '😀👩‍👩‍👧',
      'æøå ÆØÅ é ü',
      'ẞ İ ı',
      '<script>alert(1)</script>',
      '"><img src=x onerror=alert(1)>',
      '&amp; &lt; &#0; &#xD800;',
      "'; drop table message; --",
      '%00%0a%ff',
      '{{navn}}',
      '{{ }}',
      '{{constructor}}',
      '__proto__',
      '$' + '{7*7}',
      '../../etc/passwd',
      'C:\\Windows\\win.ini',
      'null',
      'NaN',
      '-1',
      '1e999',
      'x'.repeat(101),
      'x'.repeat(151),
      'x'.repeat(251),
      'ø'.repeat(1001),
      'x'.repeat(70_000),
      '1503851234',
      '150385-1234',
      'https://pay.example/x',
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.constantFrom('a', 'ø', ' ', '\u0000', '\u0008', '\ud800', '\udfff', '\ufeff', '"', '<', '&', ';', ','),
      minLength: 1,
      maxLength: 30,
    }),
  },
  { weight: 1, arbitrary: fc.nat({ max: 300_000 }).map((n) => 'a'.repeat(n)) },
);

/** Date-times (RFC 3339 or almost): leap seconds, year 0000, odd offsets, out-of-range fields. */
export const nastyDateTime: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '2026-02-28T23:59:60Z',
    '2026-06-30T23:59:60Z',
    '2016-12-31T23:59:60Z',
    '0000-01-01T00:00:00Z',
    '0000-12-31T23:59:59Z',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '2026-02-30T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T23:60:00Z',
    '2026-01-01T10:00:00+25:00',
    '2026-01-01T10:00:00+14:01',
    '2026-01-01T10:00:00-23:59',
    '2026-01-01T10:00:00+00:60',
    '2026-01-01T10:00:00-00:00',
    '2026-01-01T10:00:00+0200',
    '2026-01-01t10:00:00z',
    '2026-01-01 10:00:00Z',
    '2026-01-01T10:00:00',
    '2026-01-01T10:00:00.123456789Z',
    '2026-01-01T10:00:00,5Z',
    '+002026-01-01T10:00:00Z',
    '-000001-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '1969-12-31T23:59:59Z',
    '1900-01-01T00:00:00Z',
    '2026-03-29T02:30:00+01:00',
    '2026-W01-1T10:00:00Z',
    '',
    'i morgen',
  ),
  fc
    .record({
      year: fc.integer({ min: 0, max: 10_000 }),
      month: fc.integer({ min: 0, max: 13 }),
      day: fc.integer({ min: 0, max: 32 }),
      hour: fc.integer({ min: 0, max: 25 }),
      second: fc.integer({ min: 0, max: 61 }),
      offset: fc.constantFrom('Z', '+00:00', '+02:00', '-12:00', '+14:00', '+23:59', '-24:00', '+99:99', ''),
    })
    .map(
      (d) =>
        `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}` +
        `T${String(d.hour).padStart(2, '0')}:00:${String(d.second).padStart(2, '0')}${d.offset}`,
    ),
);

/** Dates (YYYY-MM-DD or almost). */
export const nastyDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '0000-01-01',
    '0000-00-00',
    '2026-02-29',
    '2028-02-29',
    '2026-02-30',
    '2026-13-01',
    '2026-00-10',
    '9999-12-31',
    '10000-01-01',
    '+002026-01-01',
    '-0001-01-01',
    '2026-1-1',
    '2026-01-01T00:00:00Z',
    '2026-03-29',
    '2026-10-25',
    '1969-12-31',
    '',
  ),
  fc
    .record({
      year: fc.integer({ min: 0, max: 9999 }),
      month: fc.integer({ min: 0, max: 13 }),
      day: fc.integer({ min: 0, max: 32 }),
    })
    .map(
      (d) => `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`,
    ),
);

/** URLs for action buttons: case, missing slashes, spaces, other schemes, credentials, control characters. */
export const nastyUrl: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'HTTPS://pay.example/betal',
    'Https://pay.example/betal',
    'https:pay.example',
    'https:/pay.example',
    'https:///pay.example',
    ' https://pay.example/betal',
    'https://pay.example/betal ',
    '\thttps://pay.example/betal',
    'https://pay.example/be tal',
    'https://pay.example/\u0000',
    'https://pay.example\n.evil.example/',
    'https://',
    'https://:443/',
    'https://user:pass@pay.example/',
    'https://pay.example:99999/',
    'https://[::1]/',
    'https://127.0.0.1/',
    'https://xn--/',
    'https://pay.exämple/',
    'https://pay.example/%zz',
    '//pay.example/betal',
    'http://pay.example/betal',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://pay.example/',
    'mailto:a@b.example',
    `https://pay.example/${'a'.repeat(300)}`,
    '',
  ),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
);

/** File names: traversal, double extensions, reserved names, control characters, very long ones. */
export const nastyFilename: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '../../etc/passwd',
    '..\\..\\windows\\win.ini',
    '/etc/passwd',
    'brev.pdf.exe',
    'brev.exe',
    'brev',
    '.pdf',
    '.',
    '..',
    ' .pdf',
    'brev.pdf ',
    'brev.PDF',
    'brev\u202efdp.exe',
    'brev.pdf\u0000.exe',
    'brev\r\n.pdf',
    'CON',
    'con.pdf',
    'NUL.txt',
    'a"b.pdf',
    "a'b;c.pdf",
    'a%2F..%2Fb.pdf',
    'æøå.pdf',
    '😀.pdf',
    `${'x'.repeat(300)}.pdf`,
    `${'ø'.repeat(199)}.pdf`,
    '',
  ),
  nastyText,
);

/** Base64 that is not (quite) base64, or is base64 of the wrong thing. */
export const nastyBase64: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '!!!!',
    'QQ',
    'QQ=',
    'QQ===',
    '====',
    'JVBERi0x\nLjQK',
    ' JVBERi0xLjQK',
    'JVBERi0xLjQK\u0000',
    'JVBERi0-LjQK_w',
    'data:application/pdf;base64,JVBERi0xLjQK',
    'TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgAAAAA==',
    'PGh0bWw+PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0PjwvaHRtbD4=',
    'AAAAAAAA',
    Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64'),
    Buffer.from('%PDF-').toString('base64'),
  ),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('base64')),
  fc.string({ unit: fc.constantFrom('A', 'Q', '=', '+', '/', '-', '_', ' ', '\n'), maxLength: 40 }),
);

/**
 * Deeply nested arrays or objects (JSON parsers and validators must not recurse into a stack overflow). JSON.stringify
 * itself overflows on them, so they travel as a token that toJson() replaces with the nested text.
 */
export const deepNesting: fc.Arbitrary<string> = fc
  .record({ depth: fc.integer({ min: 10, max: 50_000 }), kind: fc.constantFrom('array', 'object') })
  .map(({ depth, kind }) => `__DEEP_${kind}_${depth}__`);

const DEEP_TOKEN = /"__DEEP_(array|object)_(\d+)__"/g;

/** JSON.stringify, with deepNesting tokens replaced by their nested JSON text. */
export function toJson(value: unknown): string {
  return JSON.stringify(value).replace(DEEP_TOKEN, (_m, kind: string, depth: string) => {
    const n = Number(depth);
    return kind === 'array' ? `${'['.repeat(n)}"bund"${']'.repeat(n)}` : `${'{"a":'.repeat(n)}"bund"${'}'.repeat(n)}`;
  });
}

/** Any JSON value in a place it does not belong: numbers where strings go, nulls, huge arrays, deep nesting. */
export const nastyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyText },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      null,
      true,
      false,
      0,
      -1,
      1.5,
      1e308,
      -0,
      Number.MAX_SAFE_INTEGER + 2,
      [],
      {},
      [''],
      { __proto__: { polluted: true } },
      JSON.parse('{"__proto__":{"polluted":true}}'),
      { constructor: { prototype: { polluted: true } } },
    ),
  },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: fc.nat({ max: 100_000 }).map((n) => Array.from({ length: n }, () => 'x')) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** XML-escapes a text node (the characters XML cannot carry at all are left for the parser to refuse). */
export const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
