/**
 * The fuzz suite's Kuvert and its oracle: a real Kuvert (startTestKuvert: real PostgreSQL, real worker) with the
 * people, sender, sessions and contact point the generated inputs need, and `send`, which posts one input and returns
 * every broken promise it sees afterwards (an empty list when all is well):
 *   - no 5xx answer (and a refused API request is problem+json with a code; a refused form is an HTML page);
 *   - no partial rows: a refused request leaves the row counts of the tables it could write unchanged;
 *   - no orphan files: every file under the data folder's documents/ store has a `document` row, and every
 *     stored document's file exists;
 *   - a batch reaches a terminal state (never stuck in received/processing), completes, and its counts add up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { MemoMessage } from '../../src/modules/messages/memo/index.ts';
import { parseMemo } from '../../src/modules/messages/memo/index.ts';
import { api, citizen, senderStaff, type WebUser } from '../support/correspondence.ts';
import { createPerson, createSender, realMemoFile } from '../support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../support/kuvert.ts';
import { operatorSession } from '../support/status.ts';
import { ANNA, BO, CARL, EXAMPLE_CPR, type FormField, type FormFile, type FuzzInput } from './inputs.ts';

export interface Violation {
  /** Stable across inputs that fail the same way (for grouping): e.g. "json: 500 internal_error". */
  signature: string;
  detail: string;
}

export interface FuzzKuvert {
  kuvert: TestKuvert;
  apiKey: string;
  senderId: string;
  citizen: WebUser;
  staff: WebUser;
  operator: WebUser;
  folderId: string;
  contactPointId: string;
  /** The official MeMo examples, repaired to be valid letters (generators mutate these). */
  memoBases: MemoMessage[];
  /** How long a batch may take to reach a terminal state. */
  batchTimeoutMs: number;
  /** Lasting problems (orphan files, letters without documents) already blamed on an earlier input. */
  seen: Set<string>;
  stop(): Promise<void>;
}

const FIXTURES = new URL('../fixtures/memo/', import.meta.url);

async function memoBases(): Promise<MemoMessage[]> {
  const bases: MemoMessage[] = [];
  for (const name of ['MeMo_Full_Example.v12.xml', 'MeMo_Minimum_Example.v12.xml', 'MeMo_Full_Example.v11.xml']) {
    const { message } = await parseMemo(readFileSync(new URL(name, FIXTURES)));
    const body = message.body;
    if (!body) continue;
    const doc = (d: (typeof body)['mainDocument']) => ({
      ...d,
      files: d.files.map(realMemoFile),
      actions: d.actions.map((a) =>
        a.entryPoint ? { ...a, entryPoint: { url: a.entryPoint.url.replace(/^http:/, 'https:') } } : a,
      ),
    });
    bases.push({
      ...message,
      body: {
        ...body,
        mainDocument: doc(body.mainDocument),
        additionalDocuments: body.additionalDocuments.map(doc),
        technicalDocuments: body.technicalDocuments.map(doc),
      },
    });
  }
  return bases;
}

export async function startFuzzKuvert(): Promise<FuzzKuvert> {
  const kuvert = await startTestKuvert({ env: { KUVERT_BATCH_CHUNK: '3', LOG_LEVEL: 'error' }, logSink: errorLog });
  try {
    const db = kuvert.services.db;
    const sender = await createSender(db, 'Fuzz Kommune');
    for (const [cpr, name, enrolment] of [
      [BO, 'Bo', 'exempted'],
      [CARL, 'Carl', 'closed'],
      [EXAMPLE_CPR, 'Eksempel Modtager', 'automatic'],
    ] as const) {
      await createPerson(db, cpr, name, enrolment);
    }
    const anna = await citizen(kuvert, ANNA, 'Anna');
    const staff = await senderStaff(kuvert, sender.id, 'Fie');
    const operator = await operatorSession(kuvert.services);
    const folder = await fetch(`${kuvert.url}/post/mapper`, {
      method: 'POST',
      headers: { cookie: anna.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: anna.csrf, name: 'Skat' }),
      redirect: 'manual',
    });
    if (folder.status !== 303) throw new Error(`creating the fuzz folder answered ${folder.status}`);
    const folderRow = await db
      .selectFrom('mailbox_folder')
      .select('id')
      .where('name', '=', 'Skat')
      .executeTakeFirstOrThrow();
    const cp = await api(kuvert, sender.apiKey, 'POST', '/api/v1/contact-points', {
      name: 'Spørgsmål',
      description: 'Skriv til os',
      maxAttachments: 3,
      maxTotalBytes: 200_000,
      allowedMediaTypes: ['application/pdf', 'image/png'],
    });
    if (cp.status !== 201) throw new Error(`creating the contact point answered ${cp.status}`);
    return {
      kuvert,
      apiKey: sender.apiKey,
      senderId: sender.id,
      citizen: anna,
      staff,
      operator,
      folderId: folderRow.id,
      contactPointId: cp.body.id,
      memoBases: await memoBases(),
      batchTimeoutMs: Number(
        process.env.KUVERT_FUZZ_BATCH_TIMEOUT_MS ??
          (Number(process.env.KUVERT_FUZZ_RUNS ?? 0) > 1000 ? 30_000 : 15_000),
      ),
      seen: new Set(),
      stop: () => kuvert.stop(),
    };
  } catch (error) {
    await kuvert.stop();
    throw error;
  }
}

/** The server's error log lines since the last input (for naming the code behind a 5xx or a failed batch). */
const errorLines: string[] = [];
const errorLog = {
  write(line: string) {
    errorLines.push(line);
    if (errorLines.length > 50) errorLines.shift();
  },
};

/** The last logged error, as "message (first src/ frame)". */
function lastError(): string {
  for (const line of [...errorLines].reverse()) {
    try {
      const entry = JSON.parse(line) as { err?: { message?: string; stack?: string }; msg?: string };
      if (!entry.err) continue;
      const frame = /\(?(\/[^\s()]*\/src\/[^\s()]+)\)?/.exec(entry.err.stack ?? '')?.[1]?.replace(/^.*\/src\//, 'src/');
      return `${entry.err.message ?? entry.msg}${frame ? ` (at ${frame})` : ''}`;
    } catch {}
  }
  return '';
}

// ---------------------------------------------------------------- invariants

const COUNTED = [
  'message',
  'message_document',
  'message_action',
  'document',
  'batch',
  'batch_item_error',
  'inbound_message',
  'inbound_attachment',
  'mailbox_folder',
] as const;
type Fingerprint = Record<(typeof COUNTED)[number], number>;

async function fingerprint(fk: FuzzKuvert): Promise<Fingerprint> {
  const parts = COUNTED.map((t) => sql`(select count(*) from ${sql.table(t)})::int as ${sql.ref(t)}`);
  const { rows } = await sql<Fingerprint>`select ${sql.join(parts)}`.execute(fk.kuvert.services.db);
  return rows[0] as Fingerprint;
}

function changed(before: Fingerprint, after: Fingerprint): string[] {
  return COUNTED.filter((t) => before[t] !== after[t]).map((t) => `${t} ${before[t]}→${after[t]}`);
}

function storedFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else found.push(full);
    }
  };
  walk(root);
  return found;
}

/** Files in the store without a document row, and document rows without their file. */
async function fileProblems(fk: FuzzKuvert): Promise<Violation[]> {
  const root = path.join(fk.kuvert.services.config.dataDir, 'documents');
  const files = storedFiles(root);
  const rows = await fk.kuvert.services.db.selectFrom('document').select('sha256').execute();
  const known = new Set(rows.map((r) => r.sha256));
  const onDisk = new Set(files.map((f) => path.basename(f)));
  const problems: Violation[] = [];
  for (const file of files) {
    const name = path.basename(file);
    if (!known.has(name)) {
      problems.push({
        signature: name.endsWith('.tmp')
          ? 'temporary file left in the document store'
          : 'orphan file in the document store',
        detail: path.relative(root, file),
      });
    }
  }
  for (const sha of known) {
    if (!onDisk.has(sha)) problems.push({ signature: 'document row without its file', detail: sha });
  }
  return problems;
}

/** Letters (not NemSMS) without a document, or whose document rows do not add up. */
async function letterProblems(fk: FuzzKuvert): Promise<Violation[]> {
  const { rows } = await sql<{ id: string }>`
    select m.id from message m
    where m.message_type = 'DIGITALPOST' and not exists (select 1 from message_document d where d.message_id = m.id)
  `.execute(fk.kuvert.services.db);
  return rows.map((r) => ({ signature: 'a letter without documents', detail: r.id }));
}

// ---------------------------------------------------------------- sending

interface Answer {
  status: number;
  type: string;
  text: string;
}

async function answer(response: Response): Promise<Answer> {
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

function problemCode(a: Answer): string {
  try {
    const body = JSON.parse(a.text) as { code?: string; detail?: string };
    return body.code ?? '(no code)';
  } catch {
    return '(not JSON)';
  }
}

/** The violations of an API answer: 5xx, or a 4xx that is not problem+json with a code. */
function apiAnswerProblems(name: string, a: Answer): Violation[] {
  if (a.status >= 500) {
    return [{ signature: `${name}: ${a.status} ${problemCode(a)}`, detail: lastError() || a.text.slice(0, 300) }];
  }
  if (a.status >= 400 && (!a.type.startsWith('application/problem+json') || problemCode(a).startsWith('('))) {
    return [
      {
        signature: `${name}: ${a.status} answered without a problem+json code`,
        detail: `${a.type} ${a.text.slice(0, 200)}`,
      },
    ];
  }
  return [];
}

async function postApi(fk: FuzzKuvert, pathname: string, contentType: string, body: string | Buffer): Promise<Answer> {
  return answer(
    await fetch(`${fk.kuvert.url}${pathname}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fk.apiKey}`, 'content-type': contentType },
      body,
    }),
  );
}

async function sendLetter(fk: FuzzKuvert, input: Extract<FuzzInput, { path: 'json' | 'memo' }>): Promise<Violation[]> {
  const before = await fingerprint(fk);
  const body = input.path === 'memo' ? Buffer.from(input.body, input.encoding) : input.body;
  const a = await postApi(fk, '/api/v1/messages', input.contentType, body);
  const problems = apiAnswerProblems(input.path, a);
  const after = await fingerprint(fk);
  if (a.status >= 300) {
    // Refused (or failed): nothing of the letter may be left behind.
    const diff = changed(before, after);
    if (diff.length)
      problems.push({
        signature: `${input.path}: refused letter left rows`,
        detail: `${a.status}: ${diff.join(', ')}`,
      });
  } else if (a.status === 201 && after.message !== before.message + 1) {
    problems.push({
      signature: `${input.path}: 201 without one new message row`,
      detail: changed(before, after).join(', '),
    });
  }
  return problems;
}

async function waitForBatch(fk: FuzzKuvert, id: string) {
  const deadline = Date.now() + fk.batchTimeoutMs;
  for (;;) {
    const row = await fk.kuvert.services.db.selectFrom('batch').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || ['completed', 'cancelled', 'failed'].includes(row.state) || Date.now() > deadline) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function sendBatch(fk: FuzzKuvert, input: Extract<FuzzInput, { path: 'ndjson' | 'csv' }>): Promise<Violation[]> {
  const before = await fingerprint(fk);
  let a: Answer;
  if (input.path === 'ndjson') {
    a = await postApi(fk, '/api/v1/batches', 'application/x-ndjson', input.body);
  } else {
    const form = new FormData();
    form.append('template', input.template);
    form.append(
      'recipients',
      new Blob([Buffer.from(input.csv, input.csvEncoding)], { type: 'text/csv' }),
      'modtagere.csv',
    );
    form.append(
      'document',
      new Blob([Buffer.from(input.document.base64, 'base64')], { type: input.document.type }),
      input.document.name,
    );
    a = await answer(
      await fetch(`${fk.kuvert.url}/api/v1/batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fk.apiKey}` },
        body: form,
      }),
    );
  }
  const problems = apiAnswerProblems(input.path, a);
  if (a.status !== 202) {
    const diff = changed(before, await fingerprint(fk));
    if (a.status >= 300 && diff.length) {
      problems.push({ signature: `${input.path}: refused batch left rows`, detail: `${a.status}: ${diff.join(', ')}` });
    }
    return problems;
  }
  const receipt = JSON.parse(a.text) as { id: string; items: number };
  const batch = await waitForBatch(fk, receipt.id);
  if (!batch) return [...problems, { signature: `${input.path}: accepted batch has no row`, detail: receipt.id }];
  if (!['completed', 'cancelled', 'failed'].includes(batch.state)) {
    problems.push({
      signature: `${input.path}: batch stuck in ${batch.state}`,
      detail: `${fk.batchTimeoutMs} ms after submission; ${batch.lines_done}/${batch.lines_total} lines done; ${lastError()}`,
    });
    // Let it go: cancel, so it does not disturb the inputs after it.
    await fk.kuvert.services.db.updateTable('batch').set({ state: 'cancelled' }).where('id', '=', batch.id).execute();
    return problems;
  }
  if (batch.state !== 'completed') {
    problems.push({ signature: `${input.path}: batch ${batch.state}`, detail: batch.failure ?? lastError() });
  }
  const after = await fingerprint(fk);
  const errors = await fk.kuvert.services.db
    .selectFrom('batch_item_error')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('batch_id', '=', batch.id)
    .executeTakeFirstOrThrow();
  const sums = [
    batch.lines_total === receipt.items ? '' : `lines_total ${batch.lines_total} ≠ items answered ${receipt.items}`,
    batch.state !== 'completed' || batch.lines_done === batch.lines_total
      ? ''
      : `lines_done ${batch.lines_done} ≠ lines_total ${batch.lines_total}`,
    batch.state !== 'completed' || batch.accepted + batch.duplicates + batch.failed === batch.lines_total
      ? ''
      : `accepted ${batch.accepted} + duplicates ${batch.duplicates} + failed ${batch.failed} ≠ lines ${batch.lines_total}`,
    Number(errors.n) === batch.failed ? '' : `${errors.n} error rows ≠ failed ${batch.failed}`,
    after.message - before.message === batch.accepted
      ? ''
      : `${after.message - before.message} new messages ≠ accepted ${batch.accepted}`,
  ].filter(Boolean);
  if (sums.length) problems.push({ signature: `${input.path}: batch counts do not add up`, detail: sums.join('; ') });
  return problems;
}

/** application/x-www-form-urlencoded, byte for byte (lone surrogates become U+FFFD, as a browser sends them). */
const pct = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9*\-._]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

function urlencoded(fields: FormField[]): string {
  return fields.map(([name, value, raw]) => `${pct(name)}=${pct(value)}${raw ?? ''}`).join('&');
}

const FORM_PATHS: Record<
  Exclude<FuzzInput & { path: 'form' }, never>['form'],
  (
    fk: FuzzKuvert,
    target: string | null,
  ) => { path: string; user: keyof Pick<FuzzKuvert, 'citizen' | 'staff' | 'operator'> }
> = {
  folder_create: () => ({ path: '/post/mapper', user: 'citizen' }),
  folder_rename: (fk, target) => ({
    path: `/post/mapper/${target === null ? fk.folderId : pct(target)}`,
    user: 'citizen',
  }),
  search: () => ({ path: '/post/soeg', user: 'citizen' }),
  write: (fk) => ({ path: `/post/skriv/${fk.contactPointId}`, user: 'citizen' }),
  api_key: () => ({ path: '/afsender/api-noegler', user: 'staff' }),
  email: () => ({ path: '/indstillinger/kontakt/email', user: 'citizen' }),
  mobile: () => ({ path: '/indstillinger/kontakt/mobil', user: 'citizen' }),
  incident: () => ({ path: '/drift/styring/haendelser', user: 'operator' }),
  maintenance: () => ({ path: '/drift/styring/vedligeholdelse', user: 'operator' }),
};

async function sendForm(fk: FuzzKuvert, input: Extract<FuzzInput, { path: 'form' }>): Promise<Violation[]> {
  const { path: pathname, user: who } = FORM_PATHS[input.form](fk, input.target);
  const user = fk[who];
  const before = await fingerprint(fk);
  const headers = { cookie: user.cookie, 'x-csrf-token': user.csrf };
  const answers: Answer[] = [];
  if (input.form === 'search') {
    // The search box is a GET form today (input helpers may make it a POST): send both, each must hold.
    const query = urlencoded(input.fields);
    answers.push(await answer(await fetch(`${fk.kuvert.url}${pathname}?${query}`, { headers, redirect: 'manual' })));
  }
  // (The search is also posted below: a 404/405 there is fine while it is a GET form.)
  if (input.form === 'write') {
    const form = new FormData();
    form.append('_csrf', user.csrf);
    for (const [name, value] of input.fields) form.append(name, value);
    for (const file of input.files as FormFile[]) {
      form.append('attachments', new Blob([Buffer.from(file.base64, 'base64')], { type: file.type }), file.name);
    }
    answers.push(
      await answer(
        await fetch(`${fk.kuvert.url}${pathname}`, { method: 'POST', headers, body: form, redirect: 'manual' }),
      ),
    );
  } else {
    const body = urlencoded([['_csrf', user.csrf], ...input.fields]);
    answers.push(
      await answer(
        await fetch(`${fk.kuvert.url}${pathname}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          body,
          redirect: 'manual',
        }),
      ),
    );
  }
  const problems: Violation[] = [];
  for (const [i, a] of answers.entries()) {
    const how = input.form === 'search' ? (i === 0 ? 'GET ' : 'POST ') : '';
    if (a.status >= 500) {
      problems.push({
        signature: `form ${how}${input.form}: ${a.status}`,
        detail: lastError() || a.text.replace(/\s+/g, ' ').slice(0, 300),
      });
    } else if (a.status >= 400 && a.status !== 404 && a.status !== 405 && !a.type.startsWith('text/html')) {
      problems.push({
        signature: `form ${how}${input.form}: ${a.status} answered without a page`,
        detail: `${a.type} ${a.text.slice(0, 200)}`,
      });
    }
  }
  const refused = answers.some((a) => a.status >= 400);
  const diff = changed(before, await fingerprint(fk));
  if (refused && diff.length && input.form !== 'search') {
    problems.push({
      signature: `form ${input.form}: refused form left rows`,
      detail: `${answers.map((a) => a.status).join('/')}: ${diff.join(', ')}`,
    });
  }
  return problems;
}

/** Sends one input and returns what went wrong (an empty list when every invariant holds). */
export async function send(fk: FuzzKuvert, input: FuzzInput): Promise<Violation[]> {
  errorLines.length = 0;
  let problems: Violation[];
  try {
    problems =
      input.path === 'json' || input.path === 'memo'
        ? await sendLetter(fk, input)
        : input.path === 'form'
          ? await sendForm(fk, input)
          : await sendBatch(fk, input);
  } catch (error) {
    // The connection died or the answer could not be read: as bad as a 5xx.
    problems = [
      {
        signature: `${input.path}: request failed (${(error as Error).name})`,
        detail: String((error as Error).message),
      },
    ];
    const alive = await fetch(`${fk.kuvert.url}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (!alive) problems.push({ signature: 'Kuvert stopped answering', detail: 'GET /healthz failed after the input' });
  }
  // An orphan stays an orphan: blame only the input after which it appeared.
  const lasting = [...(await fileProblems(fk)), ...(await letterProblems(fk))].filter((p) => {
    const key = `${p.signature}|${p.detail}`;
    if (fk.seen.has(key)) return false;
    fk.seen.add(key);
    return true;
  });
  return [...problems, ...lasting];
}
