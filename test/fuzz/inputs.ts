/**
 * Generators of whole requests for each intake path. Most start from a VALID letter (test/support/fixtures.ts
 * letterBody, a repaired official MeMo example, a valid CSV mailing) and break it field by field with the nasty values
 * of values.ts, so the input gets past the first check and reaches the code behind it. Every input is plain JSON
 * data (strings only), so a failing one can be written to the corpus and replayed as it was.
 */
import fc from 'fast-check';
import { sha256Hex } from '../../src/documents/document-store.ts';
import type { MemoMessage } from '../../src/modules/messages/memo/index.ts';
import { toMemoXml } from '../../src/modules/messages/memo/index.ts';
import { letterBody, tinyPdf } from '../support/fixtures.ts';
import {
  deepNesting,
  nastyBase64,
  nastyDate,
  nastyDateTime,
  nastyFilename,
  nastyJson,
  nastyText,
  nastyUrl,
  toJson,
  xmlEscape,
} from './values.ts';

/** The people the fuzzed letters go to (the harness creates them): enrolled, exempted (print) and closed. */
export const ANNA = '1503851234';
export const BO = '0101901235';
export const CARL = '0202801236';
/** The recipient of the official MeMo examples. */
export const EXAMPLE_CPR = '2211771212';

export type FormName =
  | 'folder_create'
  | 'folder_rename'
  | 'search'
  | 'write'
  | 'api_key'
  | 'email'
  | 'mobile'
  | 'incident'
  | 'maintenance';

/** A form field: its value, and optionally raw percent-encoded bytes appended after it (e.g. invalid UTF-8). */
export type FormField = [name: string, value: string, rawSuffix?: string];
export interface FormFile {
  name: string;
  type: string;
  base64: string;
}

export type FuzzInput =
  | { path: 'json'; desc: string; contentType: string; body: string }
  | { path: 'memo'; desc: string; contentType: string; body: string; encoding: 'utf8' | 'latin1' | 'utf16le' }
  | { path: 'ndjson'; desc: string; body: string }
  | {
      path: 'csv';
      desc: string;
      template: string;
      csv: string;
      csvEncoding: 'utf8' | 'latin1';
      document: FormFile;
    }
  | { path: 'form'; desc: string; form: FormName; target: string | null; fields: FormField[]; files: FormFile[] };

export type PathName = FuzzInput['path'];

const show = (value: unknown) => {
  const text = typeof value === 'string' ? JSON.stringify(value) : toJson(value);
  return text.length > 80 ? `${text.slice(0, 60)}… (${text.length} chars)` : text;
};

type Key = string | number;

function setAt(target: Record<string, unknown>, path: Key[], value: unknown, remove = false): void {
  let node: any = target;
  for (const key of path.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = typeof key === 'number' ? [] : {};
    node = node[key];
  }
  const last = path.at(-1) as Key;
  if (remove) delete node[last];
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
}

// ---------------------------------------------------------------- JSON letters

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * The tiny PDF with a comment that makes its bytes (and so its SHA-256) unique: a refused input that stored its file
 * anyway then shows as an orphan, instead of hiding behind a file some earlier letter stored.
 */
export const uniquePdf = (id: string) => Buffer.from(tinyPdf.toString('latin1').replace('\n', `\n%${id}\n`), 'latin1');

const validDocuments = [
  { title: 'Afgørelse', filename: 'afgoerelse.pdf', mediaType: 'application/pdf', content: tinyPdf.toString('base64') },
  {
    title: 'Brev',
    filename: 'brev.txt',
    mediaType: 'text/plain',
    content: Buffer.from('Kære Anna').toString('base64'),
  },
  {
    title: 'Brev',
    filename: 'brev.html',
    mediaType: 'text/html',
    content: Buffer.from('<p>Kære <b>Anna</b></p>').toString('base64'),
  },
  { title: 'Billede', filename: 'kort.png', mediaType: 'image/png', content: PNG.toString('base64') },
];

const validActions = (uuid: string) => [
  { actionCode: 'BETALING', label: 'Betal', url: 'https://pay.example/betal' },
  { actionCode: 'INFORMATION', label: 'Læs mere', url: 'https://www.borger.dk/' },
  { actionCode: 'BEKRAEFT', label: 'Bekræft' },
  {
    actionCode: 'AFTALE',
    label: 'Mød op',
    startDateTime: '2026-09-01T10:00:00Z',
    endDateTime: '2026-09-01T11:00:00Z',
    reservation: {
      description: 'Samtale',
      reservationUuid: uuid,
      abstract: 'Samtale om boligstøtte',
      location: 'Rådhuset',
      startDateTime: '2026-09-01T10:00:00Z',
      endDateTime: '2026-09-01T11:00:00Z',
    },
  },
];

/** The nasty value for a field, chosen by what the field is (a date gets dates, a url gets URLs, …). */
function valueFor(field: string): fc.Arbitrary<unknown> {
  if (/DateTime$|^replyBy$|^startsAt$|^endsAt$/.test(field)) return fc.oneof(nastyDateTime, nastyJson);
  if (/^doNotDeliverUntil/.test(field)) return fc.oneof(nastyDate, nastyDateTime, nastyJson);
  if (field === 'url') return fc.oneof({ weight: 3, arbitrary: nastyUrl }, nastyJson);
  if (field === 'filename') return fc.oneof({ weight: 3, arbitrary: nastyFilename }, nastyJson);
  if (field === 'content') return fc.oneof({ weight: 3, arbitrary: nastyBase64 }, nastyJson);
  if (field === 'mediaType') {
    return fc.oneof(
      fc.constantFrom('application/pdf', 'text/html', 'text/plain', 'image/png', 'image/gif', 'image/jpeg'),
      fc.constantFrom('APPLICATION/PDF', 'application/pdf; charset=utf-8', 'application/x-msdownload', ''),
      nastyJson,
    );
  }
  if (field === 'cpr' || field === 'cvr') {
    return fc.oneof(
      fc.constantFrom(ANNA, BO, CARL, '150385-1234', ` ${ANNA}`, `${ANNA}\u0000`, '0000000000', '3213999999'),
      fc.constantFrom('12345678', '00000000', '1503851234567', '１５０３８５１２３４', '15038512'),
      fc.integer(),
      nastyJson,
    );
  }
  return nastyJson;
}

const TOP_FIELDS = [
  'label',
  'senderReference',
  'notification',
  'replyBy',
  'doNotDeliverUntil',
  'postType',
  'messageType',
  'replyAllowed',
  'mandatory',
  'legalNotification',
  'recipient',
  'messageUuid',
  'documents',
  'actions',
  'ukendtFelt',
] as const;
const DOCUMENT_FIELDS = ['title', 'filename', 'mediaType', 'content', 'role', 'language', 'sha256'] as const;
const ACTION_FIELDS = [
  'actionCode',
  'label',
  'url',
  'startDateTime',
  'endDateTime',
  'document',
  'reservation',
] as const;
const RESERVATION_FIELDS = [
  'description',
  'reservationUuid',
  'abstract',
  'location',
  'startDateTime',
  'endDateTime',
  'organizerMail',
  'organizerName',
] as const;

type Mutation = { path: Key[]; value?: unknown; remove?: boolean; desc: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .constantFrom(...TOP_FIELDS)
      .chain((f) => valueFor(f).map((v) => ({ path: [f], value: v, desc: `${f} = ${show(v)}` }))),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('cpr', 'cvr'), fc.constantFrom('cpr', 'cvr'))
      .chain(([key]) =>
        valueFor(key).map((v) => ({ path: ['recipient', key], value: v, desc: `recipient.${key} = ${show(v)}` })),
      ),
  },
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.constantFrom(...DOCUMENT_FIELDS), fc.nat({ max: 1 }))
      .chain(([f, i]) =>
        valueFor(f).map((v) => ({ path: ['documents', i, f], value: v, desc: `documents[${i}].${f} = ${show(v)}` })),
      ),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom(...ACTION_FIELDS), fc.nat({ max: 3 }))
      .chain(([f, i]) =>
        valueFor(f).map((v) => ({ path: ['actions', i, f], value: v, desc: `actions[${i}].${f} = ${show(v)}` })),
      ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...RESERVATION_FIELDS).chain((f) =>
      valueFor(f).map((v) => ({
        path: ['actions', 3, 'reservation', f],
        value: v,
        desc: `actions[3].reservation.${f} = ${show(v)}`,
      })),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<Key[]>(['label'], ['recipient'], ['documents'], ['documents', 0, 'content'], ['actions', 0, 'url'])
      .map((path) => ({ path, remove: true, desc: `delete ${path.join('.')}` })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 2, max: 60 }).map((n) => ({
      path: ['documents'],
      value: Array.from({ length: n }, () => validDocuments[1]),
      desc: `${n} documents`,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 21, max: 5000 }).map((n) => ({
      path: ['actions'],
      value: Array.from({ length: n }, () => validActions('x')[0]),
      desc: `${n} actions`,
    })),
  },
);

/** A valid letter object (JSON intake) to mutate: a document mix, maybe actions, a messageUuid. */
const letterBase = fc
  .record({
    uuid: fc.uuid({ version: 4 }),
    reservationUuid: fc.uuid({ version: 4 }),
    cpr: fc.constantFrom(ANNA, ANNA, ANNA, BO),
    docs: fc.subarray([0, 1, 2, 3], { minLength: 1, maxLength: 3 }),
    actions: fc.subarray([0, 1, 2, 3], { maxLength: 4 }),
    extras: fc.boolean(),
  })
  .map(({ uuid, reservationUuid, cpr, docs, actions, extras }) => {
    const letter: Record<string, unknown> = {
      messageUuid: uuid,
      ...letterBody(cpr),
      documents: docs.map((i) => ({
        ...validDocuments[i],
        ...(i === 0 ? { content: uniquePdf(uuid).toString('base64') } : {}),
      })),
    };
    const all = validActions(reservationUuid);
    if (actions.length) letter.actions = actions.map((i) => structuredClone(all[i]));
    if (extras) {
      Object.assign(letter, {
        notification: 'Du har fået post fra kommunen',
        replyAllowed: true,
        replyBy: '2026-12-01T12:00:00Z',
        doNotDeliverUntil: '2026-01-01',
        legalNotification: false,
      });
    }
    return letter;
  });

/** A letter object (valid, then 0–3 field mutations) and what was done to it. */
export const mutatedLetter: fc.Arbitrary<{ letter: Record<string, unknown>; desc: string }> = fc
  .record({ base: letterBase, mutations: fc.array(mutation, { maxLength: 3 }) })
  .map(({ base, mutations }) => {
    for (const m of mutations) setAt(base, m.path, m.value, m.remove);
    return { letter: base, desc: mutations.map((m) => m.desc).join('; ') || 'valid letter' };
  });

/** Changes to the raw JSON text: BOM, truncation, duplicate keys, trailing garbage, … */
const jsonTextTransform: fc.Arbitrary<{ name: string; apply: (text: string) => string }> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ name: '', apply: (t: string) => t }) },
  fc.constant({ name: 'BOM', apply: (t: string) => `\ufeff${t}` }),
  fc.constant({ name: 'duplicate label key', apply: (t: string) => t.replace(/^\{/, '{"label":"første",') }),
  fc.constant({ name: 'raw NUL in text', apply: (t: string) => t.replace('Afgørelse', 'Afg\u0000relse') }),
  fc.constant({ name: 'trailing garbage', apply: (t: string) => `${t}}]\u0000` }),
  fc.constant({ name: 'two documents', apply: (t: string) => `${t}\n${t}` }),
  fc.constant({ name: '__proto__ key', apply: (t: string) => t.replace(/^\{/, '{"__proto__":{"label":"x"},') }),
  fc.nat({ max: 2000 }).map((n) => ({ name: `truncated at ${n}`, apply: (t: string) => t.slice(0, n) })),
  deepNesting.map((d) => ({ name: 'deep nesting as the body', apply: () => toJson(d) })),
);

const jsonContentType = fc.oneof(
  { weight: 10, arbitrary: fc.constant('application/json') },
  fc.constantFrom(
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/merge-patch+json',
    'text/plain',
    'application/x-www-form-urlencoded',
  ),
);

export const jsonInput: fc.Arbitrary<FuzzInput> = fc
  .record({ letter: mutatedLetter, transform: jsonTextTransform, contentType: jsonContentType })
  .map(({ letter, transform, contentType }) => ({
    path: 'json' as const,
    desc: [letter.desc, transform.name, contentType === 'application/json' ? '' : `content-type ${contentType}`]
      .filter(Boolean)
      .join('; '),
    contentType,
    body: transform.apply(toJson(letter.letter)),
  }));

// ---------------------------------------------------------------- MeMo

/** Every string leaf of a MeMo model (not file contents), with its path. */
function stringLeaves(value: unknown, path: Key[] = []): Key[][] {
  if (typeof value === 'string') return [path];
  if (Buffer.isBuffer(value) || value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, Array.isArray(value) ? Number(k) : k]));
}

/** Every file (path to its MemoFile) of a MeMo model. */
function filePaths(model: MemoMessage): Key[][] {
  const body = model.body;
  if (!body) return [];
  const docs: [Key[], { files: unknown[] }][] = [
    [['body', 'mainDocument'], body.mainDocument],
    ...body.additionalDocuments.map((d, i): [Key[], { files: unknown[] }] => [['body', 'additionalDocuments', i], d]),
  ];
  return docs.flatMap(([p, d]) => d.files.map((_f, j) => [...p, 'files', j]));
}

/** A deep copy that keeps Buffers Buffers (structuredClone turns them into plain Uint8Arrays). */
function cloneModel<T>(value: T): T {
  if (Buffer.isBuffer(value)) return Buffer.from(value) as T;
  if (Array.isArray(value)) return value.map(cloneModel) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneModel(v)])) as T;
  }
  return value;
}

const getAt = (value: any, path: Key[]) => path.reduce((node, key) => node?.[key], value);

/** What to do to the MeMo text after it is written: XML tricks the parser must refuse or survive. */
const xmlTricks: [string, (xml: string) => string][] = [
  ['BOM', (x) => `\ufeff${x}`],
  ['no XML declaration', (x) => x.replace(/^<\?xml[^>]*\?>\s*/, '')],
  [
    'DOCTYPE with an internal entity used in label',
    (x) =>
      x
        .replace(/\?>/, '?>\n<!DOCTYPE memo:Message [<!ENTITY e "Hej">]>')
        .replace(/<memo:label>[^<]*<\/memo:label>/, '<memo:label>&e;</memo:label>'),
  ],
  [
    'external entity (file:///etc/passwd)',
    (x) =>
      x
        .replace(/\?>/, '?>\n<!DOCTYPE memo:Message [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
        .replace(/<memo:label>[^<]*<\/memo:label>/, '<memo:label>&xxe;</memo:label>'),
  ],
  [
    'billion laughs',
    (x) =>
      x
        .replace(
          /\?>/,
          '?>\n<!DOCTYPE memo:Message [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
        )
        .replace(/<memo:label>[^<]*<\/memo:label>/, '<memo:label>&d;&d;&d;&d;</memo:label>'),
  ],
  ['DOCTYPE after the root', (x) => `${x}\n<!DOCTYPE x>`],
  [
    'XInclude in label',
    (x) =>
      x.replace(
        /<memo:label>[^<]*<\/memo:label>/,
        '<memo:label><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd" parse="text"/></memo:label>',
      ),
  ],
  ['processing instruction in the body', (x) => x.replace('<memo:MessageBody>', '<memo:MessageBody><?php echo 1; ?>')],
  [
    'comment in label',
    (x) => x.replace(/<memo:label>([^<]*)<\/memo:label>/, '<memo:label>Pla<!-- x -->ds</memo:label>'),
  ],
  [
    'CDATA label',
    (x) => x.replace(/<memo:label>[^<]*<\/memo:label>/, '<memo:label><![CDATA[<b>Hej</b> & ]]]]></memo:label>'),
  ],
  ['char ref &#0; in label', (x) => x.replace(/<memo:label>[^<]*<\/memo:label>/, '<memo:label>a&#0;b</memo:label>')],
  ['char ref &#x1; in label', (x) => x.replace(/<memo:label>[^<]*<\/memo:label>/, '<memo:label>a&#x1;b</memo:label>')],
  [
    'char ref &#xD800; in label',
    (x) => x.replace(/<memo:label>[^<]*<\/memo:label>/, '<memo:label>a&#xD800;b</memo:label>'),
  ],
  [
    'char ref &#x1F600; in label',
    (x) => x.replace(/<memo:label>[^<]*<\/memo:label>/, '<memo:label>&#x1F600;&#65;</memo:label>'),
  ],
  ['raw NUL in label', (x) => x.replace(/<memo:label>[^<]*<\/memo:label>/, '<memo:label>a\u0000b</memo:label>')],
  ['raw & in label', (x) => x.replace(/<memo:label>[^<]*<\/memo:label>/, '<memo:label>Jensen & Søn</memo:label>')],
  ['undeclared prefix', (x) => x.replace('<memo:MessageBody>', '<memo:MessageBody><x:foo/>')],
  ['memoVersion 1.3', (x) => x.replace(/memoVersion="[^"]*"/, 'memoVersion="1.3"')],
  ['memoVersion empty', (x) => x.replace(/memoVersion="[^"]*"/, 'memoVersion=""')],
  ['other namespace', (x) => x.replace(/https:\/\/DigitalPost\.dk\/MeMo-1/g, 'https://DigitalPost.dk/MeMo-2')],
  ['duplicate MessageHeader', (x) => x.replace(/(<memo:MessageHeader>[\s\S]*<\/memo:MessageHeader>)/, '$1$1')],
  [
    'deep nesting in label',
    (x) =>
      x.replace(
        /<memo:label>[^<]*<\/memo:label>/,
        `<memo:label>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</memo:label>`,
      ),
  ],
  ['line breaks in base64 content', (x) => x.replace(/<memo:content>([^<]{20})/, '<memo:content>$1\n  \r\n')],
  [
    'invalid base64 content',
    (x) => x.replace(/<memo:content>[^<]*<\/memo:content>/, '<memo:content>!!!!====</memo:content>'),
  ],
  ['empty content', (x) => x.replace(/<memo:content>[^<]*<\/memo:content>/, '<memo:content></memo:content>')],
  [
    'many attributes on the root',
    (x) =>
      x.replace('<memo:Message ', `<memo:Message ${Array.from({ length: 3000 }, (_, i) => `a${i}="x"`).join(' ')} `),
  ],
  ['huge whitespace', (x) => x.replace('<memo:MessageBody>', `<memo:MessageBody>${' '.repeat(2_000_000)}`)],
  ['two root elements', (x) => `${x}${x.replace(/^<\?xml[^>]*\?>/, '')}`],
];

/** MeMo letters: a valid model (from the official examples, repaired) with its fields and files broken, then XML tricks. */
export function memoInput(bases: MemoMessage[]): fc.Arbitrary<FuzzInput> {
  const leaves = bases.map((b) => stringLeaves(b).filter((p) => p[0] !== 'messageUUID'));
  const files = bases.map(filePaths);
  const fieldChange = (i: number) =>
    fc.constantFrom(...(leaves[i] as Key[][])).chain((path) => {
      const key = String(path.at(-1));
      const values: fc.Arbitrary<unknown> = /DateTime$|Date$/.test(key)
        ? fc.oneof(nastyDateTime, nastyDate)
        : key === 'url'
          ? nastyUrl
          : key === 'filename'
            ? nastyFilename
            : key === 'recipientID'
              ? valueFor('cpr').filter((v) => typeof v === 'string')
              : nastyText;
      return values.map((v) => ({ kind: 'field' as const, path, value: String(v) }));
    });
  const fileChange = (i: number) =>
    fc.record({
      path: fc.constantFrom(...(files[i] as Key[][])),
      content: fc.oneof(
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
        fc.constantFrom(
          Buffer.alloc(0),
          Buffer.from('%PDF-'),
          Buffer.from('MZ\u0090\u0000'),
          Buffer.from('<html><script>alert(1)</script></html>'),
          Buffer.from([0xff, 0xfe, 0x00, 0x41]),
        ),
      ),
      type: fc.oneof(
        fc.constant(undefined),
        fc.constantFrom('application/pdf', 'text/html', 'text/plain', 'image/png', 'application/x-msdownload', ''),
      ),
    });
  return fc
    .record({
      base: fc.nat({ max: bases.length - 1 }),
      uuid: fc.uuid({ version: 4 }),
      version: fc.constantFrom('1.1', '1.2'),
      recipient: fc.constantFrom(EXAMPLE_CPR, EXAMPLE_CPR, ANNA, BO, CARL),
      seed: fc.nat(),
      trick: fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, fc.nat({ max: xmlTricks.length - 1 })),
      truncate: fc.oneof({ weight: 9, arbitrary: fc.constant(-1) }, fc.nat({ max: 3000 })),
      encoding: fc.oneof(
        { weight: 12, arbitrary: fc.constant('utf8' as const) },
        fc.constantFrom('latin1' as const, 'utf16le' as const),
      ),
      declared: fc.oneof(
        { weight: 12, arbitrary: fc.constant('UTF-8') },
        fc.constantFrom('ISO-8859-1', 'UTF-16', 'EBCDIC', ''),
      ),
      contentType: fc.oneof(
        { weight: 8, arbitrary: fc.constant('application/xml') },
        fc.constantFrom('text/xml', 'application/vnd.memo+xml', 'application/xml; charset=iso-8859-1'),
      ),
    })
    .chain((r) =>
      fc
        .array(
          fc.oneof(
            { weight: 3, arbitrary: fieldChange(r.base) },
            fileChange(r.base).map((f) => ({ kind: 'file' as const, ...f })),
          ),
          {
            maxLength: 3,
          },
        )
        .map((changes) => ({ ...r, changes })),
    )
    .map((r) => {
      const model = cloneModel(bases[r.base] as MemoMessage);
      model.messageUUID = r.uuid;
      // Unique PDF bytes per letter (see uniquePdf).
      for (const [k, p] of (files[r.base] as Key[][]).entries()) {
        const file = getAt(model, p);
        if (Buffer.isBuffer(file.content) && file.content.equals(tinyPdf)) file.content = uniquePdf(`${r.uuid}-${k}`);
      }
      model.recipient.recipientID = r.recipient;
      const descs: string[] = [`example ${r.base} as MeMo ${r.version} to ${r.recipient}`];
      for (const c of r.changes) {
        if (c.kind === 'field') {
          setAt(model as unknown as Record<string, unknown>, c.path, c.value);
          descs.push(`${c.path.join('.')} = ${show(c.value)}`);
        } else {
          const file = getAt(model, c.path);
          file.content = c.content;
          if (c.type !== undefined) file.encodingFormat = c.type;
          descs.push(
            `${c.path.join('.')}: ${c.content.length} bytes${c.type === undefined ? '' : ` as ${show(c.type)}`}`,
          );
        }
      }
      // MeMo 1.1 cannot carry every 1.2 element: then the letter goes as 1.2 (and a model toMemoXml refuses, as the
      // unmutated example).
      const write = (m: MemoMessage) => {
        try {
          return toMemoXml(m, r.version as '1.1' | '1.2');
        } catch {
          return toMemoXml(m, '1.2');
        }
      };
      let xml: string;
      try {
        xml = write(model);
      } catch (error) {
        descs.push(`(toMemoXml refused: ${(error as Error).message}; the base example is sent)`);
        xml = write({ ...(bases[r.base] as MemoMessage), messageUUID: r.uuid });
      }
      if (r.trick >= 0) {
        const [name, apply] = xmlTricks[r.trick] as [string, (x: string) => string];
        xml = apply(xml);
        descs.push(name);
      }
      if (r.declared !== 'UTF-8') {
        xml = xml.replace(/encoding="[^"]*"/, r.declared ? `encoding="${r.declared}"` : '');
        descs.push(`declared encoding ${show(r.declared)}`);
      }
      if (r.encoding !== 'utf8') descs.push(`bytes in ${r.encoding}`);
      if (r.truncate >= 0) {
        xml = xml.slice(0, r.truncate);
        descs.push(`truncated at ${r.truncate}`);
      }
      if (r.contentType !== 'application/xml') descs.push(`content-type ${r.contentType}`);
      return {
        path: 'memo' as const,
        desc: descs.join('; '),
        contentType: r.contentType,
        body: xml,
        encoding: r.encoding,
      };
    });
}

/** A minimal MeMo text with escaped values (for the tar-free paths that need a string quickly). */
export const memoText = (label: string) => `<memo:label>${xmlEscape(label)}</memo:label>`;

// ---------------------------------------------------------------- NDJSON batches

const PDF_SHA = sha256Hex(tinyPdf);

const ndjsonLine: fc.Arbitrary<{ text: string; desc: string }> = fc.oneof(
  { weight: 3, arbitrary: mutatedLetter.map(({ letter, desc }) => ({ text: toJson(letter), desc })) },
  {
    weight: 1,
    arbitrary: fc
      .record({
        uuid: fc.uuid({ version: 4 }),
        sha: fc.oneof(
          fc.constant(PDF_SHA),
          fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
          nastyText,
        ),
      })
      .map(({ uuid, sha }) => ({
        text: toJson({
          messageUuid: uuid,
          ...letterBody(ANNA),
          documents: [{ title: 'Afgørelse', filename: 'a.pdf', mediaType: 'application/pdf', sha256: sha }],
        }),
        desc: `document by sha256 ${show(sha)}`,
      })),
  },
  { weight: 1, arbitrary: nastyJson.map((v) => ({ text: toJson(v), desc: `line ${show(v)}` })) },
  { weight: 1, arbitrary: nastyText.map((t) => ({ text: t, desc: `raw line ${show(t)}` })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('', '   ', '{}', '[]', 'null', '{"messageUuid":', '\u0000')
      .map((t) => ({ text: t, desc: `line ${show(t)}` })),
  },
);

export const ndjsonInput: fc.Arbitrary<FuzzInput> = fc
  .record({
    lines: fc.array(ndjsonLine, { minLength: 1, maxLength: 6 }),
    eol: fc.constantFrom('\n', '\n', '\r\n', '\r'),
    bom: fc.boolean(),
    trailing: fc.boolean(),
  })
  .map(({ lines, eol, bom, trailing }) => ({
    path: 'ndjson' as const,
    desc: `${lines.map((l, i) => `line ${i + 1}: ${l.desc}`).join(' | ')}${bom ? ' | BOM' : ''}${eol === '\n' ? '' : ` | eol ${JSON.stringify(eol)}`}`,
    body: `${bom ? '\ufeff' : ''}${lines.map((l) => l.text).join(eol)}${trailing ? eol : ''}`,
  }));

// ---------------------------------------------------------------- CSV mailings

const TEMPLATE_FIELDS = [
  'batchKey',
  'label',
  'notification',
  'senderReference',
  'replyAllowed',
  'replyBy',
  'doNotDeliverUntil',
  'mandatory',
  'legalNotification',
  'postType',
  'document',
  'ukendt',
] as const;

const csvCell: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('Anna', 'Vestergade 1', 'Østergade 2, 1. th', '') },
  fc.constantFrom(
    '"unclosed',
    'a"b',
    '"a""b"',
    '"line\nbreak"',
    'semi;colon',
    'comma,comma',
    "=cmd|' /C calc'!A0",
    '\u0000',
  ),
  nastyText.map((t) => t.slice(0, 2000)),
);

const csvRecipient: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(ANNA, '150385-1234', BO, CARL) },
  fc.constantFrom(
    ' 1503851234',
    '1503851234 ',
    '15038512344',
    '0000000000',
    '',
    '"1503851234"',
    '12345678',
    '1.503851234E9',
  ),
  nastyText.map((t) => t.slice(0, 100)),
);

export const csvInput: fc.Arbitrary<FuzzInput> = fc
  .record({
    batchKey: fc.uuid({ version: 4 }),
    templateChanges: fc.array(
      fc
        .constantFrom(...TEMPLATE_FIELDS)
        .chain((f) =>
          (f === 'label' || f === 'notification' || f === 'senderReference'
            ? fc.oneof(
                nastyJson,
                fc.constantFrom('{{navn}} {{adresse}}', '{{ukendt}}', '{{}}', '{{ navn }}', '{{{{navn}}}}', '{{cpr}}'),
              )
            : valueFor(f)
          ).map((v) => ({ f, v })),
        ),
      { maxLength: 2 },
    ),
    rawTemplate: fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, nastyText),
    header: fc.oneof(
      { weight: 4, arbitrary: fc.constant<string[]>(['cpr', 'navn', 'adresse']) },
      fc.constantFrom<string[]>(
        ['CPR', 'navn', 'adresse'],
        ['cvr', 'navn'],
        ['cpr', 'cpr', 'navn'],
        ['message_uuid', 'cpr', 'navn'],
        ['navn', 'adresse'],
        ['\ufeffcpr', 'navn'],
        [' cpr ', 'navn'],
        ['cpr'],
        [],
      ),
    ),
    rows: fc.array(
      fc.record({
        recipient: csvRecipient,
        cells: fc.array(csvCell, { maxLength: 3 }),
        uuid: fc.oneof(fc.uuid({ version: 4 }), nastyText),
      }),
      {
        minLength: 0,
        maxLength: 5,
      },
    ),
    delimiter: fc.constantFrom(';', ',', '\t', '|'),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    bom: fc.boolean(),
    csvEncoding: fc.oneof({ weight: 6, arbitrary: fc.constant('utf8' as const) }, fc.constant('latin1' as const)),
    document: fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .uuid()
          .map((id) => ({ name: 'a.pdf', type: 'application/pdf', base64: uniquePdf(id).toString('base64') })),
      },
      fc.constant({
        name: 'brev.html',
        type: 'text/html',
        base64: Buffer.from('<p>Kære {{navn}}, {{adresse}} {{ukendt}}</p>').toString('base64'),
      }),
      fc.constant({
        name: 'brev.txt',
        type: 'text/plain',
        base64: Buffer.from('Kære {{navn}}\u0000').toString('base64'),
      }),
      fc.record({
        name: nastyFilename,
        type: fc.constantFrom('application/pdf', 'application/x-msdownload', ''),
        base64: nastyBase64,
      }),
    ),
  })
  .map((r) => {
    const template: Record<string, unknown> = {
      batchKey: r.batchKey,
      label: 'Ejendomsskat for {{adresse}}',
      notification: 'Hej {{navn}}, du har fået post',
      document: { title: 'Opkrævning', filename: 'opkraevning.pdf', mediaType: 'application/pdf' },
    };
    if (r.document.type === 'text/html')
      template.document = { title: 'Brev', filename: 'brev.html', mediaType: 'text/html' };
    if (r.document.type === 'text/plain')
      template.document = { title: 'Brev', filename: 'brev.txt', mediaType: 'text/plain' };
    for (const { f, v } of r.templateChanges) setAt(template, [f], v);
    const recipientAt = Math.max(
      0,
      r.header.findIndex((h) => /cpr|cvr/i.test(h)),
    );
    const uuidAt = r.header.indexOf('message_uuid');
    const lines = r.rows.map((row) => {
      const cells = [...row.cells];
      while (cells.length < r.header.length) cells.push('Anna');
      cells[recipientAt] = row.recipient;
      if (uuidAt >= 0) cells[uuidAt] = row.uuid;
      return cells.join(r.delimiter);
    });
    const csv = `${r.bom ? '\ufeff' : ''}${[r.header.join(r.delimiter), ...lines].join(r.eol)}${r.eol}`;
    return {
      path: 'csv' as const,
      desc: [
        r.templateChanges.map((c) => `template.${c.f} = ${show(c.v)}`).join('; '),
        r.rawTemplate === null ? '' : `raw template ${show(r.rawTemplate)}`,
        `csv ${show(csv)}`,
        `document ${r.document.type} ${show(r.document.name)}`,
        r.csvEncoding === 'utf8' ? '' : 'csv in latin1',
      ]
        .filter(Boolean)
        .join('; '),
      template: r.rawTemplate ?? toJson(template),
      csv,
      csvEncoding: r.csvEncoding,
      document: r.document,
    };
  });

// ---------------------------------------------------------------- web forms

const text = (max = 5000) => nastyText.map((t) => t.slice(0, max));
const invalidUtf8 = fc.oneof(
  { weight: 10, arbitrary: fc.constant(undefined) },
  fc.constantFrom('%FF', '%C3%28', '%ED%A0%80', '%00', '%F4%90%80%80'),
);

const formCase: fc.Arbitrary<{ form: FormName; target: string | null; fields: FormField[]; files: FormFile[] }> =
  fc.oneof(
    fc.record({
      form: fc.constant('folder_create' as const),
      target: fc.constant(null),
      fields: fc.tuple(text(), invalidUtf8).map(([v, raw]) => [['name', v, raw] as FormField]),
      files: fc.constant<FormFile[]>([]),
    }),
    fc.record({
      form: fc.constant('folder_rename' as const),
      target: fc.oneof(
        { weight: 5, arbitrary: fc.constant(null) },
        nastyText.map((t) => t.slice(0, 100)),
      ),
      fields: fc.tuple(text(), invalidUtf8).map(([v, raw]) => [['name', v, raw] as FormField]),
      files: fc.constant<FormFile[]>([]),
    }),
    fc.record({
      form: fc.constant('search' as const),
      target: fc.constant(null),
      fields: fc
        .tuple(text(1200), fc.option(text(80)), invalidUtf8)
        .map(([q, before, raw]) => [
          ['q', q, raw] as FormField,
          ...(before === null ? [] : [['before', before] as FormField]),
        ]),
      files: fc.constant<FormFile[]>([]),
    }),
    fc.record({
      form: fc.constant('write' as const),
      target: fc.constant(null),
      fields: fc
        .tuple(fc.oneof(fc.constant('Spørgsmål'), text()), fc.oneof(fc.constant('Hej'), text(20_000)), invalidUtf8)
        .map(([s, b, raw]) => [['subject', s, raw] as FormField, ['body', b] as FormField]),
      files: fc.array(
        fc.record({
          name: fc.oneof(
            fc.constant('bilag.pdf'),
            nastyFilename.map((n) => n.slice(0, 300)),
          ),
          type: fc.constantFrom('application/pdf', 'image/png', 'text/plain', 'application/x-msdownload', ''),
          base64: fc.oneof(
            fc.uuid({ version: 4 }).map((id) => uniquePdf(id).toString('base64')),
            fc.constant(PNG.toString('base64')),
            nastyBase64,
          ),
        }),
        { maxLength: 3 },
      ),
    }),
    fc.record({
      form: fc.constant('api_key' as const),
      target: fc.constant(null),
      fields: fc.tuple(text(), invalidUtf8).map(([v, raw]) => [['label', v, raw] as FormField]),
      files: fc.constant<FormFile[]>([]),
    }),
    fc.record({
      form: fc.constant('email' as const),
      target: fc.constant(null),
      fields: fc
        .tuple(
          fc.oneof(
            text(400),
            fc.emailAddress(),
            fc.constantFrom(
              'a@b',
              'anna@eksempel.dk\u0000',
              ' anna@eksempel.dk',
              'anna@eksempel.dk\r\nBcc: x@y.z',
              '"a b"@c.dk',
              'anna@[127.0.0.1]',
            ),
          ),
          invalidUtf8,
        )
        .map(([v, raw]) => [['email', v, raw] as FormField]),
      files: fc.constant<FormFile[]>([]),
    }),
    fc.record({
      form: fc.constant('mobile' as const),
      target: fc.constant(null),
      fields: fc
        .tuple(
          fc.oneof(
            text(100),
            fc.constantFrom(
              '+4512345678',
              '12345678',
              '+45 12 34 56 78',
              '+4512345678\u0000',
              '+999999999999999999',
              '0045 1234 5678',
              '１２３４５６７８',
            ),
          ),
          invalidUtf8,
        )
        .map(([v, raw]) => [['mobile', v, raw] as FormField]),
      files: fc.constant<FormFile[]>([]),
    }),
    fc.record({
      form: fc.constant('incident' as const),
      target: fc.constant(null),
      fields: fc
        .tuple(
          text(1200),
          fc.oneof(fc.constantFrom('minor', 'major', 'critical'), text(30)),
          fc.oneof(fc.constantFrom('email', 'sms', 'mailbox'), text(30)),
          text(21_000),
          invalidUtf8,
        )
        .map(([title, severity, component, message, raw]) => [
          ['title', title, raw] as FormField,
          ['severity', severity] as FormField,
          ['components', component] as FormField,
          ['message', message] as FormField,
        ]),
      files: fc.constant<FormFile[]>([]),
    }),
    fc.record({
      form: fc.constant('maintenance' as const),
      target: fc.constant(null),
      fields: fc
        .tuple(
          text(1200),
          text(1000),
          fc.oneof(fc.constant('2026-12-01T10:00'), nastyDateTime),
          fc.oneof(fc.constant('2026-12-01T12:00'), nastyDateTime),
        )
        .map(([title, description, startsAt, endsAt]) => [
          ['title', title] as FormField,
          ['description', description] as FormField,
          ['components', 'email'] as FormField,
          ['startsAt', startsAt] as FormField,
          ['endsAt', endsAt] as FormField,
        ]),
      files: fc.constant<FormFile[]>([]),
    }),
  );

export const formInput: fc.Arbitrary<FuzzInput> = formCase.map((c) => ({
  path: 'form' as const,
  desc: `${c.form}${c.target === null ? '' : ` target ${show(c.target)}`}: ${c.fields.map(([n, v, raw]) => `${n}=${show(v)}${raw ?? ''}`).join(', ')}${c.files.length ? `; files ${c.files.map((f) => `${show(f.name)} ${f.type}`).join(', ')}` : ''}`,
  ...c,
}));
