import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createSender, letterBody, tinyPdf } from '../../../test/support/fixtures.ts';
import { createEnrolledBusiness, inboxCall, sendToBusiness } from '../../../test/support/inbox.ts';
import { eventually, postLetter, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { issueTestToken } from '../../../test/support/machine-login.ts';
import { createApiKey } from '../identity/api-keys.ts';

const CVR_A = '30000005';
const CVR_B = '30000013';

let kuvert: TestKuvert;
let sender: Awaited<ReturnType<typeof createSender>>;
let businessA = '';
let tokenA = '';
let clientA = '';
let readOnlyA = '';
let tokenB = '';
let senderToken = '';

const call = (token: string | null, method: string, path: string, body?: unknown) =>
  inboxCall(kuvert, token, method, path, body);

/** Pages through state=new with `limit` until `want` letters are seen (deliveries may commit between pages). */
async function collect(token: string, limit: number, want: number, start = '') {
  const seen: string[] = [];
  let cursor = start;
  await eventually(async () => {
    const page = await call(token, 'GET', `/api/v1/inbox/letters?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(page.status, 200, page.text);
    assert.ok(page.body.letters.length <= limit);
    seen.push(...page.body.letters.map((l: { id: string }) => l.id));
    cursor = page.body.cursor;
    return seen.length >= want;
  });
  return { seen, cursor };
}

before(async () => {
  kuvert = await startTestKuvert();
  sender = await createSender(kuvert.services.db, 'Erhvervsstyrelsen');
  await kuvert.services.db.updateTable('sender').set({ cvr: '10213231' }).where('id', '=', sender.id).execute();
  businessA = await createEnrolledBusiness(kuvert.services.db, CVR_A, 'Jensen Design ApS');
  const businessB = await createEnrolledBusiness(kuvert.services.db, CVR_B, 'Berg Tømrer ApS');
  const a = await issueTestToken(kuvert, { businessId: businessA, scopes: ['inbox:read', 'inbox:write'] });
  tokenA = a.accessToken;
  clientA = a.clientId;
  readOnlyA = (await issueTestToken(kuvert, { businessId: businessA, scopes: ['inbox:read'] })).accessToken;
  tokenB = (await issueTestToken(kuvert, { businessId: businessB, scopes: ['inbox:read', 'inbox:write'] })).accessToken;
  senderToken = (await issueTestToken(kuvert, { senderId: sender.id, scopes: ['messages:send'] })).accessToken;
});
after(async () => {
  await kuvert?.stop();
});

describe('the inbox API for a business’s system', () => {
  const letters: string[] = [];

  test('lists new letters oldest first, paged, with a delivery between pages: nothing skipped or repeated', async () => {
    for (let i = 1; i <= 3; i++) {
      letters.push(
        await sendToBusiness(kuvert, sender.apiKey, CVR_A, { label: `Brev ${i}`, senderReference: `R-${i}` }),
      );
    }
    const first = await collect(tokenA, 2, 2);
    assert.deepEqual(first.seen, letters.slice(0, 2));
    // Two more arrive while the system is between pages.
    for (let i = 4; i <= 5; i++) {
      letters.push(
        await sendToBusiness(kuvert, sender.apiKey, CVR_A, { label: `Brev ${i}`, senderReference: `R-${i}` }),
      );
    }
    const rest = await collect(tokenA, 2, 3, first.cursor);
    assert.deepEqual([...first.seen, ...rest.seen], letters);
    // At the end: nothing more, and the cursor comes back unchanged.
    const end = await call(tokenA, 'GET', `/api/v1/inbox/letters?limit=2&cursor=${rest.cursor}`);
    assert.deepEqual(end.body.letters, []);
    assert.equal(end.body.cursor, rest.cursor);
    assert.equal(end.body.hasMore, false);

    const all = await call(tokenA, 'GET', '/api/v1/inbox/letters?state=all&limit=200');
    const one = all.body.letters[0];
    assert.equal(one.id, letters[0]);
    assert.deepEqual(one.sender, { name: 'Erhvervsstyrelsen', cvr: '10213231' });
    assert.equal(one.subject, 'Brev 1');
    assert.equal(one.senderReference, 'R-1');
    assert.equal(one.legalNotification, false);
    assert.deepEqual(one.folder, { kind: 'inbox', id: null, name: null });
    assert.equal(one.read, false);
    assert.equal(one.acknowledged, false);
    assert.equal(one.documents.length, 1);
    assert.deepEqual(one.documents[0], {
      id: 0,
      name: 'afgoerelse.pdf',
      title: 'Afgørelse',
      mediaType: 'application/pdf',
      size: tinyPdf.length,
      sha256: createHash('sha256').update(tinyPdf).digest('hex'),
    });
    const bad = await call(tokenA, 'GET', '/api/v1/inbox/letters?cursor=not-a-cursor');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'invalid_cursor');
  });

  test('fetching the letter, a document and the MeMo counts as opening it, audited as the system', async () => {
    const id = letters[0] as string;
    const letter = await call(tokenA, 'GET', `/api/v1/inbox/letters/${id}`);
    assert.equal(letter.status, 200, letter.text);
    assert.equal(letter.body.read, true);
    const doc = letter.body.documents[0];
    const file = await fetch(`${kuvert.url}/api/v1/inbox/letters/${id}/documents/${doc.id}`, {
      headers: { authorization: `Bearer ${tokenA}` },
    });
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'application/pdf');
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), tinyPdf);
    const memo = await call(tokenA, 'GET', `/api/v1/inbox/letters/${id}/memo`);
    assert.equal(memo.status, 200, memo.text);
    assert.match(memo.headers.get('content-type') ?? '', /application\/xml/);
    assert.match(memo.text, /Brev 1/);
    assert.equal((await call(tokenA, 'GET', `/api/v1/inbox/letters/${id}/documents/7`)).status, 404);

    const db = kuvert.services.db;
    const row = await db.selectFrom('message').select('first_read_at').where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(row.first_read_at, 'the sender sees the letter read');
    const events = await db
      .selectFrom('message_event_expanded')
      .select('type')
      .where('message_id', '=', id)
      .where('type', '=', 'READ')
      .execute();
    assert.equal(events.length, 1, 'one READ event however often it is fetched');
    const audits = await db
      .selectFrom('audit_event')
      .select(['actor_kind', 'actor_id', 'action'])
      .where('subject_id', '=', id)
      .where('mailbox_recipient_id', '=', businessA)
      .where('action', 'like', 'message.%open')
      .execute();
    assert.deepEqual(audits.map((a) => a.action).sort(), ['message.document.open', 'message.open', 'message.open']);
    assert.ok(audits.every((a) => a.actor_kind === 'system_client' && a.actor_id === clientA));
  });

  test('acknowledging takes a letter out of state=new; twice is fine and audited once', async () => {
    const id = letters[1] as string;
    const ack = await call(tokenA, 'POST', `/api/v1/inbox/letters/${id}/acknowledge`);
    assert.equal(ack.status, 200, ack.text);
    assert.equal(ack.body.acknowledged, true);
    const again = await call(tokenA, 'POST', `/api/v1/inbox/letters/${id}/acknowledge`);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, ack.body);
    const fresh = await call(tokenA, 'GET', '/api/v1/inbox/letters?limit=200');
    const ids = fresh.body.letters.map((l: { id: string }) => l.id);
    assert.ok(!ids.includes(id));
    assert.ok(ids.includes(letters[0]), 'fetching alone does not acknowledge');
    const all = await call(tokenA, 'GET', '/api/v1/inbox/letters?state=all&limit=200');
    assert.equal(all.body.letters.find((l: { id: string }) => l.id === id).acknowledged, true);
    const audits = await kuvert.services.db
      .selectFrom('audit_event')
      .select('actor_kind')
      .where('subject_id', '=', id)
      .where('action', '=', 'message.acknowledge')
      .execute();
    assert.equal(audits.length, 1);
    assert.equal(audits[0]?.actor_kind, 'system_client');
  });

  test('filing moves a letter to a folder by name or id; an unknown folder is 422 with the field', async () => {
    const folder = await kuvert.services.db
      .insertInto('mailbox_folder')
      .values({ mailbox_id: businessA, name: 'Bogholderi' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = letters[2] as string;
    const filed = await call(tokenA, 'POST', `/api/v1/inbox/letters/${id}/file`, { folderName: 'bogholderi' });
    assert.equal(filed.status, 200, filed.text);
    assert.deepEqual(filed.body.folder, { kind: 'user', id: folder.id, name: 'Bogholderi' });
    const inFolder = await call(tokenA, 'GET', `/api/v1/inbox/letters?state=all&folder=${folder.id}`);
    assert.deepEqual(
      inFolder.body.letters.map((l: { id: string }) => l.id),
      [id],
    );
    const archived = await call(tokenA, 'POST', `/api/v1/inbox/letters/${id}/file`, { folderId: 'archive' });
    assert.equal(archived.body.folder.kind, 'archive');
    for (const [body, field] of [
      [{ folderName: 'Findes ikke' }, 'folderName'],
      [{ folderId: '00000000-0000-4000-8000-000000000000' }, 'folderId'],
    ] as const) {
      const refused = await call(tokenA, 'POST', `/api/v1/inbox/letters/${id}/file`, body);
      assert.equal(refused.status, 422);
      assert.match(refused.headers.get('content-type') ?? '', /problem\+json/);
      assert.equal(refused.body.code, 'unknown_folder');
      assert.equal(refused.body.field ?? refused.body.errors?.[0]?.field, field);
    }
    const unknownList = await call(tokenA, 'GET', '/api/v1/inbox/letters?folder=nowhere');
    assert.equal(unknownList.status, 422);
  });

  test('another business’s letters are 404, never 403; its list is its own', async () => {
    const id = letters[3] as string;
    for (const [method, path] of [
      ['GET', `/api/v1/inbox/letters/${id}`],
      ['GET', `/api/v1/inbox/letters/${id}/documents/0`],
      ['GET', `/api/v1/inbox/letters/${id}/memo`],
      ['POST', `/api/v1/inbox/letters/${id}/acknowledge`],
    ] as const) {
      const answer = await call(tokenB, method, path);
      assert.equal(answer.status, 404, `${method} ${path}`);
    }
    assert.equal((await call(tokenB, 'POST', `/api/v1/inbox/letters/${id}/file`, { folderId: 'archive' })).status, 404);
    assert.equal((await call(tokenB, 'GET', '/api/v1/inbox/letters?state=all')).body.letters.length, 0);
    const untouched = await kuvert.services.db
      .selectFrom('message')
      .select('first_read_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(untouched.first_read_at, null);
  });

  test('a sender’s token is 403, a read-only token cannot acknowledge, no token is 401', async () => {
    const list = await call(senderToken, 'GET', '/api/v1/inbox/letters');
    assert.equal(list.status, 403);
    assert.equal(list.body.code, 'insufficient_scope');
    assert.equal((await call(sender.apiKey, 'GET', '/api/v1/inbox/letters')).status, 403);
    const ack = await call(readOnlyA, 'POST', `/api/v1/inbox/letters/${letters[3]}/acknowledge`);
    assert.equal(ack.status, 403);
    assert.equal(ack.body.code, 'insufficient_scope');
    assert.equal((await call(readOnlyA, 'GET', '/api/v1/inbox/letters')).status, 200);
    assert.equal((await call(null, 'GET', '/api/v1/inbox/letters')).status, 401);
  });

  test('a recalled letter disappears; a legal notification is served when fetched', async () => {
    const id = letters[4] as string;
    const recall = await fetch(`${kuvert.url}/api/v1/messages/${id}/recall`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sender.apiKey}` },
    });
    assert.equal(recall.status, 200);
    assert.equal((await call(tokenA, 'GET', `/api/v1/inbox/letters/${id}`)).status, 404);
    const all = await call(tokenA, 'GET', '/api/v1/inbox/letters?state=all&limit=200');
    assert.ok(!all.body.letters.some((l: { id: string }) => l.id === id));

    const legal = await sendToBusiness(kuvert, sender.apiKey, CVR_A, { legalNotification: true });
    const fetched = await call(tokenA, 'GET', `/api/v1/inbox/letters/${legal}`);
    assert.equal(fetched.body.legalNotification, true);
    const served = await kuvert.services.db
      .selectFrom('message_event_expanded')
      .select('type')
      .where('message_id', '=', legal)
      .where('type', '=', 'LEGALLY_NOTIFIED')
      .execute();
    assert.equal(served.length, 1);
  });

  test('a letter sent with a test key never appears', async () => {
    const testKey = await createApiKey(kuvert.services.db, sender.id, 'test', undefined, true);
    const id = await postLetter(kuvert, testKey.key, '', { ...letterBody(''), recipient: { cvr: CVR_A } });
    await eventually(
      async () =>
        (
          await kuvert.services.db
            .selectFrom('message')
            .select('test_routed_at')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).test_routed_at,
    );
    const all = await call(tokenA, 'GET', '/api/v1/inbox/letters?state=all&limit=200');
    assert.ok(!all.body.letters.some((l: { id: string }) => l.id === id));
    assert.equal((await call(tokenA, 'GET', `/api/v1/inbox/letters/${id}`)).status, 404);
  });

  test('the OpenAPI document describes every inbox route with its scope', async () => {
    const doc = (await (await fetch(`${kuvert.url}/api/openapi.json`)).json()) as any;
    const paths = Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/v1/inbox/'));
    assert.ok(paths.length >= 6);
    for (const [path, ops] of paths) {
      for (const op of Object.values(ops as Record<string, any>)) {
        assert.deepEqual(op.tags, ['inbox'], path);
        assert.match(JSON.stringify(op.security), /machineLogin.*inbox:(read|write)/, path);
        assert.ok(!JSON.stringify(op.security).includes('apiKey'), path);
      }
    }
    assert.match(doc.paths['/api/v1/inbox/letters'].get.description, /acknowledge/);
  });
});
