import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  api,
  citizen,
  getPage,
  type Page,
  postForm,
  sendLetter,
  sentIdOf,
  visibleText,
  type WebUser,
} from '../../../test/support/correspondence.ts';
import { createPerson, createSender, tinyPdf } from '../../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { grantAccess } from '../access/grant-access.ts';
import { findSenderLetters } from '../senders/senders.repository.ts';

const ANNA = '1503851234';
const KAREN = '2409441238';
const BO = '0101901235';
const CARL = '0202902345';
const EVA = '0303803456';

let kuvert: TestKuvert;
let kk: Awaited<ReturnType<typeof createSender>>;
let skat: Awaited<ReturnType<typeof createSender>>;
let anna: Awaited<ReturnType<typeof citizen>>;
let karen: Awaited<ReturnType<typeof citizen>>;
let bo: Awaited<ReturnType<typeof citizen>>;
let carl: Awaited<ReturnType<typeof citizen>>;

before(async () => {
  kuvert = await startTestKuvert({ env: { KUVERT_RATE_LIMIT_CITIZEN_WRITES: '1000/hour' } });
  kk = await createSender(kuvert.services.db, 'Københavns Kommune');
  skat = await createSender(kuvert.services.db, 'Skattestyrelsen');
  anna = await citizen(kuvert, ANNA, 'Anna Jensen');
  karen = await citizen(kuvert, KAREN, 'Karen Holm');
  bo = await citizen(kuvert, BO, 'Bo Hansen');
  carl = await citizen(kuvert, CARL, 'Carl Berg');
  await createPerson(kuvert.services.db, EVA, 'Eva Lund', 'exempted');
  const annaActor = { kind: 'citizen' as const, subject: 'a', name: 'Anna Jensen', recipientId: anna.id };
  await grantAccess(kuvert.services, annaActor, {
    mailboxId: anna.id,
    cpr: BO,
    name: 'Bo Hansen',
    level: 'read_write',
  });
  await grantAccess(kuvert.services, annaActor, { mailboxId: anna.id, cpr: CARL, name: 'Carl Berg', level: 'read' });
});
after(async () => kuvert?.stop());

const inMailbox = (user: WebUser, mailboxId: string): WebUser => ({
  ...user,
  cookie: `${user.cookie}; kuvert_mailbox=${mailboxId}`,
});

const formKeyOf = (page: Page) => /name="formKey" value="([0-9a-f-]{36})"/.exec(page.text)?.[1] as string;

const toPerson = (cpr: string, name: string, extra: [string, string][] = []): [string, string][] => [
  ['to', 'person'],
  ['cpr', cpr],
  ['name', name],
  ...extra,
];

const forwardCount = async () =>
  Number(
    (
      await kuvert.services.db
        .selectFrom('mailbox_forward')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/**
 * Every event a sender has, as stored (the feed's rows, read straight from the table: the API feed holds back events
 * younger than the server's oldest open transaction, which other databases on a shared server can keep open).
 */
async function storedEvents(senderId: string) {
  return kuvert.services.db
    .selectFrom('message_event')
    .select(['id', 'message_id', 'type', 'more_types', 'data'])
    .where('sender_id', '=', senderId)
    .orderBy('id')
    .execute();
}

/** The sender's whole event feed. */
async function feed(apiKey: string) {
  const res = await api(kuvert, apiKey, 'GET', '/api/v1/events?limit=1000');
  assert.equal(res.status, 200);
  return res.body.events as { messageId: string | null; type: string; data: Record<string, unknown> }[];
}

async function activity(user: WebUser) {
  const page = await getPage(kuvert, '/post/aktivitet', user);
  assert.equal(page.status, 200);
  return visibleText(page.text);
}

describe('forwarding a letter to a person', () => {
  test('Anna forwards to Karen Holm: a confirmation names her, the copy is Karen’s to read with its documents, both activity logs show it, the sender sees nothing new', {
    timeout: 120_000,
  }, async () => {
    const label = 'Afgørelse om boligstøtte til videresendelse';
    const letter = await sendLetter(kuvert, kk.apiKey, ANNA, { label });
    await kuvert.services.db
      .insertInto('contact_detail')
      .values({ recipient_id: karen.id, kind: 'email', value: 'karen@example.dk', confirmed_at: new Date() })
      .execute();
    const eventsBefore = await storedEvents(kk.id);
    const lettersBefore = await findSenderLetters(kuvert.services.db, kk.id, {}, 1000);

    const form = await getPage(kuvert, `/post/${letter.id}/videresend`, anna);
    assert.equal(form.status, 200);
    assert.match(form.text, /Videresend brev/);
    assert.match(visibleText(form.text), new RegExp(`»${label}« fra Københavns Kommune`));
    assert.match(form.text, /name="_csrf"/);
    const formKey = formKeyOf(form);

    const note = 'Karen, kan du kigge på denne?';
    const fields = toPerson('240944-1238', 'karen holm', [
      ['note', note],
      ['formKey', formKey],
    ]);
    const confirm = await postForm(kuvert, `/post/${letter.id}/videresend`, anna, [['step', 'confirm'], ...fields]);
    assert.equal(confirm.status, 200, confirm.text.slice(0, 1500));
    assert.match(visibleText(confirm.text), new RegExp(`Du videresender »${label}« til Karen Holm`));
    assert.match(visibleText(confirm.text), /Karen, kan du kigge på denne\?/);
    assert.equal(await forwardCount(), 0, 'the confirmation step writes nothing');

    const sent = await postForm(kuvert, `/post/${letter.id}/videresend`, anna, [['step', 'send'], ...fields]);
    assert.equal(sent.status, 303, sent.text.slice(0, 1500));
    const location = sent.headers.get('location') ?? '';
    assert.doesNotMatch(location, /2409441238|240944/, 'no CPR number in a URL');
    const copyId = /kopi=([0-9a-f-]{36})$/.exec(location)?.[1] as string;
    assert.ok(copyId, location);

    const done = await getPage(kuvert, location, anna);
    assert.equal(done.status, 200);
    assert.match(visibleText(done.text), new RegExp(`»${label}« er videresendt til Karen Holm`));

    // The same form again forwards nothing more.
    const again = await postForm(kuvert, `/post/${letter.id}/videresend`, anna, [['step', 'send'], ...fields]);
    assert.equal(again.status, 303);
    assert.equal(again.headers.get('location'), location);
    assert.equal(await forwardCount(), 1);

    // Karen has it, with the same content-addressed document; Anna cannot open Karen's copy.
    const inbox = await getPage(kuvert, '/post', karen);
    assert.match(visibleText(inbox.text), new RegExp(label));
    const opened = await getPage(kuvert, `/post/${copyId}`, karen);
    assert.equal(opened.status, 200);
    // The copy says who forwarded it and shows the note; Karen may forward it on in turn.
    assert.match(opened.text.replace(/<[^>]+>/g, ' '), /Videresendt af\s+Anna Jensen/);
    assert.match(visibleText(opened.text), /Karen, kan du kigge på denne\?/);
    assert.match(opened.text, new RegExp(`href="/post/${copyId}/videresend"`));
    const doc = await getPage(kuvert, `/post/${copyId}/dokumenter/0`, karen);
    assert.equal(doc.status, 200);
    assert.deepEqual(doc.bytes, tinyPdf);
    assert.equal((await getPage(kuvert, `/post/${copyId}`, anna)).status, 404);
    const [original, copy] = await Promise.all(
      [letter.id, copyId].map((id) =>
        kuvert.services.db
          .selectFrom('message_document')
          .select('sha256')
          .where('message_id', '=', id)
          .executeTakeFirstOrThrow(),
      ),
    );
    assert.equal(copy?.sha256, original?.sha256);
    const info = await kuvert.services.db
      .selectFrom('mailbox_forward')
      .selectAll()
      .where('message_id', '=', copyId)
      .executeTakeFirstOrThrow();
    assert.equal(info.forwarded_by_name, 'Anna Jensen');
    assert.equal(info.note, note);
    assert.equal(info.to_mailbox_id, karen.id);

    // Karen gets the usual new-mail notification, and no reminder or print-if-unread of the sender's.
    const pending = await kuvert.services.db
      .selectFrom('notify_pending')
      .select('letters')
      .where('recipient_id', '=', karen.id)
      .executeTakeFirst();
    assert.ok(pending && pending.letters >= 1, 'Karen is to be notified');
    const followups = await kuvert.services.db
      .selectFrom('notify_followup')
      .select('message_id')
      .where('message_id', '=', copyId)
      .execute();
    assert.equal(followups.length, 0);

    // Both activity logs show it; no CPR number anywhere in them.
    const annaLog = await activity(anna);
    assert.match(annaLog, new RegExp(`Videresendte »${label}« til Karen Holm`));
    const karenLog = await activity(karen);
    assert.match(karenLog, new RegExp(`Modtog »${label}« videresendt fra Anna Jensen`));
    const audit = await kuvert.services.db
      .selectFrom('audit_event')
      .select(['action', 'details', 'mailbox_recipient_id'])
      .where('action', 'in', ['letter.forward', 'letter.forward.received'])
      .execute();
    assert.deepEqual(audit.map((a) => [a.action, a.mailbox_recipient_id]).sort(), [
      ['letter.forward', anna.id],
      ['letter.forward.received', karen.id],
    ]);
    assert.doesNotMatch(JSON.stringify(audit), /2409441238|1503851234/);

    // The sender: no new event (not even READ when Karen opens the copy), no second letter, no copy via the API.
    const eventsAfter = await storedEvents(kk.id);
    assert.deepEqual(eventsAfter, eventsBefore);
    assert.doesNotMatch(JSON.stringify(await feed(kk.apiKey)), new RegExp(`${copyId}|${karen.id}`));
    const lettersAfter = await findSenderLetters(kuvert.services.db, kk.id, {}, 1000);
    assert.equal(lettersAfter.length, lettersBefore.length);
    assert.equal((await api(kuvert, kk.apiKey, 'GET', `/api/v1/messages/${copyId}`)).status, 404);

    // A recall of the original takes the copy with it.
    await kuvert.services.db.updateTable('message').set({ first_read_at: null }).where('id', '=', letter.id).execute();
    const recall = await api(kuvert, kk.apiKey, 'POST', `/api/v1/messages/${letter.id}/recall`);
    assert.ok(recall.status < 300, JSON.stringify(recall.body));
    assert.equal((await getPage(kuvert, `/post/${copyId}`, karen)).status, 404);
  });

  test('wrong name, unknown CPR, invalid CPR, self, not enrolled, no choice and a long note each get their own readable error and write nothing', {
    timeout: 120_000,
  }, async () => {
    const letter = await sendLetter(kuvert, kk.apiKey, ANNA, { label: 'Brev til fejltest' });
    const cases: { fields: [string, string][]; status: number; text: RegExp; field: string }[] = [
      {
        fields: toPerson(KAREN, 'Karen Jensen'),
        status: 422,
        text: /Der er ingen person med dette CPR-nummer og dette navn/,
        field: 'cpr',
      },
      {
        fields: toPerson('0404804567', 'Karen Holm'),
        status: 422,
        text: /Der er ingen person med dette CPR-nummer og dette navn/,
        field: 'cpr',
      },
      { fields: toPerson('12345', 'Karen Holm'), status: 422, text: /CPR/, field: 'cpr' },
      { fields: toPerson(KAREN, ''), status: 422, text: /navn/i, field: 'name' },
      { fields: toPerson(ANNA, 'Anna Jensen'), status: 422, text: /til dig selv/, field: 'cpr' },
      { fields: toPerson(EVA, 'Eva Lund'), status: 422, text: /modtager ikke Digital Post/, field: 'cpr' },
      { fields: [['cpr', KAREN]], status: 422, text: /til en person eller til en myndighed/, field: 'to-person' },
      {
        fields: toPerson(KAREN, 'Karen Holm', [['note', 'x'.repeat(1001)]]),
        status: 422,
        text: /1\.?000/,
        field: 'note',
      },
      {
        fields: [['to', 'authority']],
        status: 422,
        text: /Vælg den myndighed/,
        field: 'contactPoint',
      },
    ];
    for (const c of cases) {
      for (const step of ['confirm', 'send']) {
        const page = await postForm(kuvert, `/post/${letter.id}/videresend`, anna, [['step', step], ...c.fields]);
        assert.equal(page.status, c.status, `${step} ${JSON.stringify(c.fields)}: ${page.text.slice(0, 500)}`);
        const text = visibleText(page.text);
        assert.match(text, /Der er en fejl/, 'an error summary');
        assert.match(text, c.text);
        assert.match(page.text, new RegExp(`href="#${c.field}"`), `the summary links to ${c.field}`);
      }
    }
    assert.equal(await forwardCount(), 1, 'only the first test’s forward');
  });

  test('a read/write delegate may forward; read-only access cannot, neither form nor post', {
    timeout: 120_000,
  }, async () => {
    const letter = await sendLetter(kuvert, kk.apiKey, ANNA, { label: 'Brev til delegerede' });
    const boInAnna = inMailbox(bo, anna.id);
    const form = await getPage(kuvert, `/post/${letter.id}/videresend`, boInAnna);
    assert.equal(form.status, 200);
    assert.match(visibleText(form.text), /fra postkassen for Anna Jensen/);
    const sent = await postForm(kuvert, `/post/${letter.id}/videresend`, boInAnna, [
      ['step', 'send'],
      ...toPerson(KAREN, 'Karen Holm'),
    ]);
    assert.equal(sent.status, 303, sent.text.slice(0, 800));
    const row = await kuvert.services.db
      .selectFrom('mailbox_forward')
      .select(['forwarded_by_name', 'from_mailbox_id'])
      .where('original_message_id', '=', letter.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { forwarded_by_name: 'Bo Hansen', from_mailbox_id: anna.id });
    assert.match(await activity(anna), /Videresendte »Brev til delegerede« til Karen Holm/);

    const carlInAnna = inMailbox(carl, anna.id);
    const denied = await getPage(kuvert, `/post/${letter.id}/videresend`, carlInAnna);
    assert.equal(denied.status, 403);
    assert.match(visibleText(denied.text), /kun læseadgang/);
    const before = await forwardCount();
    const post = await postForm(kuvert, `/post/${letter.id}/videresend`, carlInAnna, [
      ['step', 'send'],
      ...toPerson(KAREN, 'Karen Holm'),
    ]);
    assert.equal(post.status, 403);
    assert.equal(await forwardCount(), before);

    // Someone with no access to the mailbox does not learn that the letter exists.
    assert.equal((await getPage(kuvert, `/post/${letter.id}/videresend`, karen)).status, 404);
    const stranger = await postForm(kuvert, `/post/${letter.id}/videresend`, karen, [
      ['step', 'send'],
      ...toPerson(BO, 'Bo Hansen'),
    ]);
    assert.equal(stranger.status, 404);
    assert.equal(await forwardCount(), before);
  });

  test('an unserved legal notification cannot be forwarded until it is opened; a recalled letter is not found; a post without the CSRF token is refused', {
    timeout: 120_000,
  }, async () => {
    const legal = await sendLetter(kuvert, kk.apiKey, ANNA, { label: 'Lovpligtig afgørelse', legalNotification: true });
    const refused = await getPage(kuvert, `/post/${legal.id}/videresend`, anna);
    assert.equal(refused.status, 409);
    assert.match(visibleText(refused.text), /ikke er forkyndt/);
    const post = await postForm(kuvert, `/post/${legal.id}/videresend`, anna, [
      ['step', 'send'],
      ...toPerson(KAREN, 'Karen Holm'),
    ]);
    assert.equal(post.status, 409);
    // Seeing the notice page serves nothing; opening the letter serves it, and then it may be forwarded.
    assert.equal((await getPage(kuvert, `/post/${legal.id}`, anna)).status, 200);
    assert.equal((await getPage(kuvert, `/post/${legal.id}/videresend`, anna)).status, 409);
    assert.equal((await postForm(kuvert, `/post/${legal.id}/aabn`, anna, [])).status, 303);
    assert.equal((await getPage(kuvert, `/post/${legal.id}/videresend`, anna)).status, 200);

    const recalled = await sendLetter(kuvert, kk.apiKey, ANNA, { label: 'Tilbagekaldt brev' });
    const recall = await api(kuvert, kk.apiKey, 'POST', `/api/v1/messages/${recalled.id}/recall`);
    assert.ok(recall.status < 300);
    assert.equal((await getPage(kuvert, `/post/${recalled.id}/videresend`, anna)).status, 404);

    const plain = await sendLetter(kuvert, kk.apiKey, ANNA, { label: 'Brev uden token' });
    const before = await forwardCount();
    const noCsrf = await postForm(kuvert, `/post/${plain.id}/videresend`, { ...anna, csrf: 'forkert' }, [
      ['step', 'send'],
      ...toPerson(KAREN, 'Karen Holm'),
    ]);
    assert.equal(noCsrf.status, 403);
    assert.equal(await forwardCount(), before);
  });
});

describe('forwarding a letter to an authority', () => {
  test('the letter arrives in the authority’s inbound queue as a message from the mailbox with its documents; limits are the contact point’s', {
    timeout: 120_000,
  }, async () => {
    const cp = await api(kuvert, skat.apiKey, 'POST', '/api/v1/contact-points', {
      name: 'Spørgsmål om skat',
      maxAttachments: 2,
      maxTotalBytes: 100_000,
      allowedMediaTypes: ['application/pdf'],
    });
    assert.equal(cp.status, 201, JSON.stringify(cp.body));
    const textOnly = await api(kuvert, skat.apiKey, 'POST', '/api/v1/contact-points', {
      name: 'Kun tekst',
      maxAttachments: 1,
      maxTotalBytes: 100_000,
      allowedMediaTypes: ['text/plain'],
    });
    const letter = await sendLetter(kuvert, kk.apiKey, ANNA, { label: 'Brev til Skattestyrelsen' });

    const refused = await postForm(kuvert, `/post/${letter.id}/videresend`, anna, [
      ['step', 'confirm'],
      ['to', 'authority'],
      ['contactPoint', textOnly.body.id],
    ]);
    assert.equal(refused.status, 422);
    assert.match(visibleText(refused.text), /tager ikke imod brevets dokumenter/);

    const fields: [string, string][] = [
      ['to', 'authority'],
      ['contactPoint', cp.body.id],
      ['note', 'Jeg forstår ikke kommunens beregning.'],
    ];
    const confirm = await postForm(kuvert, `/post/${letter.id}/videresend`, anna, [['step', 'confirm'], ...fields]);
    assert.equal(confirm.status, 200);
    assert.match(
      visibleText(confirm.text),
      /Du videresender »Brev til Skattestyrelsen« til Skattestyrelsen \(Spørgsmål om skat\)/,
    );
    const sent = await postForm(kuvert, `/post/${letter.id}/videresend`, anna, [['step', 'send'], ...fields]);
    const inboundId = sentIdOf(sent);
    const inbound = await kuvert.services.db
      .selectFrom('inbound_message')
      .selectAll()
      .where('id', '=', inboundId)
      .executeTakeFirstOrThrow();
    assert.equal(inbound.sender_id, skat.id);
    assert.equal(inbound.subject, 'Videresendt: Brev til Skattestyrelsen');
    assert.equal(inbound.body, 'Jeg forstår ikke kommunens beregning.');
    const attachment = await kuvert.services.db
      .selectFrom('inbound_attachment')
      .selectAll()
      .where('inbound_id', '=', inboundId)
      .executeTakeFirstOrThrow();
    const original = await kuvert.services.db
      .selectFrom('message_document')
      .select('sha256')
      .where('message_id', '=', letter.id)
      .executeTakeFirstOrThrow();
    assert.equal(attachment.sha256, original.sha256);
    const file = await getPage(kuvert, `/post/sendt/${inboundId}/bilag/0`, anna);
    assert.equal(file.status, 200);
    assert.deepEqual(file.bytes, tinyPdf);

    const skatEvents = await storedEvents(skat.id);
    assert.ok(skatEvents.some((e) => e.type === 'RECIPIENT_MESSAGE' && e.data.inboundId === inboundId));
    assert.doesNotMatch(JSON.stringify(await storedEvents(kk.id)), new RegExp(inboundId));
    assert.match(
      await activity(anna),
      /Videresendte »Brev til Skattestyrelsen« til Skattestyrelsen \(Spørgsmål om skat\)/,
    );
  });
});
