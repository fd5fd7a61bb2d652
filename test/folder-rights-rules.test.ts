import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Actor } from '../src/kernel/actor.ts';
import { resolveMailboxAccess, scopeGrant } from '../src/modules/access/index.ts';
import { loadMailboxNav } from '../src/modules/mailbox/mailbox-listing.repository.ts';
import { organiseLetters } from '../src/modules/mailbox/organise.ts';
import { notifyFolderEmployees } from '../src/modules/mailbox/rule-notify.ts';
import { addRule, moveRule, removeRule, rulesPage } from '../src/modules/mailbox/rules.ts';
import { searchMailbox } from '../src/modules/mailbox/search.ts';
import { deliverMessage } from '../src/modules/messages/deliver-message.ts';
import { sendMessage } from '../src/modules/messages/send-message.ts';
import { createBusiness, createResident, getPage, postForm, sessionFor } from './support/access.ts';
import { createSender } from './support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from './support/kuvert.ts';

// Issue 17 item 3 (access, mailbox, notify): folder-scoped employees see only their folders; rules file at delivery.
let kuvert: TestKuvert;
let firmId: string;
let admin: Extract<Actor, { kind: 'citizen' }>;
let clerk: Extract<Actor, { kind: 'citizen' }>;
let clerkGrant: string;
let sales: string;
let hr: string;
let skat: Awaited<ReturnType<typeof createSender>>;
let bank: Awaited<ReturnType<typeof createSender>>;
const CVR = '41234563';

async function deliver(from: typeof skat, label: string, senderReference?: string): Promise<string> {
  const result = await sendMessage(
    kuvert.services,
    { senderId: from.id, apiKeyId: from.apiKeyId },
    {
      recipient: { cvr: CVR },
      label,
      ...(senderReference ? { senderReference } : {}),
      documents: [
        {
          title: `Dokument ${label}`,
          filename: 'brev.txt',
          mediaType: 'text/plain',
          content: Buffer.from(`Indhold ${label}`).toString('base64'),
        },
      ],
    },
  );
  await deliverMessage(kuvert.services, { messageId: result.id });
  return result.id;
}

const placeOf = async (id: string) =>
  (await kuvert.services.db
    .selectFrom('mailbox_item')
    .select(['folder', 'folder_id'])
    .where('message_id', '=', id)
    .executeTakeFirst()) ?? null;

const access = (who: Actor) => resolveMailboxAccess(kuvert.services.db, who, firmId);

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  const db = kuvert.services.db;
  firmId = await createBusiness(db, CVR, 'Holm ApS');
  admin = await createResident(db, '0101801234', 'Karen Holm');
  clerk = await createResident(db, '0202802345', 'Ebbe Clausen');
  await db
    .insertInto('mailbox_access')
    .values({
      mailbox_id: firmId,
      grantee_id: admin.recipientId,
      kind: 'business',
      level: 'owner',
      created_at: new Date(),
      created_by_kind: 'system',
      created_by_id: 'test',
    })
    .execute();
  const grant = await db
    .insertInto('mailbox_access')
    .values({
      mailbox_id: firmId,
      grantee_id: clerk.recipientId,
      kind: 'business',
      level: 'read_write',
      created_at: new Date(),
      created_by_kind: 'citizen',
      created_by_id: admin.recipientId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  clerkGrant = grant.id;
  const folders = await db
    .insertInto('mailbox_folder')
    .values([
      { mailbox_id: firmId, name: 'Salg', created_at: new Date() },
      { mailbox_id: firmId, name: 'Personale', created_at: new Date() },
    ])
    .returning('id')
    .execute();
  sales = folders[0]?.id as string;
  hr = folders[1]?.id as string;
  skat = await createSender(db, 'Skattestyrelsen');
  bank = await createSender(db, 'Banken');
  // The senders must have written once before a rule can name them (the rule form lists the mailbox's senders).
  await deliver(skat, 'Velkommen');
  await deliver(bank, 'Velkommen fra banken');
});

after(async () => {
  await kuvert?.stop();
});

describe('routing rules file letters at delivery', () => {
  test('only the owner or administrator manages rules; the employee is refused', async () => {
    await assert.rejects(
      addRule(kuvert.services.db, clerk, await access(clerk), { senderId: skat.id, folderId: sales }),
      (e: { code?: string }) => e.code === 'rules_forbidden',
    );
    await assert.rejects(
      addRule(kuvert.services.db, admin, await access(admin), { folderId: sales }),
      (e: { code?: string }) => e.code === 'rule_condition_missing',
    );
    await assert.rejects(
      addRule(kuvert.services.db, admin, await access(admin), { senderId: skat.id, folderId: firmId }),
      (e: { code?: string }) => e.code === 'rule_folder_missing',
    );
  });

  test('sender, subject words and sender reference; the first match wins; no match stays in the Inbox', async () => {
    const db = kuvert.services.db;
    const adminAccess = await access(admin);
    const bySender = await addRule(db, admin, adminAccess, { senderId: skat.id, folderId: sales, notify: true });
    await addRule(db, admin, adminAccess, { subjectWords: 'Faktura  BETALING', folderId: hr });
    await addRule(db, admin, adminAccess, { senderReference: 'REF-9', folderId: hr });

    assert.deepEqual(await placeOf(await deliver(skat, 'Årsopgørelse')), { folder: 'user', folder_id: sales });
    assert.deepEqual(await placeOf(await deliver(bank, 'Betaling af faktura nr. 7')), {
      folder: 'user',
      folder_id: hr,
    });
    // One word missing: no match.
    assert.equal(await placeOf(await deliver(bank, 'Faktura nr. 8')), null);
    assert.deepEqual(await placeOf(await deliver(bank, 'Kontoudtog', 'REF-9')), { folder: 'user', folder_id: hr });
    assert.equal(await placeOf(await deliver(bank, 'Kontoudtog', 'REF-10')), null);
    // Matches both the sender rule (first) and the words rule: the first wins.
    const both = await deliver(skat, 'Faktura betaling');
    assert.deepEqual(await placeOf(both), { folder: 'user', folder_id: sales });

    // Reordered, the words rule comes first.
    await moveRule(db, admin, adminAccess, bySender, 'down');
    assert.deepEqual(await placeOf(await deliver(skat, 'Faktura og betaling')), { folder: 'user', folder_id: hr });
    const page = await rulesPage(db, admin, adminAccess);
    assert.deepEqual(
      page.rules.map((r) => [r.position, r.folderName, r.subjectWords]),
      [
        [1, 'Personale', ['faktura', 'betaling']],
        [2, 'Salg', []],
        [3, 'Personale', []],
      ],
    );
    await moveRule(db, admin, adminAccess, bySender, 'up');
    await removeRule(db, admin, adminAccess, page.rules[2]?.id as string);
    assert.equal(await placeOf(await deliver(bank, 'Kontoudtog', 'REF-9')), null);
    const audited = await sql<{ n: number }>`select count(*)::int as n from audit_event
      where mailbox_recipient_id = ${firmId} and action like 'mailbox.rule.%'`.execute(db);
    // Three added, moved down and up, one deleted.
    assert.equal(audited.rows[0]?.n, 6);
  });

  test("a notifying rule queues the job, which tells the folder's employees who have contact details", async () => {
    const db = kuvert.services.db;
    const jobs = await sql<{ payload: { messageId: string; folderId: string } }>`
      select payload from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'mailbox.rule-notify'`.execute(db);
    // Two letters went to Sales through the notifying sender rule (the third matched the words rule first): a job each.
    assert.equal(jobs.rows.length, 2);
    assert.ok(jobs.rows.every((j) => j.payload.folderId === sales));
    const payload = jobs.rows[0]?.payload as { messageId: string; folderId: string };
    // Nobody is scoped to Sales yet: nobody to tell.
    assert.equal(await notifyFolderEmployees(db, payload), 0);
    await scopeGrant(db, admin, {
      mailboxId: firmId,
      grantId: clerkGrant,
      folderIds: [sales],
      mailboxFolderIds: [sales, hr],
    });
    // Scoped, but without a contact detail of their own: still nobody.
    assert.equal(await notifyFolderEmployees(db, payload), 0);
    await db
      .insertInto('contact_detail')
      .values({ recipient_id: clerk.recipientId, kind: 'email', value: 'ebbe@example.dk', confirmed_at: new Date() })
      .execute();
    assert.equal(await notifyFolderEmployees(db, payload), 1);
    const pending = await db
      .selectFrom('notify_pending')
      .select('letters')
      .where('recipient_id', '=', clerk.recipientId)
      .executeTakeFirst();
    assert.equal(pending?.letters, 1);
  });
});

describe('an employee limited to chosen folders', () => {
  test('only the administrator scopes a grant, to folders of this mailbox', async () => {
    const db = kuvert.services.db;
    await assert.rejects(
      scopeGrant(db, clerk, { mailboxId: firmId, grantId: clerkGrant, folderIds: [hr], mailboxFolderIds: [sales, hr] }),
      (e: { code?: string }) => e.code === 'folder_scope_forbidden',
    );
    await assert.rejects(
      scopeGrant(db, admin, {
        mailboxId: firmId,
        grantId: clerkGrant,
        folderIds: [firmId],
        mailboxFolderIds: [sales, hr],
      }),
      (e: { code?: string }) => e.code === 'invalid_folder',
    );
    assert.deepEqual((await access(clerk))?.folderIds, [sales]);
  });

  test('lists, counts and searches only the letters in their folders', async () => {
    const db = kuvert.services.db;
    const scope = (await access(clerk))?.folderIds ?? null;
    const nav = await loadMailboxNav(db, {
      mailboxId: firmId,
      actorId: clerk.recipientId,
      now: new Date(),
      withCounts: true,
      scope,
      listing: { folder: { kind: 'inbox' }, limit: 50 },
    });
    assert.deepEqual(nav.listing, []);
    assert.deepEqual(
      nav.folders.map((f) => f.name),
      ['Salg'],
    );
    assert.equal(nav.unread?.inbox, 0);
    assert.deepEqual(Object.keys(nav.unread?.folders ?? {}), [sales]);
    const inSales = await loadMailboxNav(db, {
      mailboxId: firmId,
      actorId: clerk.recipientId,
      now: new Date(),
      withCounts: false,
      scope,
      listing: { folder: { kind: 'user', id: sales, name: 'Salg' }, limit: 50 },
    });
    assert.deepEqual(inSales.listing?.map((l) => l.label).sort(), ['Faktura betaling', 'Årsopgørelse']);
    // The administrator sees the whole mailbox.
    const whole = await loadMailboxNav(db, {
      mailboxId: firmId,
      actorId: admin.recipientId,
      now: new Date(),
      withCounts: true,
    });
    assert.equal(whole.folders.length, 2);
    assert.ok((whole.unread?.inbox ?? 0) > 0);

    const found = await searchMailbox(kuvert.services, firmId, 'faktura', {}, { scope });
    assert.deepEqual(
      found.items.map((i) => i.label),
      ['Faktura betaling'],
    );
    const all = await searchMailbox(kuvert.services, firmId, 'faktura', {});
    assert.ok(all.items.length >= 3);
  });

  test('a letter outside their folders is not found by its address; a folder outside them neither', async () => {
    const db = kuvert.services.db;
    const session = await sessionFor(db, clerk);
    const cookie = `${session.cookie}; kuvert_mailbox=${firmId}`;
    const [hrLetter] = await db.selectFrom('mailbox_item').select('message_id').where('folder_id', '=', hr).execute();
    const [salesLetter] = await db
      .selectFrom('mailbox_item')
      .select('message_id')
      .where('folder_id', '=', sales)
      .execute();
    const inbox = await db
      .selectFrom('message')
      .select('id')
      .where('recipient_id', '=', firmId)
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('mailbox_item').select('message_id').whereRef('message_id', '=', 'message.id'))),
      )
      .executeTakeFirstOrThrow();
    assert.equal((await getPage(kuvert.url, `/post/${salesLetter?.message_id}`, cookie)).status, 200);
    assert.equal((await getPage(kuvert.url, `/post/${hrLetter?.message_id}`, cookie)).status, 404);
    assert.equal((await getPage(kuvert.url, `/post/${inbox.id}`, cookie)).status, 404);
    assert.equal((await getPage(kuvert.url, `/post/${hrLetter?.message_id}/dokumenter/1`, cookie)).status, 404);
    assert.equal((await getPage(kuvert.url, `/post?mappe=${hr}`, cookie)).status, 404);
    const salesPage = await getPage(kuvert.url, `/post?mappe=${sales}`, cookie);
    assert.equal(salesPage.status, 200);
    assert.match(salesPage.text, /Årsopgørelse/);
    assert.doesNotMatch(salesPage.text, /Personale/);
    const search = await getPage(kuvert.url, '/post/soeg?q=kontoudtog', cookie);
    assert.equal(search.status, 200);
    assert.doesNotMatch(search.text, /Kontoudtog/);
  });

  test('moves only within their folders', async () => {
    const db = kuvert.services.db;
    const [letter] = await db.selectFrom('mailbox_item').select('message_id').where('folder_id', '=', sales).execute();
    const id = letter?.message_id as string;
    await assert.rejects(
      organiseLetters(kuvert.services, clerk, {
        operation: 'move',
        messageIds: [id],
        target: { kind: 'user', id: hr, name: 'Personale' },
      }),
      (e: { code?: string }) => e.code === 'folder_out_of_reach',
    );
    await assert.rejects(
      organiseLetters(kuvert.services, clerk, { operation: 'move', messageIds: [id], target: { kind: 'archive' } }),
      (e: { code?: string }) => e.code === 'folder_out_of_reach',
    );
    await scopeGrant(db, admin, {
      mailboxId: firmId,
      grantId: clerkGrant,
      folderIds: [sales, hr],
      mailboxFolderIds: [sales, hr],
    });
    await organiseLetters(kuvert.services, clerk, {
      operation: 'move',
      messageIds: [id],
      target: { kind: 'user', id: hr, name: 'Personale' },
    });
    assert.deepEqual(await placeOf(id), { folder: 'user', folder_id: hr });
    await organiseLetters(kuvert.services, clerk, { operation: 'trash', messageIds: [id] });
    assert.equal(
      (await getPage(kuvert.url, `/post/${id}`, `${(await sessionFor(db, clerk)).cookie}; kuvert_mailbox=${firmId}`))
        .status,
      200,
    );
    // A deleted folder narrows the grant, never widens it.
    await db.deleteFrom('mailbox_rule').where('folder_id', '=', hr).execute();
    await db
      .updateTable('mailbox_item')
      .set({ folder: 'inbox', folder_id: null })
      .where('folder_id', '=', hr)
      .execute();
    await db
      .updateTable('mailbox_item')
      .set({ trashed_from_folder_id: null })
      .where('trashed_from_folder_id', '=', hr)
      .execute();
    await db.deleteFrom('mailbox_folder').where('id', '=', hr).execute();
    await db
      .deleteFrom('mailbox_folder')
      .where('id', '=', sales)
      .execute()
      .catch(() => undefined);
    const now = await access(clerk);
    assert.ok(now?.folderIds !== null && now?.folderIds !== undefined);
    assert.ok(!now.folderIds.includes(hr));
    await scopeGrant(db, admin, { mailboxId: firmId, grantId: clerkGrant, folderIds: null, mailboxFolderIds: [] });
    assert.equal((await access(clerk))?.folderIds, null);
  });
});

describe('the rules and folder-access pages', () => {
  test('the administrator sees and changes them; the employee is refused', async () => {
    const db = kuvert.services.db;
    const adminSession = await sessionFor(db, admin);
    const cookie = `${adminSession.cookie}; kuvert_mailbox=${firmId}`;
    const rules = await getPage(kuvert.url, '/post/regler', cookie);
    assert.equal(rules.status, 200);
    assert.match(rules.text, /Regler for indgående post/);
    const folder = await db
      .insertInto('mailbox_folder')
      .values({ mailbox_id: firmId, name: 'Indkøb', created_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const added = await postForm(kuvert.url, '/post/regler', cookie, {
      _csrf: adminSession.csrf,
      words: 'ordre',
      folder: folder.id,
    });
    assert.equal(added.status, 303);
    const refused = await postForm(kuvert.url, '/post/regler', cookie, { _csrf: adminSession.csrf, folder: folder.id });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /mindst én betingelse/);
    const grantPage = await getPage(kuvert.url, `/post/adgang/${clerkGrant}/mapper`, cookie);
    assert.equal(grantPage.status, 200);
    assert.match(grantPage.text, /Ebbe Clausen/);
    const scoped = await postForm(kuvert.url, `/post/adgang/${clerkGrant}/mapper`, cookie, {
      _csrf: adminSession.csrf,
      omfang: 'mapper',
      mappe: folder.id,
    });
    assert.equal(scoped.status, 303);
    assert.deepEqual((await access(clerk))?.folderIds, [folder.id]);
    const clerkSession = await sessionFor(db, clerk);
    const clerkCookie = `${clerkSession.cookie}; kuvert_mailbox=${firmId}`;
    assert.equal((await getPage(kuvert.url, '/post/regler', clerkCookie)).status, 403);
    assert.equal((await getPage(kuvert.url, `/post/adgang/${clerkGrant}/mapper`, clerkCookie)).status, 404);
  });
});
