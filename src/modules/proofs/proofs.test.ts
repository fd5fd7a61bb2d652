import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CompactSign, type JSONWebKeySet } from 'jose';
import { runKuvertCli } from '../../../test/support/cli.ts';
import { createPerson, createSender } from '../../../test/support/fixtures.ts';
import { eventually, sendAvailableLetter, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { publicEvidenceKeys } from '../audit/index.ts';
import { createSession } from '../identity/session.ts';
import { buildPrintBatches } from '../print/build-print-batch.ts';
import { confirmPrintBatch } from '../print/confirm-print-batch.ts';
import { parseProofArgs, runProofCommand } from './proof-cli.ts';
import { openProof } from './proof-document.ts';
import { verifyProofFile } from './verify-proof.ts';

const ANNA = '1503851234';
const BO = '0101901235';
const CARL = '2002901236';

let kuvert: TestKuvert;
let sender: Awaited<ReturnType<typeof createSender>>;
let otherSender: Awaited<ReturnType<typeof createSender>>;
let anna: { id: string; cookie: string; csrf: string };
let carl: { cookie: string };
let keys: JSONWebKeySet;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kuvert-proofs-'));

before(async () => {
  kuvert = await startTestKuvert();
  const db = kuvert.services.db;
  sender = await createSender(db, 'Horsens Kommune');
  otherSender = await createSender(db, 'Vejle Kommune');
  const person = await createPerson(db, ANNA, 'Anna Jensen');
  const bo = await createPerson(db, BO, 'Bo Hansen', 'exempted');
  await db
    .updateTable('recipient')
    .set({ address_lines: ['Bo Hansen', 'Søndergade 1'], postcode: '8700', city: 'Horsens' })
    .where('id', '=', bo.id)
    .execute();
  const carlPerson = await createPerson(db, CARL, 'Carl Nielsen');
  const session = await createSession(
    db,
    { kind: 'citizen', subject: 'test-anna', name: 'Anna Jensen', recipientId: person.id },
    null,
  );
  anna = { id: person.id, cookie: `kuvert_session=${session.sessionId}`, csrf: session.csrfToken };
  const carlSession = await createSession(
    db,
    { kind: 'citizen', subject: 'test-carl', name: 'Carl Nielsen', recipientId: carlPerson.id },
    null,
  );
  carl = { cookie: `kuvert_session=${carlSession.sessionId}` };
  keys = await publicEvidenceKeys(db);
});
after(async () => {
  await kuvert?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

async function api(path: string, key = sender.apiKey) {
  const response = await fetch(`${kuvert.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  const bytes = Buffer.from(await response.arrayBuffer());
  const json = response.headers.get('content-type')?.includes('json') ? JSON.parse(bytes.toString('utf8')) : null;
  return { status: response.status, headers: response.headers, bytes, json };
}

const page = (path: string, cookie = anna.cookie) =>
  fetch(`${kuvert.url}${path}`, { headers: { cookie }, redirect: 'manual' });

describe('signed proofs of a letter', () => {
  let letterId: string;
  let accepted: Buffer;

  before(async () => {
    letterId = await sendAvailableLetter(kuvert, sender.apiKey, ANNA, { label: 'Afgørelse om boligstøtte' });
  });

  test('the sender lists the facts that have happened and downloads a proof that verifies', async () => {
    const list = await api(`/api/v1/messages/${letterId}/proofs`);
    assert.equal(list.status, 200, JSON.stringify(list.json));
    assert.deepEqual(
      list.json.proofs.map((p: { fact: string }) => p.fact),
      ['accepted', 'available'],
    );
    assert.equal(list.json.proofs[0].url, `/api/v1/messages/${letterId}/proofs/accepted`);

    const download = await api(`/api/v1/messages/${letterId}/proofs/accepted`);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), 'application/pdf');
    assert.match(download.headers.get('content-disposition') ?? '', /kuvert-bevis-accepted-/);
    accepted = download.bytes;
    assert.equal(accepted.subarray(0, 5).toString('latin1'), '%PDF-');
    // PDF/A-2b is declared in the XMP metadata, and the full CPR number is nowhere in the file.
    assert.match(accepted.toString('latin1'), /<pdfaid:part>2<\/pdfaid:part>/);
    assert.doesNotMatch(accepted.toString('latin1'), new RegExp(ANNA));

    const verdict = await verifyProofFile(accepted, keys);
    assert.equal(verdict.valid, true);
    assert.ok(verdict.valid);
    assert.equal(verdict.claims.fact, 'accepted');
    assert.equal(verdict.claims.eventType, 'VALIDATED');
    assert.equal(verdict.claims.letter.id, letterId);
    assert.equal(verdict.claims.sender.name, 'Horsens Kommune');
    assert.equal(verdict.claims.recipient.masked, '150385-****');
    assert.equal(verdict.claims.letter.documents.length, 1);
    assert.match(verdict.claims.letter.documents[0]?.sha256 ?? '', /^[0-9a-f]{64}$/);
    assert.equal(verdict.kid, keys.keys[0]?.kid);
  });

  test('the same proof downloads byte for byte the same the second time', async () => {
    const again = await api(`/api/v1/messages/${letterId}/proofs/accepted`);
    assert.equal(again.status, 200);
    assert.ok(again.bytes.equals(accepted));
    const rows = await kuvert.services.db
      .selectFrom('letter_proof')
      .select('fact')
      .where('message_id', '=', letterId)
      .execute();
    assert.deepEqual(
      rows.map((r) => r.fact),
      ['accepted'],
    );
  });

  test('a byte changed in the PDF makes the proof invalid', async () => {
    const changed = Buffer.from(accepted);
    // A byte of the page content, well away from the signature slot.
    const at = changed.indexOf('stream', 0, 'latin1') + 20;
    changed[at] = (changed[at] as number) ^ 0x01;
    assert.deepEqual(await verifyProofFile(changed, keys), { valid: false, reason: 'modified' });
  });

  test('a changed signature, a forged one, and one removed are refused', async () => {
    const opened = openProof(accepted);
    assert.ok(opened);
    const slot = accepted.indexOf(opened.jws, 0, 'latin1');
    // The signature's last character changed.
    const tampered = Buffer.from(accepted);
    const last = slot + opened.jws.length - 2;
    tampered[last] = tampered[last] === 0x41 ? 0x42 : 0x41;
    assert.deepEqual(await verifyProofFile(tampered, keys), { valid: false, reason: 'bad_signature' });

    // A JWS with the same claims and header, signed by a key that is not Kuvert's.
    const { privateKey } = generateKeyPairSync('ed25519');
    const payload = Buffer.from(opened.jws.split('.')[1] as string, 'base64url');
    const forged = await new CompactSign(payload)
      .setProtectedHeader({ alg: 'EdDSA', kid: keys.keys[0]?.kid as string, typ: 'kuvert-proof+jwt' })
      .sign(privateKey);
    const withForgery = Buffer.from(accepted);
    withForgery.write(forged.padEnd(opened.jws.length + 200, ' '), slot, 'latin1');
    assert.deepEqual(await verifyProofFile(withForgery, keys), { valid: false, reason: 'bad_signature' });

    const removed = Buffer.from(accepted);
    removed.write(' '.repeat(opened.jws.length), slot, 'latin1');
    assert.deepEqual(await verifyProofFile(removed, keys), { valid: false, reason: 'not_a_proof' });
    assert.deepEqual(await verifyProofFile(Buffer.from('%PDF-1.7\nnot a proof'), keys), {
      valid: false,
      reason: 'not_a_proof',
    });
  });

  test('a fact that has not happened is 409, an unknown fact 404', async () => {
    const opened = await api(`/api/v1/messages/${letterId}/proofs/served`);
    assert.equal(opened.status, 409);
    assert.equal(opened.json.code, 'proof_fact_not_happened');
    const posted = await api(`/api/v1/messages/${letterId}/proofs/posted`);
    assert.equal(posted.status, 409);
    const unknown = await api(`/api/v1/messages/${letterId}/proofs/delivered`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.code, 'proof_unknown_fact');
  });

  test("another sender cannot list or fetch a letter's proofs: not found", async () => {
    const list = await api(`/api/v1/messages/${letterId}/proofs`, otherSender.apiKey);
    assert.equal(list.status, 404);
    const download = await api(`/api/v1/messages/${letterId}/proofs/accepted`, otherSender.apiKey);
    assert.equal(download.status, 404);
    assert.equal(download.json.code, 'not_found');
    const anonymous = await fetch(`${kuvert.url}/api/v1/messages/${letterId}/proofs/accepted`);
    assert.equal(anonymous.status, 401);
  });

  test('the event feed links the events that are facts to their proofs', async () => {
    const feed = await api('/api/v1/events?limit=1000');
    assert.equal(feed.status, 200);
    const events = feed.json.events.filter((e: { messageId: string }) => e.messageId === letterId);
    const byType = Object.fromEntries(events.map((e: { type: string; proofUrl?: string }) => [e.type, e.proofUrl]));
    assert.equal(byType.RECEIVED, undefined);
    assert.equal(byType.VALIDATED, `/api/v1/messages/${letterId}/proofs/accepted`);
    assert.equal(byType.AVAILABLE_TO_RECIPIENT, `/api/v1/messages/${letterId}/proofs/available`);
  });
});

describe('a legal notification: served and opened, on the letter page', () => {
  let letterId: string;

  before(async () => {
    letterId = await sendAvailableLetter(kuvert, sender.apiKey, ANNA, {
      label: 'Påbud om oprydning',
      legalNotification: true,
    });
  });

  test('before it is opened there is no proof of serving; after, the reader downloads it from the letter page', async () => {
    assert.equal((await api(`/api/v1/messages/${letterId}/proofs/served`)).status, 409);
    // Unopened, the reader gets no proof either (it names the documents): they are sent to the notice first.
    const early = await page(`/post/${letterId}/bevis/available`);
    assert.equal(early.status, 303);
    assert.equal(early.headers.get('location'), `/post/${letterId}`);
    const open = await fetch(`${kuvert.url}/post/${letterId}/aabn`, {
      method: 'POST',
      headers: { cookie: anna.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: anna.csrf }),
      redirect: 'manual',
    });
    assert.equal(open.status, 303);

    const html = await (await page(`/post/${letterId}`)).text();
    assert.match(html, /Beviser/);
    assert.match(html, new RegExp(`/post/${letterId}/bevis/served`));
    assert.match(html, new RegExp(`/post/${letterId}/bevis/opened`));
    assert.doesNotMatch(html, new RegExp(`/post/${letterId}/bevis/accepted`));

    const served = await page(`/post/${letterId}/bevis/served`);
    assert.equal(served.status, 200);
    const bytes = Buffer.from(await served.arrayBuffer());
    const verdict = await verifyProofFile(bytes, keys);
    assert.ok(verdict.valid);
    assert.equal(verdict.claims.fact, 'served');
    assert.equal(verdict.claims.letter.legalNotification, true);
    // The sender gets the very same file.
    const fromApi = await api(`/api/v1/messages/${letterId}/proofs/served`);
    assert.ok(fromApi.bytes.equals(bytes));
  });

  test('the reader is not given the sender’s acceptance; another citizen gets not found', async () => {
    const acceptedProof = await page(`/post/${letterId}/bevis/accepted`);
    assert.equal(acceptedProof.status, 409);
    assert.equal((await page(`/post/${letterId}/bevis/served`, carl.cookie)).status, 404);
    assert.equal((await page(`/post/${letterId}/bevis/served`, '')).status, 303);
  });
});

describe('a letter posted on paper', () => {
  test('the proof of posting names the print batch', async () => {
    const sent = await fetch(`${kuvert.url}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        recipient: { cpr: BO },
        label: 'Brev på papir',
        documents: [
          {
            title: 'Brev',
            filename: 'brev.txt',
            mediaType: 'text/plain',
            content: Buffer.from('Hej Bo').toString('base64'),
          },
        ],
      }),
    });
    const { id } = (await sent.json()) as { id: string };
    assert.equal(sent.status, 201);
    await eventually(async () => (await api(`/api/v1/messages/${id}`)).json.status === 'print_queued');
    assert.equal((await api(`/api/v1/messages/${id}/proofs/posted`)).status, 409);
    const built = await buildPrintBatches(kuvert.services);
    const batchId = built.batches[0]?.id as string;
    assert.ok(batchId, JSON.stringify(built));
    await confirmPrintBatch(kuvert.services, batchId);
    const proof = await api(`/api/v1/messages/${id}/proofs/posted`);
    assert.equal(proof.status, 200);
    const verdict = await verifyProofFile(proof.bytes, keys);
    assert.ok(verdict.valid);
    assert.equal(verdict.claims.printBatchId, batchId);
    assert.equal(verdict.claims.recipient.masked, '010190-****');
  });
});

describe('the public verification page /bevis', () => {
  let proof: Buffer;
  before(async () => {
    const id = await sendAvailableLetter(kuvert, sender.apiKey, ANNA);
    proof = (await api(`/api/v1/messages/${id}/proofs/available`)).bytes;
  });

  async function form() {
    const response = await fetch(`${kuvert.url}/bevis`);
    assert.equal(response.status, 200);
    const html = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] as string;
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
    return { html, token, cookie };
  }

  async function upload(file: Buffer, token: string, cookie: string) {
    const body = new FormData();
    body.append('_csrf', token);
    body.append('file', new Blob([file], { type: 'application/pdf' }), 'bevis.pdf');
    const response = await fetch(`${kuvert.url}/bevis`, { method: 'POST', body, headers: { cookie } });
    return { status: response.status, html: await response.text() };
  }

  test('without logging in, a valid proof is shown valid with its fact, a changed one invalid', async () => {
    const { html, token, cookie } = await form();
    assert.match(html, /Kontrollér et bevis/);
    const valid = await upload(proof, token, cookie);
    assert.equal(valid.status, 200, valid.html);
    assert.match(valid.html, /Beviset er gyldigt/);
    assert.match(valid.html, /Brevet er lagt i den digitale postkasse/);

    const changed = Buffer.from(proof);
    const at = changed.indexOf('stream', 0, 'latin1') + 20;
    changed[at] = (changed[at] as number) ^ 0x01;
    const invalid = await upload(changed, token, cookie);
    assert.equal(invalid.status, 422);
    assert.match(invalid.html, /Beviset er ikke gyldigt/);
    assert.match(invalid.html, /Filen er ændret/);
  });

  test('a form without its token (another site posting) is refused', async () => {
    const { token } = await form();
    const refused = await upload(proof, token, '');
    assert.equal(refused.status, 403);
    const { cookie } = await form();
    assert.equal((await upload(proof, 'wrong-token-wrong-token-wrong-tok', cookie)).status, 403);
  });
});

describe('kuvert proof verify', () => {
  const cli = (args: string[]) => runKuvertCli(['proof', ...args]);

  test('exit code 0 for a valid proof, 1 for a changed one, 2 for usage', async () => {
    const id = await sendAvailableLetter(kuvert, sender.apiKey, ANNA);
    const proof = (await api(`/api/v1/messages/${id}/proofs/accepted`)).bytes;
    const file = path.join(tmp, 'proof.pdf');
    const changedFile = path.join(tmp, 'changed.pdf');
    const keysFile = path.join(tmp, 'keys.json');
    writeFileSync(file, proof);
    const changed = Buffer.from(proof);
    const at = changed.indexOf('stream', 0, 'latin1') + 20;
    changed[at] = (changed[at] as number) ^ 0x01;
    writeFileSync(changedFile, changed);
    writeFileSync(
      keysFile,
      JSON.stringify(await (await fetch(`${kuvert.url}/.well-known/kuvert-evidence-keys.json`)).json()),
    );

    const valid = await cli(['verify', file, '--keys', keysFile]);
    assert.equal(valid.code, 0, valid.stdout);
    assert.match(valid.stdout, /^VALID/);
    assert.match(valid.stdout, /accepted \(VALIDATED\)/);
    const invalid = await cli(['verify', changedFile, '--keys', keysFile]);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stdout, /NOT VALID.*modified/);
    assert.equal((await cli(['verify'])).code, 2);
    // The same command in-process (each spawn starts the whole CLI, slow on a busy machine): an unreadable file is a
    // usage error, and without --keys the keys are the database's.
    const out = { stdout: () => {}, stderr: () => {} };
    const missing = { file: path.join(tmp, 'missing.pdf'), json: false };
    assert.equal(await runProofCommand(missing, keys, out), 2);
    assert.equal(await runProofCommand({ file, json: true }, await publicEvidenceKeys(kuvert.services.db), out), 0);
    assert.equal(typeof parseProofArgs(['verify', file, 'other.pdf']), 'string');
    assert.equal(typeof parseProofArgs(['sign', file]), 'string');
  });
});
