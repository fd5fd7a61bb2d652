/**
 * XSD validation of MeMo documents with libxml2 (xmllint-wasm: libxml2 compiled to WebAssembly, so no native build
 * and no download at install or run time; it needs only Node's worker_threads). Schemas are read from data/memo/ in
 * this repository: the official 1.1 set, and the 1.2 set adapted from it (see data/memo/README.md).
 *
 * Each xmllint run starts a worker thread and instantiates the wasm module: ~80-100 ms per run on this project's
 * 2-core machine, off the event loop; validating itself is ~2 ms per message. So validateMemoSchemaBatch validates
 * many documents in one run, for bulk sending. Runs go through one long-lived host thread (xmllint-host.mjs).
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { memoryPages, type XMLFileInfo, type XMLLintOptions } from 'xmllint-wasm';
import type { MemoIssue } from './memo-errors.ts';
import type { MemoVersion } from './memo-model.ts';

export interface SchemaVerdict {
  /** 'valid', or why not: libxml2 could not parse it ('malformed') or it breaks the schema ('invalid'). */
  outcome: 'valid' | 'malformed' | 'invalid';
  issues: MemoIssue[];
}

const SCHEMA_ROOT = new URL('../../../../data/memo/', import.meta.url);
const schemaSets = new Map<MemoVersion, Promise<{ schema: XMLFileInfo; preload: XMLFileInfo[] }>>();

function loadSchemaSet(version: MemoVersion) {
  let set = schemaSets.get(version);
  if (!set) {
    set = (async () => {
      const dir = new URL(`xsd-${version}/`, SCHEMA_ROOT);
      const names = (await readdir(fileURLToPath(dir))).filter((name) => name.endsWith('.xsd')).sort();
      const files = await Promise.all(
        names.map(async (fileName) => ({ fileName, contents: await readFile(new URL(fileName, dir), 'utf8') })),
      );
      const schema = files.find((f) => f.fileName === 'MeMo_core.xsd');
      if (!schema) throw new Error(`MeMo_core.xsd is missing from ${fileURLToPath(dir)}`);
      return { schema, preload: files.filter((f) => f !== schema) };
    })();
    set.catch(() => schemaSets.delete(version));
    schemaSets.set(version, set);
  }
  return set;
}

/** Namespaces of the MeMo schemas, shown in messages by the prefixes the official examples use. */
const PREFIXES: Record<string, string> = {
  'https://DigitalPost.dk/MeMo-1': 'memo',
  'https://data.gov.dk/model/core/': 'grd',
  'https://data.gov.dk/model/dataTypes/': 'dt',
  'http://kle-online.dk/': 'kle',
  'http://www.form-online.dk/': 'form',
  'https://motorregister.skat.dk/': 'dmv',
  'https://www.gs1.dk/gs1-standarder/identifikation/gln-global-location-number/': 'gln',
  'https://www.dst.dk/da/TilSalg/Forskningsservice/Dokumentation/hoejkvalitetsvariable/elevregister-2/udd#': 'udd',
  'https://services.nsi.dk/en/Services/SOR': 'sor',
};

const qualified = (name: string) =>
  name.replace(/\{([^}]*)\}([\w.-]+)/g, (whole, ns: string, local: string) => {
    const prefix = PREFIXES[ns];
    return prefix ? `${prefix}:${local}` : whole;
  });

/**
 * Per-file verdicts from xmllint's stderr: "<file>:<line>: <kind> error : <message>", "<file> validates". Parser
 * errors also echo the offending document line, which a sender controls, so a file counts as valid only when it
 * has a "validates" line and no error line at all: a forged line can only make a document fail, never pass.
 */
function verdicts(names: string[], output: string): Map<string, SchemaVerdict> {
  const issues = new Map<string, SchemaVerdict>();
  const validated = new Set<string>();
  const known = new Set(names);
  for (const line of output.split('\n')) {
    const located = /^(\S+?\.xml):(\d+): (.*)$/.exec(line);
    if (located && known.has(located[1] ?? '')) {
      const [, file = '', lineNo = '0', raw = ''] = located;
      const verdict = issues.get(file) ?? { outcome: 'invalid', issues: [] };
      const kind = /^(?:element \S+: )?(parser|namespace|Schemas validity|\w+) (?:error|warning) : /.exec(raw);
      if (kind?.[1] === 'parser' || kind?.[1] === 'namespace') verdict.outcome = 'malformed';
      const message = qualified(kind ? raw.slice(kind[0].length) : raw);
      const element = /^Element '([^']+)'/.exec(message)?.[1] ?? /^element (\S+):/.exec(raw)?.[1];
      verdict.issues.push({ line: Number(lineNo), ...(element ? { element } : {}), message });
      issues.set(file, verdict);
      continue;
    }
    const valid = /^(\S+?\.xml) validates$/.exec(line)?.[1];
    if (valid && known.has(valid)) validated.add(valid);
  }
  const result = new Map(issues);
  for (const file of validated) if (!result.has(file)) result.set(file, { outcome: 'valid', issues: [] });
  return result;
}

const BATCH_BYTES = 32 * 1024 * 1024;
const BATCH_COUNT = 500;

/** Validates one document (UTF-8 text without DOCTYPE; run prescanMemo first) against the MeMo XSD of `version`. */
export async function validateMemoSchema(text: string, version: MemoVersion): Promise<SchemaVerdict> {
  const [verdict] = await validateMemoSchemaBatch([text], version);
  if (!verdict) throw new Error('xmllint returned no verdict');
  return verdict;
}

/** Validates many documents of one version, in as few xmllint runs as memory allows; verdicts in input order. */
export async function validateMemoSchemaBatch(texts: string[], version: MemoVersion): Promise<SchemaVerdict[]> {
  const out: SchemaVerdict[] = [];
  let start = 0;
  while (start < texts.length) {
    let end = start;
    let bytes = 0;
    do {
      bytes += Buffer.byteLength(texts[end] ?? '', 'utf8');
      end++;
    } while (end < texts.length && end - start < BATCH_COUNT && bytes + (texts[end]?.length ?? 0) <= BATCH_BYTES);
    out.push(...(await runXmllint(texts.slice(start, end), version, bytes)));
    start = end;
  }
  return out;
}

async function runXmllint(texts: string[], version: MemoVersion, bytes: number): Promise<SchemaVerdict[]> {
  const { schema, preload } = await loadSchemaSet(version);
  const names = texts.map((_, i) => `message-${i}.xml`);
  // libxml2 keeps the document tree in wasm memory: room for the schemas plus a few times the input.
  const maxMemoryPages = Math.min(
    memoryPages.max,
    Math.max(memoryPages.defaultMaxMemoryPages, Math.ceil((64 * 1024 * 1024 + 6 * bytes) / 65536)),
  );
  const output = await runInHost({
    xml: texts.map((contents, i) => ({ fileName: names[i] ?? '', contents })),
    schema,
    preload,
    maxMemoryPages,
  });
  const found = verdicts(names, output);
  return names.map((name) => {
    const verdict = found.get(name);
    if (!verdict) throw new Error(`xmllint gave no verdict for a MeMo document: ${output.slice(0, 500)}`);
    return verdict;
  });
}

/** The long-lived host thread for xmllint-host.mjs; started on first use, unref'd while idle. */
let host: Worker | undefined;
const pending = new Map<number, { resolve: (output: string) => void; reject: (error: Error) => void }>();
let nextId = 0;

function runInHost(options: XMLLintOptions): Promise<string> {
  if (!host) {
    const worker = new Worker(new URL('./xmllint-host.mjs', import.meta.url), { execArgv: [] });
    worker.on('message', ({ id, output }: { id: number; output: string }) => {
      pending.get(id)?.resolve(output);
      pending.delete(id);
      if (pending.size === 0) worker.unref();
    });
    const fail = (error: Error) => {
      if (host === worker) host = undefined;
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The xmllint host thread exited (code ${code}).`)));
    host = worker;
  }
  const worker = host;
  const id = nextId++;
  worker.ref();
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, options });
  });
}
