import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { JSONWebKeySet } from 'jose';
import { createResident, getPage, sessionFor } from '../../../test/support/access.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { loadMunicipalities } from '../../db/municipalities.ts';
import {
  createAuditCheckpoint,
  type PublishedCheckpoint,
  publicEvidenceKeys,
  recordAudit,
  verifyAuditExport,
} from '../audit/index.ts';
import { grantAccess } from './grant-access.ts';

let kuvert: TestKuvert;

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  await loadMunicipalities(kuvert.services.db);
});
after(async () => {
  await kuvert?.stop();
});

test("the owner downloads their mailbox's signed log, which verifies; a grantee and staff cannot", async () => {
  const db = kuvert.services.db;
  const lise = await createResident(db, '1212801111', 'Lise Log');
  const mads = await createResident(db, '1303801111', 'Mads Modtager');
  await grantAccess(kuvert.services, lise, {
    mailboxId: lise.recipientId,
    cpr: '1303801111',
    name: 'Mads Modtager',
    level: 'read',
  });
  await recordAudit(db, {
    actorKind: 'citizen',
    actorId: mads.recipientId,
    action: 'message.open',
    subjectType: 'message',
    subjectId: 'letter-1',
    mailboxRecipientId: lise.recipientId,
  });
  await createAuditCheckpoint(db);

  const owner = await sessionFor(db, lise);
  const log = await getPage(kuvert.url, '/post/aktivitet', owner.cookie);
  assert.match(log.text, /href="\/post\/aktivitet\/eksport"/);
  assert.match(log.text, /kuvert audit verify --file/);
  const download = await getPage(kuvert.url, '/post/aktivitet/eksport', owner.cookie);
  assert.equal(download.status, 200);
  assert.match(download.headers.get('content-disposition') ?? '', /^attachment; filename="kuvert-aktivitet-/);
  const exported = JSON.parse(download.text);
  assert.equal(exported.mailbox, lise.recipientId);
  assert.deepEqual(
    exported.events.map((e: { action: string }) => e.action),
    ['access.grant', 'message.open'],
  );
  assert.ok(exported.checkpointJws);
  const keys = (await (await fetch(`${kuvert.url}/.well-known/kuvert-evidence-keys.json`)).json()) as JSONWebKeySet;
  assert.deepEqual(await verifyAuditExport(exported, keys), []);
  assert.deepEqual(keys, await publicEvidenceKeys(db));
  exported.events[1].actorId = lise.recipientId;
  assert.equal((await verifyAuditExport(exported, keys))[0]?.kind, 'edited_row');

  // Mads, looking at Lise's mailbox with read access, neither sees the link nor gets the file.
  const grantee = await sessionFor(db, mads);
  const cookie = `${grantee.cookie}; kuvert_mailbox=${lise.recipientId}`;
  const refused = await getPage(kuvert.url, '/post/aktivitet/eksport', cookie);
  assert.equal(refused.status, 403);
  assert.doesNotMatch(refused.text, /message\.open/);
  // Logged out: not the file.
  assert.notEqual((await getPage(kuvert.url, '/post/aktivitet/eksport')).status, 200);
});

test('the checkpoints are published as JSON, newest first, and the latest on its own', async () => {
  const db = kuvert.services.db;
  await createAuditCheckpoint(db, new Date(Date.now() + 3_600_000));
  const list = (await (await fetch(`${kuvert.url}/api/v1/audit/checkpoints`)).json()) as {
    checkpoints: PublishedCheckpoint[];
  };
  assert.ok(list.checkpoints.length >= 2);
  assert.ok(BigInt(list.checkpoints[0]?.seq ?? 0) > BigInt(list.checkpoints[1]?.seq ?? 0));
  const latest = (await (await fetch(`${kuvert.url}/api/v1/audit/checkpoints/latest`)).json()) as PublishedCheckpoint;
  assert.equal(latest.seq, list.checkpoints[0]?.seq);
  assert.equal(latest.payload.seq, latest.seq);
  assert.equal((await fetch(`${kuvert.url}/api/v1/audit/checkpoints?before=x`)).status, 400);
  const drift = await (await fetch(`${kuvert.url}/drift`)).text();
  assert.match(drift, new RegExp(`Kontrolpunkt ${latest.seq}`));
});
