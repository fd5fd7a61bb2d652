import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createPerson, createSender, letterBody } from '../../../test/support/fixtures.ts';
import { eventually, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import type { Actor } from '../../kernel/actor.ts';
import { createSession } from '../identity/session.ts';

const BO = '0101901235';

let kuvert: TestKuvert;
let ours: Awaited<ReturnType<typeof createSender>>;
let theirs: Awaited<ReturnType<typeof createSender>>;
type Who = { cookie: string; csrf: string };
let staff: Who;
let otherStaff: Who;

async function login(actor: Actor): Promise<Who> {
  const { sessionId, csrfToken } = await createSession(kuvert.services.db, actor, null);
  return { cookie: `kuvert_session=${sessionId}`, csrf: csrfToken };
}

async function get(path: string, who: Who) {
  const response = await fetch(`${kuvert.url}${path}`, { headers: { cookie: who.cookie }, redirect: 'manual' });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Uploads an NDJSON file through the portal's form, as a browser sends it. */
async function upload(who: Who, ndjson: string, csrf: string | null = who.csrf) {
  const form = new FormData();
  if (csrf !== null) form.append('_csrf', csrf);
  form.append('file', new Blob([ndjson], { type: 'application/x-ndjson' }), 'breve.ndjson');
  const response = await fetch(`${kuvert.url}/afsender/masseforsendelser`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: who.cookie },
    body: form,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const batchCount = async () => (await kuvert.services.db.selectFrom('batch').select('id').execute()).length;
const line = (overrides: Record<string, unknown>) =>
  JSON.stringify({ messageUuid: randomUUID(), ...letterBody(BO, overrides) });

before(async () => {
  kuvert = await startTestKuvert();
  ours = await createSender(kuvert.services.db, 'Udbetaling Danmark');
  theirs = await createSender(kuvert.services.db, 'Region Sjælland');
  await createPerson(kuvert.services.db, BO, 'Bo Hansen');
  staff = await login({
    kind: 'sender_staff',
    subject: 'ud',
    name: 'Lars Andersen',
    staffId: randomUUID(),
    senderId: ours.id,
  });
  otherStaff = await login({
    kind: 'sender_staff',
    subject: 'rs',
    name: 'Mette Berg',
    staffId: randomUUID(),
    senderId: theirs.id,
  });
});
after(async () => kuvert?.stop());

/** Submits a batch with the batches module's own use case, under the sender's API key, as its API does. */
async function submitThroughApi(ndjson: string): Promise<string> {
  const { submitBatch } = await import('../messages/batches/submit-batch.ts');
  const { Readable } = await import('node:stream');
  const result = await submitBatch(
    kuvert.services,
    kuvert.services.config.batches,
    { senderId: ours.id, apiKeyId: ours.apiKeyId },
    Readable.from([Buffer.from(ndjson)]),
  );
  return result.id;
}

test('staff follow a batch on its page until it is done, with refused lines listed and no CPR shown', {
  timeout: 60_000,
}, async () => {
  const id = await submitThroughApi(
    [
      line({ label: 'Pension 1' }),
      line({ label: 'Pension 2', recipient: { cpr: '3213991234' } }),
      line({ label: 'Pension 3' }),
    ].join('\n'),
  );
  const location = `/afsender/masseforsendelser/${id}`;
  const first = await get(location, staff);
  assert.equal(first.status, 200);
  assert.match(first.text, /<progress[^>]*max="100"/);
  const done = await eventually(async () => {
    const page = await get(location, staff);
    return /Færdig/.test(page.text) ? page : null;
  }, 30_000);
  assert.doesNotMatch(done.text, /http-equiv="refresh"/, 'a finished batch stops refreshing');
  assert.match(done.text, /<progress[^>]*value="100"/);
  assert.match(done.text, /3 af 3 breve behandlet/);
  const errorRow = done.text.split('<tr').find((r) => r.includes('data-title="Linje"')) ?? '';
  assert.match(errorRow, />2</, 'the refused line is named by its number');
  assert.match(errorRow, /invalid_cpr/);
  assert.doesNotMatch(done.text, /3213991234|0101901235/, 'no CPR numbers on the page');
  assert.equal((await get(location, otherStaff)).status, 404, 'another sender’s staff cannot see the batch');
  assert.equal((await get(`/afsender/masseforsendelser/${randomUUID()}`, staff)).status, 404);
});

test('a batch uploaded in the portal is sent, its page shows progress until done, and refused lines are listed', {
  timeout: 60_000,
}, async () => {
  const ndjson = [
    line({ label: 'Boligstøtte 1' }),
    line({ label: 'Boligstøtte 2' }),
    line({ label: 'Boligstøtte 3', recipient: { cpr: '3213991234' } }),
  ].join('\n');
  const sent = await upload(staff, ndjson);
  assert.equal(sent.status, 303, sent.text);
  const location = sent.headers.get('location') ?? '';
  const id = /^\/afsender\/masseforsendelser\/([0-9a-f-]{36})$/.exec(location)?.[1] as string;
  assert.ok(id, location);
  const audit = await kuvert.services.db
    .selectFrom('audit_event')
    .select(['actor_kind'])
    .where('subject_id', '=', id)
    .where('action', '=', 'batch.submit')
    .executeTakeFirstOrThrow();
  assert.equal(audit.actor_kind, 'sender_staff', 'the upload is audited as the staff member’s');

  const first = await get(location, staff);
  assert.equal(first.status, 200);
  assert.match(first.text, /<progress[^>]*max="100"/);

  const done = await eventually(async () => {
    const page = await get(location, staff);
    return /Færdig/.test(page.text) ? page : null;
  }, 30_000);
  assert.doesNotMatch(done.text, /http-equiv="refresh"/, 'a finished batch stops refreshing');
  assert.match(done.text, /<progress[^>]*value="100"/);
  assert.match(done.text, /3 af 3 breve behandlet/);
  const errorRow = done.text.split('<tr').find((r) => r.includes('data-title="Linje"')) ?? '';
  assert.match(errorRow, />3</, 'the refused line is named by its number');
  assert.match(errorRow, /invalid_cpr/);
  assert.doesNotMatch(done.text, /3213991234|0101901235/, 'no CPR numbers on the page');

  const letters = await kuvert.services.db
    .selectFrom('message')
    .select('label')
    .where('sender_id', '=', ours.id)
    .where('label', 'like', 'Boligstøtte%')
    .execute();
  assert.deepEqual(letters.map((l) => l.label).sort(), ['Boligstøtte 1', 'Boligstøtte 2']);

  assert.equal((await get(location, otherStaff)).status, 404, 'another sender’s staff cannot see the batch');
});

test('a running batch page refreshes itself every 2 seconds without JavaScript and shows how far it is', async () => {
  // A batch in the middle of its run, held by a (pretend) worker's lease so no real worker takes it.
  const id = randomUUID();
  await kuvert.services.db
    .insertInto('batch')
    .values({
      id,
      sender_id: ours.id,
      api_key_id: ours.apiKeyId,
      format: 'ndjson',
      spool_path: '/nonexistent/items.ndjson',
      size_bytes: 1000,
      lines_total: 10,
      lines_done: 4,
      accepted: 4,
      state: 'processing',
      lease_owner: randomUUID(),
      lease_until: new Date(Date.now() + 3600_000),
      started_at: new Date(),
    } as never)
    .execute();
  const page = await get(`/afsender/masseforsendelser/${id}`, staff);
  assert.equal(page.status, 200);
  assert.match(page.text, /<meta http-equiv="refresh" content="2"\/?>/);
  assert.match(page.text, /<progress[^>]*value="40"/);
  assert.match(page.text, /4 af 10 breve behandlet \(40 %\)/);
  assert.match(page.text, /Behandles/);
});

test('an upload without the CSRF token is refused and stores no batch', async () => {
  const before = await batchCount();
  const refused = await upload(staff, line({ label: 'Snyd' }), null);
  assert.equal(refused.status, 403);
  assert.equal(await batchCount(), before);
});

test('an empty file is explained on the page', async () => {
  const empty = await upload(staff, '\n\n');
  assert.equal(empty.status, 400);
  assert.match(empty.text, /Filen indeholder ingen breve/);
});

test('a tar.gz of MeMo files uploaded in the portal is sent like one sent through the API', {
  timeout: 60_000,
}, async () => {
  const { memoXml, tarOf } = await import('../../../test/support/batches.ts');
  const uuids = [randomUUID(), randomUUID()];
  const archive = await tarOf(
    uuids.map((uuid, i) => [`post/${i}.xml`, memoXml(uuid, BO, { label: `MeMo-brev ${i}` })]),
    true,
  );
  const form = new FormData();
  form.append('_csrf', staff.csrf);
  form.append('file', new Blob([new Uint8Array(archive)], { type: 'application/gzip' }), 'breve.tar.gz');
  const sent = await fetch(`${kuvert.url}/afsender/masseforsendelser`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: staff.cookie },
    body: form,
  });
  assert.equal(sent.status, 303, await sent.text());
  const location = sent.headers.get('location') ?? '';
  const done = await eventually(async () => {
    const page = await get(location, staff);
    return /Færdig/.test(page.text) ? page : null;
  }, 30_000);
  assert.match(done.text, /2 af 2 breve behandlet/);
  const letters = await kuvert.services.db
    .selectFrom('message')
    .select(['message_uuid', 'memo_version'])
    .where('message_uuid', 'in', uuids)
    .execute();
  assert.equal(letters.length, 2);
  assert.ok(letters.every((l) => l.memo_version === '1.2'));
});
