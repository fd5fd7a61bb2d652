import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createPerson, createSender, letterBody } from '../../../test/support/fixtures.ts';
import { eventually, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { parseMemo } from '../messages/memo/index.ts';
import { copenhagenMidnight, parseDeleteAfter } from '../messages/retention.ts';
import { memoDraft } from '../messages/send-memo.ts';
import { purgeDueLetters } from './purge-letters.ts';

const ANNA = '1503851234';
const CARL = '0101901235';
const DAY = 86_400_000;

let kuvert: TestKuvert;
let sender: Awaited<ReturnType<typeof createSender>>;

before(async () => {
  kuvert = await startTestKuvert();
  sender = await createSender(kuvert.services.db, 'Horsens Kommune');
  await createPerson(kuvert.services.db, ANNA, 'Anna Jensen');
});
after(async () => kuvert?.stop());

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${kuvert.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${sender.apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** A small PDF of its own (the tag is a PDF comment), so a test knows which letters share its document. */
const pdf = (tag: string) =>
  Buffer.from(
    `%PDF-1.4\n%${tag}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
      '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    'latin1',
  );

async function send(cpr: string, overrides: Record<string, unknown> = {}, content = pdf(randomUUID())) {
  const body = letterBody(cpr, overrides) as any;
  body.documents[0].content = content.toString('base64');
  const sent = await api('POST', '/api/v1/messages', body);
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  await eventually(async () => (await api('GET', `/api/v1/messages/${sent.body.id}`)).body.status === 'available');
  return sent.body.id as string;
}

const count = async (table: string, column: string, value: string) =>
  Number(
    (
      await sql<{
        n: string;
      }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${value}`.execute(kuvert.services.db)
    ).rows[0]?.n,
  );

const shaOf = async (messageId: string) =>
  (
    await kuvert.services.db
      .selectFrom('message_document')
      .select('sha256')
      .where('message_id', '=', messageId)
      .executeTakeFirstOrThrow()
  ).sha256.trim();

const inDays = (days: number) => new Date(Date.now() + days * DAY);

describe('deleteAfter at intake', () => {
  test('a date means 00:00 Copenhagen time; MeMo carries it as the Kuvert extension element kuvert:deleteAfter', async () => {
    assert.equal(parseDeleteAfter('2031-01-15', '/deleteAfter'), '2031-01-14T23:00:00.000Z');
    assert.equal(copenhagenMidnight('2031-07-15'), '2031-07-14T22:00:00.000Z');
    assert.equal(parseDeleteAfter('2031-01-15T10:00:00+01:00', '/deleteAfter'), '2031-01-15T09:00:00.000Z');
    const example = readFileSync(
      new URL('../../../test/fixtures/memo/MeMo_Minimum_Example.v12.xml', import.meta.url),
      'utf8',
    );
    // The element sits in Kuvert's namespace, outside the MeMo schema: the rest must still validate.
    const withExtension = (extension: string) => {
      const close = example.lastIndexOf('</');
      return Buffer.from(
        (example.slice(0, close) + extension + example.slice(close)).replace(
          /<([\w]+:)?Message /,
          (m) => `${m}xmlns:kuvert="urn:kuvert:memo-extension:1" `,
        ),
      );
    };
    const draft = memoDraft(await parseMemo(withExtension('<kuvert:deleteAfter>2031-01-15</kuvert:deleteAfter>')));
    assert.equal(draft.deleteAfter, '2031-01-14T23:00:00.000Z');
    assert.equal(memoDraft(await parseMemo(withExtension(''))).deleteAfter, null);
    // Inside a comment it is no element.
    const commented = withExtension('<!-- <kuvert:deleteAfter>2031-01-15</kuvert:deleteAfter> -->');
    assert.equal(memoDraft(await parseMemo(commented)).deleteAfter, null);
    await assert.rejects(
      async () => memoDraft(await parseMemo(withExtension('<kuvert:deleteAfter>soon</kuvert:deleteAfter>'))),
      (error: { status?: number; field?: string }) => error.status === 422 && error.field === '/kuvert:deleteAfter',
    );
  });

  test('a deleteAfter in the past or beyond the national maximum is 422 with a retention_ code and stores nothing', async () => {
    const before = await count('message', 'sender_id', sender.id);
    const past = await api('POST', '/api/v1/messages', letterBody(ANNA, { deleteAfter: '2020-01-01' }));
    assert.equal(past.status, 422);
    assert.equal(past.body.code, 'retention_in_past');
    assert.equal(past.body.errors?.[0]?.field ?? past.body.field, '/deleteAfter');
    const far = await api(
      'POST',
      '/api/v1/messages',
      letterBody(ANNA, { deleteAfter: inDays(11 * 366).toISOString() }),
    );
    assert.equal(far.status, 422);
    assert.equal(far.body.code, 'retention_beyond_maximum');
    assert.equal(await count('message', 'sender_id', sender.id), before);
  });

  test("the sender's default retention applies to a letter without deleteAfter, and the status API shows it", async () => {
    const other = await createSender(kuvert.services.db, 'Vejle Kommune');
    const put = (years: unknown) =>
      fetch(`${kuvert.url}/api/v1/retention-defaults`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${other.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ years }),
      });
    const tooLong = await put(11);
    assert.equal(tooLong.status, 422);
    assert.equal(((await tooLong.json()) as { code: string }).code, 'retention_years_invalid');
    const set = await put(2);
    assert.deepEqual(await set.json(), { years: 2, maxYears: 10 });
    const response = await fetch(`${kuvert.url}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${other.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(letterBody(ANNA)),
    });
    const sent = (await response.json()) as { id: string };
    const status = await fetch(`${kuvert.url}/api/v1/messages/${sent.id}`, {
      headers: { authorization: `Bearer ${other.apiKey}` },
    });
    const body = (await status.json()) as { deleteAfter: string };
    const years = (new Date(body.deleteAfter).getTime() - Date.now()) / (365.25 * DAY);
    assert.ok(years > 1.99 && years < 2.01, body.deleteAfter);
  });
});

test('batch lines carry deleteAfter: stored per letter, a line outside the range fails with its retention_ code', async () => {
  const good = randomUUID();
  const late = randomUUID();
  const lines = [
    JSON.stringify({ messageUuid: good, ...letterBody(ANNA), deleteAfter: inDays(100).toISOString() }),
    JSON.stringify({ messageUuid: late, ...letterBody(ANNA), deleteAfter: inDays(20 * 366).toISOString() }),
  ].join('\n');
  const response = await fetch(`${kuvert.url}/api/v1/batches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/x-ndjson' },
    body: `${lines}\n`,
  });
  assert.equal(response.status, 202, await response.clone().text());
  const { id } = (await response.json()) as { id: string };
  await eventually(async () => (await api('GET', `/api/v1/batches/${id}`)).body.state === 'completed');
  const errors = await api('GET', `/api/v1/batches/${id}/errors`);
  assert.deepEqual(
    errors.body.errors.map((e: any) => [e.line, e.code, e.field]),
    [[2, 'retention_beyond_maximum', '/deleteAfter']],
  );
  const stored = await kuvert.services.db
    .selectFrom('message')
    .select(['message_uuid', 'delete_after'])
    .where('sender_id', '=', sender.id)
    .where('message_uuid', 'in', [good, late])
    .execute();
  assert.equal(stored.length, 1);
  const days = (new Date(stored[0]?.delete_after as Date).getTime() - Date.now()) / DAY;
  assert.ok(days > 99 && days < 101, String(days));
});

describe('the purge', () => {
  test('a letter past its deleteAfter is deleted for good: 410 with its tombstone, DELETED in the feed, key taken', async () => {
    const messageUuid = randomUUID();
    const id = await send(ANNA, { messageUuid, deleteAfter: inDays(2).toISOString().slice(0, 10) });
    const status = await api('GET', `/api/v1/messages/${id}`);
    assert.ok(status.body.deleteAfter, JSON.stringify(status.body));
    const sha = await shaOf(id);

    const result = await purgeDueLetters(kuvert.services, { now: inDays(3) });
    assert.ok(result.messages >= 1);

    const gone = await api('GET', `/api/v1/messages/${id}`);
    assert.equal(gone.status, 410);
    assert.equal(gone.body.code, 'retention_message_deleted');
    assert.equal(gone.body.tombstone.messageUuid, messageUuid);
    assert.equal(gone.body.tombstone.reason, 'retention');
    assert.ok(gone.body.tombstone.receivedAt && gone.body.tombstone.availableAt && gone.body.tombstone.deletedAt);

    for (const table of ['message', 'mailbox_item', 'mailbox_search', 'message_document', 'notify_followup']) {
      assert.equal(await count(table, table === 'message' ? 'id' : 'message_id', id), 0, table);
    }
    const events = await kuvert.services.db
      .selectFrom('message_event')
      .select(['type', 'data'])
      .where('message_id', '=', id)
      .execute();
    assert.deepEqual(
      events.map((e) => [e.type, e.data]),
      [['DELETED', { reason: 'retention', messageUuid }]],
    );
    assert.equal(await count('document', 'sha256', sha), 0);
    assert.equal(await kuvert.services.documents.has(sha), false, 'the file went with its last letter');

    const feed = await api('GET', '/api/v1/events?limit=1000');
    const deleted = feed.body.events.find((e: any) => e.messageId === id && e.type === 'DELETED');
    assert.equal(deleted?.data.messageUuid, messageUuid);

    const again = await api('POST', '/api/v1/messages', letterBody(ANNA, { messageUuid }));
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'retention_message_deleted');

    const audit = await kuvert.services.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'message.purge')
      .execute();
    assert.ok(audit.some((a) => (a.details as { reason: string }).reason === 'retention'));
  });

  test('two letters sharing a document: purging one keeps the document for the other, purging both removes it', async () => {
    const shared = pdf(`shared-${randomUUID()}`);
    const first = await send(ANNA, { deleteAfter: inDays(1).toISOString() }, shared);
    const second = await send(ANNA, { label: 'Samme bilag' }, shared);
    const sha = await shaOf(first);
    assert.equal(await shaOf(second), sha);

    await purgeDueLetters(kuvert.services, { now: inDays(3) });
    assert.equal(await count('message', 'id', first), 0);
    assert.equal(await count('document', 'sha256', sha), 1);
    assert.equal(await kuvert.services.documents.has(sha), true);
    const session = await api('GET', `/api/v1/messages/${second}`);
    assert.equal(session.status, 200);
    assert.equal(session.body.documents[0].sha256.trim(), sha);

    await kuvert.services.db
      .updateTable('message')
      .set({ delete_after: new Date(Date.now() + DAY) })
      .where('id', '=', second)
      .execute();
    await purgeDueLetters(kuvert.services, { now: inDays(3) });
    assert.equal(await count('document', 'sha256', sha), 0);
    assert.equal(await kuvert.services.documents.has(sha), false);
  });

  test('a purge batch that fails midway leaves everything as it was; the next run completes it', async () => {
    const ids = [
      await send(ANNA, { deleteAfter: inDays(1).toISOString() }),
      await send(ANNA, { deleteAfter: inDays(1).toISOString() }),
    ];
    const sha = await shaOf(ids[1] as string);
    // A real failure inside the batch's transaction, after the letters' events and rows were deleted: the document
    // delete comes last.
    await sql
      .raw(`
        create function retention_test_fail() returns trigger language plpgsql as $$
        begin raise exception 'disk on fire'; end $$;
        create trigger retention_test_fail before delete on document
          for each row when (old.sha256 = '${sha}') execute function retention_test_fail();`)
      .execute(kuvert.services.db);
    try {
      await assert.rejects(purgeDueLetters(kuvert.services, { now: inDays(3) }), /disk on fire/);
      for (const id of ids) {
        assert.equal(await count('message', 'id', id), 1);
        assert.equal(await count('mailbox_search', 'message_id', id), 1);
        assert.equal(await count('message_tombstone', 'message_id', id), 0);
        assert.ok((await count('message_event', 'message_id', id)) > 0);
      }
      assert.equal((await api('GET', `/api/v1/messages/${ids[0]}`)).status, 200);
    } finally {
      await sql
        .raw('drop trigger retention_test_fail on document; drop function retention_test_fail()')
        .execute(kuvert.services.db);
    }
    await purgeDueLetters(kuvert.services, { now: inDays(3) });
    for (const id of ids) {
      assert.equal(await count('message', 'id', id), 0);
      assert.equal(await count('message_tombstone', 'message_id', id), 1);
    }
    assert.equal(await count('document', 'sha256', sha), 0);
  });

  test('a closed mailbox is purged once its delete_after has passed, and marked purged', async () => {
    const carl = await createPerson(kuvert.services.db, CARL, 'Carl Holm');
    const ids = [await send(CARL), await send(CARL, { label: 'Andet brev' })];
    await kuvert.services.db
      .updateTable('recipient')
      .set({ enrolment: 'closed', closed_reason: 'death', delete_after: inDays(10).toISOString().slice(0, 10) })
      .where('id', '=', carl.id)
      .execute();

    await purgeDueLetters(kuvert.services, { now: inDays(3) });
    assert.equal(await count('message', 'recipient_id', carl.id), 2, 'not yet due');

    await purgeDueLetters(kuvert.services, { now: inDays(12) });
    assert.equal(await count('message', 'recipient_id', carl.id), 0);
    assert.equal(await count('mailbox_sender', 'mailbox_id', carl.id), 0);
    for (const id of ids) {
      const tombstone = await kuvert.services.db
        .selectFrom('message_tombstone')
        .select('reason')
        .where('message_id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(tombstone.reason, 'mailbox_closed');
    }
    const row = await kuvert.services.db
      .selectFrom('recipient')
      .select('purged_at')
      .where('id', '=', carl.id)
      .executeTakeFirstOrThrow();
    assert.ok(row.purged_at);
    const purgedAudit = await kuvert.services.db
      .selectFrom('audit_event')
      .select('action')
      .where('mailbox_recipient_id', '=', carl.id)
      .where('action', '=', 'mailbox.purge')
      .execute();
    assert.equal(purgedAudit.length, 1);
  });

  test('a letter its owner deleted for good is purged after the grace period, not before', async () => {
    const id = await send(ANNA);
    // As the owner's "delete for good" leaves it (organise.ts): the letter's item in folder `deleted`.
    await sql`
      insert into mailbox_item (message_id, mailbox_id, available_at, folder)
      select id, recipient_id, available_at, 'deleted' from message where id = ${id}
      on conflict (message_id) do update set folder = 'deleted', folder_id = null, updated_at = now()
    `.execute(kuvert.services.db);
    await purgeDueLetters(kuvert.services, { now: inDays(3) });
    assert.equal(await count('message', 'id', id), 1);
    await purgeDueLetters(kuvert.services, { now: inDays(31) });
    assert.equal(await count('message', 'id', id), 0);
    assert.equal((await api('GET', `/api/v1/messages/${id}`)).body.tombstone.reason, 'owner_deleted');
    assert.equal(await count('mailbox_item', 'message_id', id), 0);
  });
});
