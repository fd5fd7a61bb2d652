/**
 * XSD validation of MeMo documents with libxml2 (libxml2-wasm: libxml2 compiled to WebAssembly, so no native build
 * and no download at install or run time). Schemas are read from data/memo/ in this repository: the official 1.1
 * set, and the 1.2 set adapted from it (see data/memo/README.md).
 *
 * One long-lived worker thread (xsd-host.mjs) compiles both schema sets once and validates every document after
 * that: ~1 ms for a small message instead of the ~100 ms that starting xmllint per call cost, and off the event loop.
 */
import { Worker } from 'node:worker_threads';
import type { MemoIssue } from './memo-errors.ts';
import type { MemoVersion } from './memo-model.ts';

export interface SchemaVerdict {
  /** 'valid', or why not: libxml2 could not parse it ('malformed') or it breaks the schema ('invalid'). */
  outcome: 'valid' | 'malformed' | 'invalid';
  issues: MemoIssue[];
}

const SCHEMA_ROOT = new URL('../../../../data/memo/', import.meta.url);

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

/** An issue as libxml2 reported it, with namespaces shown as prefixes and the element named when it is known. */
function issueOf(raw: { line: number; message: string }): MemoIssue {
  const message = qualified(raw.message);
  const element = /^Element '([^']+)'/.exec(message)?.[1];
  return { line: raw.line, ...(element ? { element } : {}), message };
}

const BATCH_BYTES = 32 * 1024 * 1024;
const BATCH_COUNT = 500;

/** Validates one document (UTF-8 text without DOCTYPE; run prescanMemo first) against the MeMo XSD of `version`. */
export async function validateMemoSchema(text: string, version: MemoVersion): Promise<SchemaVerdict> {
  const [verdict] = await validateMemoSchemaBatch([text], version);
  if (!verdict) throw new Error('libxml2 returned no verdict');
  return verdict;
}

/** Validates many documents of one version, a bounded amount per message to the thread; verdicts in input order. */
export async function validateMemoSchemaBatch(texts: string[], version: MemoVersion): Promise<SchemaVerdict[]> {
  const out: SchemaVerdict[] = [];
  let start = 0;
  while (start < texts.length) {
    let end = start;
    let bytes = 0;
    do {
      bytes += texts[end]?.length ?? 0;
      end++;
    } while (end < texts.length && end - start < BATCH_COUNT && bytes + (texts[end]?.length ?? 0) <= BATCH_BYTES);
    const verdicts = await runInHost(version, texts.slice(start, end));
    for (const v of verdicts) out.push({ outcome: v.outcome, issues: v.issues.map(issueOf) });
    start = end;
  }
  return out;
}

type RawVerdict = { outcome: SchemaVerdict['outcome']; issues: { line: number; message: string }[] };

/** The long-lived validator thread; started on first use (or by warmMemoValidator), unref'd while idle. */
let host: Worker | undefined;
const pending = new Map<number, { resolve: (verdicts: RawVerdict[]) => void; reject: (error: Error) => void }>();
let nextId = 0;

function startHost(): Worker {
  if (host) return host;
  const worker = new Worker(new URL('./xsd-host.mjs', import.meta.url), {
    execArgv: [],
    workerData: { schemaRoot: SCHEMA_ROOT.href },
  });
  worker.on('message', (message: { id?: number; verdicts?: RawVerdict[]; error?: string }) => {
    if (message.id === undefined) return;
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiting?.reject(new Error(`MeMo schema validation failed: ${message.error}`));
    else waiting?.resolve(message.verdicts ?? []);
    if (pending.size === 0) worker.unref();
  });
  const fail = (error: Error) => {
    if (host === worker) host = undefined;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  // The thread's death is no fault of the letters waiting: marked transient, so a batch retries them later.
  worker.on('error', (error) => fail(Object.assign(error, { transient: true })));
  worker.on('exit', (code) =>
    fail(Object.assign(new Error(`The MeMo validator thread exited (code ${code}).`), { transient: true })),
  );
  // After the listeners (adding one refs the thread again): an idle validator never keeps the process alive.
  worker.unref();
  host = worker;
  return worker;
}

/** Starts the validator thread now (it compiles the schemas, ~50 ms), so the first letter does not wait for it. */
export function warmMemoValidator(): void {
  startHost();
}

/**
 * Stops the validator thread, at shutdown: it frees libxml2's memory and ends by itself. Node 24 can crash when it
 * tears down this thread from outside, whether by terminate() or at process exit (V8 "Check failed: (location_) !=
 * nullptr", the process killed by SIGTRAP instead of exiting 0). Letters still being validated are rejected; the
 * next use starts a new thread.
 */
export async function stopMemoValidator(timeoutMs = 5000): Promise<void> {
  const worker = host;
  if (!worker) return;
  host = undefined;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.ref();
  worker.postMessage({ stop: true });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  try {
    if ((await Promise.race([exited, late])) === 'late') await worker.terminate();
  } finally {
    clearTimeout(timer);
  }
}

function runInHost(version: MemoVersion, texts: string[]): Promise<RawVerdict[]> {
  const worker = startHost();
  const id = nextId++;
  worker.ref();
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, version, texts });
  });
}
