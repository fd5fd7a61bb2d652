import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  api,
  citizen,
  getPage,
  postForm,
  postMultipart,
  senderStaff,
  sendLetter,
  sentIdOf,
  visibleText,
} from '../../../test/support/correspondence.ts';
import { createSender, tinyPdf } from '../../../test/support/fixtures.ts';
import { eventually, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { replyToLetter } from './write-to-authority.ts';

const ANNA = '1503851234';
const BO = '0101901235';
const MAX_DOC = 60_000;

let kuvert: TestKuvert;
let kk: Awaited<ReturnType<typeof createSender>>;
let skat: Awaited<ReturnType<typeof createSender>>;
let anna: Awaited<ReturnType<typeof citizen>>;
let bo: Awaited<ReturnType<typeof citizen>>;

before(async () => {
  // A small per-document limit, so "too large" needs no large files.
  kuvert = await startTestKuvert({ env: { KUVERT_MAX_DOCUMENT_BYTES: String(MAX_DOC) } });
  kk = await createSender(kuvert.services.db, 'Københavns Kommune');
  skat = await createSender(kuvert.services.db, 'Skattestyrelsen');
  anna = await citizen(kuvert, ANNA, 'Anna Jensen');
  bo = await citizen(kuvert, BO, 'Bo Hansen');
});
after(async () => kuvert?.stop());

const replyable = (overrides: Record<string, unknown> = {}) => ({
  label: 'Partshøring om din byggesag',
  senderReference: 'BYG-2026-17',
  replyAllowed: true,
  ...overrides,
});

/** A real PDF of about `size` bytes. */
const pdfOf = (size: number) => {
  const head = tinyPdf.subarray(0, tinyPdf.length - 6);
  return Buffer.concat([
    head,
    Buffer.from(`%${'x'.repeat(Math.max(0, size - tinyPdf.length - 2))}\n`),
    Buffer.from('%%EOF\n'),
  ]);
};

const documentFiles = () => {
  const root = path.join(kuvert.services.config.dataDir, 'documents');
  const walk = (dir: string): string[] => {
    try {
      return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(path.join(dir, e.name)) : [e.name],
      );
    } catch {
      return [];
    }
  };
  return new Set(walk(root));
};

const inboundCount = async () =>
  Number(
    (
      await kuvert.services.db
        .selectFrom('inbound_message')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function feedEvents(apiKey: string) {
  const all: any[] = [];
  let cursor = '';
  for (;;) {
    const page = await api(kuvert, apiKey, 'GET', `/api/v1/events?limit=1000${cursor ? `&after=${cursor}` : ''}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    all.push(...page.body.events);
    cursor = page.body.cursor;
    if (!page.body.hasMore) return all;
  }
}

describe('replying to a letter', () => {
  test('the owner replies with text and a PDF; the sender finds it in the API and the event feed, and acknowledges it', async () => {
    const letter = await sendLetter(kuvert, kk.apiKey, ANNA, replyable());
    const form = await getPage(kuvert, `/post/${letter.id}/svar`, anna);
    assert.equal(form.status, 200);
    assert.match(form.text, /<h1>Svar på brev<\/h1>/);
    assert.match(visibleText(form.text), /value="Svar: Partshøring om din byggesag"/);
    assert.match(form.text, /enctype="multipart\/form-data"/);
    const formKey = /name="formKey" value="([0-9a-f-]{36})"/.exec(form.text)?.[1] as string;

    const sent = await postMultipart(
      kuvert,
      `/post/${letter.id}/svar`,
      anna,
      { formKey, subject: 'Bemærkninger til byggesagen', body: 'Jeg har ingen indvendinger.\nMvh Anna' },
      [{ name: 'tegning.pdf', type: 'application/pdf', bytes: tinyPdf }],
    );
    const id = sentIdOf(sent);

    // Submitting the same form again stores nothing new.
    const again = await postMultipart(
      kuvert,
      `/post/${letter.id}/svar`,
      anna,
      { formKey, subject: 'Bemærkninger til byggesagen', body: 'Jeg har ingen indvendinger.\nMvh Anna' },
      [{ name: 'tegning.pdf', type: 'application/pdf', bytes: tinyPdf }],
    );
    assert.equal(sentIdOf(again), id);

    const item = await getPage(kuvert, `/post/sendt/${id}?sendt=1`, anna);
    assert.equal(item.status, 200);
    assert.match(item.text, /Din besked er sendt/);
    assert.match(item.text, /Bemærkninger til byggesagen/);
    assert.match(item.text, /Sendt – endnu ikke bekræftet modtaget af myndigheden/);
    assert.match(item.text, /tegning\.pdf/);
    const file = await getPage(kuvert, `/post/sendt/${id}/bilag/0`, anna);
    assert.equal(file.status, 200);
    assert.deepEqual(file.bytes, tinyPdf);

    // The sender's system: list, fetch, attachment, feed, acknowledge.
    // Listed once every older transaction has ended (the event feed's rule), so poll briefly.
    const listed = await eventually(async () => {
      const list = await api(kuvert, kk.apiKey, 'GET', '/api/v1/inbound');
      assert.equal(list.status, 200);
      return list.body.items.find((i: { id: string }) => i.id === id);
    });
    assert.ok(listed, 'the reply is listed');
    const detail = await api(kuvert, kk.apiKey, 'GET', `/api/v1/inbound/${id}`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.kind, 'reply');
    assert.equal(detail.body.text, 'Jeg har ingen indvendinger.\nMvh Anna');
    assert.deepEqual(detail.body.from, { kind: 'person', name: 'Anna Jensen', cpr: ANNA, cvr: null });
    assert.deepEqual(detail.body.writtenBy, {
      name: 'Anna Jensen',
      access: 'owner',
      via: 'self',
      isMailboxOwner: true,
    });
    assert.equal(detail.body.inReplyTo.messageUuid, letter.messageUuid);
    assert.equal(detail.body.inReplyTo.senderReference, 'BYG-2026-17');
    assert.equal(detail.body.contactPoint, null);
    assert.equal(detail.body.attachments.length, 1);
    assert.equal(detail.body.attachments[0].filename, 'tegning.pdf');
    const bytes = await api(kuvert, kk.apiKey, 'GET', detail.body.attachments[0].href);
    assert.equal(bytes.status, 200);
    assert.equal(bytes.headers.get('content-type'), 'application/pdf');
    assert.deepEqual(bytes.bytes, tinyPdf);

    const events = await eventually(async () => {
      const all = await feedEvents(kk.apiKey);
      return all.some((e) => e.type === 'RECIPIENT_REPLY') ? all : null;
    });
    const replies = events.filter((e) => e.type === 'RECIPIENT_REPLY');
    assert.equal(replies.length, 1, 'one event, though the form was sent twice');
    assert.equal(replies[0].messageId, letter.id);
    assert.equal(replies[0].messageUuid, letter.messageUuid);
    assert.deepEqual(replies[0].data, { inboundId: id });
    assert.ok(!(await feedEvents(skat.apiKey)).some((e) => e.type === 'RECIPIENT_REPLY'), 'not in another feed');

    assert.equal((await api(kuvert, skat.apiKey, 'GET', `/api/v1/inbound/${id}`)).status, 404);
    assert.equal((await api(kuvert, skat.apiKey, 'POST', `/api/v1/inbound/${id}/acknowledge`)).status, 404);

    const ack = await api(kuvert, kk.apiKey, 'POST', `/api/v1/inbound/${id}/acknowledge`);
    assert.equal(ack.status, 200);
    assert.ok(ack.body.acknowledgedAt);
    const ack2 = await api(kuvert, kk.apiKey, 'POST', `/api/v1/inbound/${id}/acknowledge`);
    assert.equal(ack2.status, 200);
    assert.equal(ack2.body.acknowledgedAt, ack.body.acknowledgedAt, 'acknowledging again changes nothing');
    const unacked = await api(kuvert, kk.apiKey, 'GET', '/api/v1/inbound?unacknowledged=true');
    assert.ok(!unacked.body.items.some((i: { id: string }) => i.id === id));

    const seen = await getPage(kuvert, `/post/sendt/${id}`, anna);
    assert.match(seen.text, /Modtaget af myndigheden/);
    const sentList = await getPage(kuvert, '/post/sendt', anna);
    assert.match(sentList.text, /Modtaget af myndigheden/);

    const audits = await kuvert.services.db
      .selectFrom('audit_event')
      .select(['action', 'actor_kind', 'mailbox_recipient_id'])
      .where('subject_id', '=', id)
      .where('action', 'in', ['correspondence.reply', 'correspondence.acknowledge'])
      .orderBy('id')
      .execute();
    assert.deepEqual(audits, [
      { action: 'correspondence.reply', actor_kind: 'citizen', mailbox_recipient_id: anna.id },
      { action: 'correspondence.acknowledge', actor_kind: 'sender_api', mailbox_recipient_id: anna.id },
    ]);
  });

  test('a letter that takes no reply, or whose reply-by time has passed, cannot be answered; nothing is stored', async () => {
    const closed = await sendLetter(kuvert, kk.apiKey, ANNA, replyable({ replyAllowed: false }));
    const page = await getPage(kuvert, `/post/${closed.id}/svar`, anna);
    assert.equal(page.status, 409);
    assert.match(page.text, /Afsenderen modtager ikke svar på dette brev/);

    const late = await sendLetter(kuvert, kk.apiKey, ANNA, replyable({ replyBy: '2020-01-01T12:00:00Z' }));
    const latePage = await getPage(kuvert, `/post/${late.id}/svar`, anna);
    assert.equal(latePage.status, 409);
    assert.match(latePage.text, /Fristen for at svare på dette brev er overskredet/);

    const before = await inboundCount();
    for (const id of [closed.id, late.id]) {
      const post = await postMultipart(kuvert, `/post/${id}/svar`, anna, { subject: 'Svar', body: 'Hej' });
      assert.equal(post.status, 409);
    }
    assert.equal(await inboundCount(), before);
  });

  test('someone else’s letter is "not found", not "forbidden"', async () => {
    const letter = await sendLetter(kuvert, kk.apiKey, ANNA, replyable());
    assert.equal((await getPage(kuvert, `/post/${letter.id}/svar`, bo)).status, 404);
    const post = await postMultipart(kuvert, `/post/${letter.id}/svar`, bo, { subject: 'Svar', body: 'Hej' });
    assert.equal(post.status, 404);
  });

  test('attachments of a type not accepted, or not what they claim, or too large are refused; nothing is stored', async () => {
    const letter = await sendLetter(kuvert, kk.apiKey, ANNA, replyable());
    const filesBefore = documentFiles();
    const before = await inboundCount();
    const cases: [string, { name: string; type: string; bytes: Buffer }[], number, RegExp][] = [
      [
        'zip',
        [{ name: 'arkiv.zip', type: 'application/zip', bytes: Buffer.from('PK\x03\x04zipzip') }],
        422,
        /arkiv\.zip har en filtype, der ikke modtages her\. Vælg PDF, TXT, PNG, JPEG, GIF/,
      ],
      [
        'fake pdf',
        [{ name: 'falsk.pdf', type: 'application/pdf', bytes: Buffer.from('not a pdf at all') }],
        422,
        /falsk\.pdf er ikke den filtype, den udgiver sig for/,
      ],
      [
        'too large',
        [{ name: 'stor.pdf', type: 'application/pdf', bytes: pdfOf(MAX_DOC + 5000) }],
        413,
        /stor\.pdf er for stor/,
      ],
      [
        'too many',
        Array.from({ length: 6 }, (_, i) => ({
          name: `side${i}.txt`,
          type: 'text/plain',
          bytes: Buffer.from(`side ${i}`),
        })),
        422,
        /højst vedhæfte 5 filer/,
      ],
    ];
    for (const [what, files, status, message] of cases) {
      const page = await postMultipart(
        kuvert,
        `/post/${letter.id}/svar`,
        anna,
        { subject: 'Mit svar', body: `Tekst der skal blive stående (${what})` },
        files,
      );
      assert.equal(page.status, status, `${what}: ${page.text.slice(0, 300)}`);
      const text = visibleText(page.text);
      assert.match(text, message, what);
      assert.match(
        text,
        new RegExp(`Tekst der skal blive stående \\(${what}\\)</textarea>`),
        `${what}: the text is kept`,
      );
      assert.match(text, /Vælg filerne igen/);
    }
    assert.equal(await inboundCount(), before, 'no message stored');
    assert.deepEqual(documentFiles(), filesBefore, 'no file stored');
  });

  test('an empty message is refused with a readable error by the field', async () => {
    const letter = await sendLetter(kuvert, kk.apiKey, ANNA, replyable());
    const page = await postMultipart(kuvert, `/post/${letter.id}/svar`, anna, { subject: 'Svar', body: '  ' });
    assert.equal(page.status, 422);
    assert.match(page.text, /id="body-error"[\s\S]*Skriv din besked/);
  });
});

describe('writing to a contact point', () => {
  test('a citizen chooses an authority’s contact point and writes within its limits; the sender gets RECIPIENT_MESSAGE', async () => {
    const cp = await api(kuvert, skat.apiKey, 'POST', '/api/v1/contact-points', {
      name: 'Skat – spørgsmål om forskudsopgørelse',
      description: 'Spørg om din forskudsopgørelse',
      maxAttachments: 1,
      maxTotalBytes: 30_000,
      allowedMediaTypes: ['application/pdf'],
    });
    const hidden = await api(kuvert, skat.apiKey, 'POST', '/api/v1/contact-points', {
      name: 'Lukket kontaktpunkt',
      maxAttachments: 0,
      maxTotalBytes: 0,
      allowedMediaTypes: [],
      active: false,
    });
    const choose = await getPage(kuvert, '/post/skriv', anna);
    assert.equal(choose.status, 200);
    assert.match(visibleText(choose.text), /Skattestyrelsen/);
    assert.match(choose.text, new RegExp(`href="/post/skriv/${cp.body.id}"`));
    assert.doesNotMatch(choose.text, /Lukket kontaktpunkt/, 'an inactive contact point is not offered');
    assert.equal((await getPage(kuvert, `/post/skriv/${hidden.body.id}`, anna)).status, 404);

    const form = await getPage(kuvert, `/post/skriv/${cp.body.id}`, anna);
    assert.equal(form.status, 200);
    assert.match(form.text, /Højst 1 filer \(PDF\)/);

    const before = await inboundCount();
    const tooMany = await postMultipart(
      kuvert,
      `/post/skriv/${cp.body.id}`,
      anna,
      { subject: 'Spørgsmål', body: 'Hej' },
      [
        { name: 'a.pdf', type: 'application/pdf', bytes: tinyPdf },
        { name: 'b.pdf', type: 'application/pdf', bytes: tinyPdf },
      ],
    );
    assert.equal(tooMany.status, 422);
    assert.match(tooMany.text, /højst vedhæfte 1 filer/);
    const png = await postMultipart(kuvert, `/post/skriv/${cp.body.id}`, anna, { subject: 'Spørgsmål', body: 'Hej' }, [
      {
        name: 'billede.png',
        type: 'image/png',
        bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]),
      },
    ]);
    assert.equal(png.status, 422, 'PNG is in Kuvert’s allow-list but not this contact point’s');
    const big = await postMultipart(kuvert, `/post/skriv/${cp.body.id}`, anna, { subject: 'Spørgsmål', body: 'Hej' }, [
      { name: 'stor.pdf', type: 'application/pdf', bytes: pdfOf(40_000) },
    ]);
    assert.equal(big.status, 413, 'over the contact point’s total');
    assert.equal(await inboundCount(), before);

    const sent = await postMultipart(
      kuvert,
      `/post/skriv/${cp.body.id}`,
      anna,
      { subject: 'Spørgsmål om fradrag', body: 'Kan jeg trække befordring fra?' },
      [{ name: 'koersel.pdf', type: 'application/pdf', bytes: tinyPdf }],
    );
    const id = sentIdOf(sent);
    const detail = await api(kuvert, skat.apiKey, 'GET', `/api/v1/inbound/${id}`);
    assert.equal(detail.body.kind, 'contact_point');
    assert.deepEqual(detail.body.contactPoint, { id: cp.body.id, name: 'Skat – spørgsmål om forskudsopgørelse' });
    assert.equal(detail.body.inReplyTo, null);
    assert.equal((await api(kuvert, kk.apiKey, 'GET', `/api/v1/inbound/${id}`)).status, 404);

    const event = await eventually(async () =>
      (await feedEvents(skat.apiKey)).find((e) => e.type === 'RECIPIENT_MESSAGE' && e.data.inboundId === id),
    );
    assert.deepEqual(event.data, { inboundId: id, contactPointId: cp.body.id });
    assert.ok(!event.messageId, 'a message to a contact point concerns no letter');

    const sentList = await getPage(kuvert, '/post/sendt', anna);
    const row = sentList.text.split('<tr').find((r) => r.includes(`/post/sendt/${id}`)) ?? '';
    assert.match(visibleText(row), /Skattestyrelsen – Skat – spørgsmål om forskudsopgørelse/);
    assert.match(row, /Anna Jensen/);
  });
});

describe('the total size of the attachments', () => {
  test('files that together pass the contact point’s total are refused while uploading; the text stays, nothing is stored', async () => {
    const cp = await api(kuvert, kk.apiKey, 'POST', '/api/v1/contact-points', {
      name: 'Byggesag',
      maxAttachments: 3,
      maxTotalBytes: 30_000,
      allowedMediaTypes: ['application/pdf'],
    });
    const filesBefore = documentFiles();
    const before = await inboundCount();
    const page = await postMultipart(
      kuvert,
      `/post/skriv/${cp.body.id}`,
      anna,
      { subject: 'Tegninger', body: 'Her er tegningerne.' },
      [
        { name: 'facade.pdf', type: 'application/pdf', bytes: pdfOf(20_000) },
        { name: 'snit.pdf', type: 'application/pdf', bytes: pdfOf(20_000) },
      ],
    );
    assert.equal(page.status, 413);
    assert.match(visibleText(page.text), /Filerne fylder for meget\. De må tilsammen højst være 29 kB/);
    assert.match(page.text, /Her er tegningerne\.<\/textarea>/);
    assert.equal(await inboundCount(), before);
    assert.deepEqual(documentFiles(), filesBefore);
  });
});

describe('writing for someone else', () => {
  test('a read/write delegate’s reply shows who wrote it; read-only access cannot reply', async () => {
    const letter = await sendLetter(kuvert, kk.apiKey, ANNA, replyable());
    const draft = { subject: 'Svar på vegne af Anna', body: 'Anna er indforstået.', formKey: '', files: [] };

    const before = await inboundCount();
    await assert.rejects(
      replyToLetter(kuvert.services, {
        actor: bo.actor,
        access: { mailboxId: anna.id, level: 'read', via: 'grant', grantId: null },
        letterId: letter.id,
        draft,
      }),
      (error: { code?: string; status?: number }) => error.code === 'read_only_access' && error.status === 403,
    );
    assert.equal(await inboundCount(), before, 'read-only access stored nothing');

    const written = await replyToLetter(kuvert.services, {
      actor: bo.actor,
      access: { mailboxId: anna.id, level: 'read_write', via: 'grant', grantId: null },
      letterId: letter.id,
      draft,
    });
    const detail = await api(kuvert, kk.apiKey, 'GET', `/api/v1/inbound/${written.id}`);
    assert.deepEqual(detail.body.writtenBy, {
      name: 'Bo Hansen',
      access: 'read_write',
      via: 'grant',
      isMailboxOwner: false,
    });
    assert.equal(detail.body.from.name, 'Anna Jensen');

    // The owner sees it among what her mailbox sent, with the delegate's name.
    const sentList = await getPage(kuvert, '/post/sendt', anna);
    const row = sentList.text.split('<tr').find((r) => r.includes(`/post/sendt/${written.id}`)) ?? '';
    assert.match(row, /Bo Hansen \(med læse- og skriveadgang\)/);
    const audit = await kuvert.services.db
      .selectFrom('audit_event')
      .select(['actor_id', 'mailbox_recipient_id', 'details'])
      .where('subject_id', '=', written.id)
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, bo.id);
    assert.equal(audit.mailbox_recipient_id, anna.id);
    assert.equal((audit.details as { access: string }).access, 'read_write');
  });
});

describe('the sender portal’s inbound messages', () => {
  test('staff see what recipients wrote to them and acknowledge it; others’ staff see nothing', async () => {
    const letter = await sendLetter(kuvert, kk.apiKey, ANNA, replyable({ label: 'Varsel om afgørelse' }));
    const id = sentIdOf(
      await postMultipart(kuvert, `/post/${letter.id}/svar`, anna, { subject: 'Om varslet', body: 'Jeg er uenig.' }),
    );
    const sofie = await senderStaff(kuvert, kk.id, 'Sofie Stab');
    const lars = await senderStaff(kuvert, skat.id, 'Lars Andersen');
    const list = await getPage(kuvert, '/afsender/henvendelser', sofie);
    assert.equal(list.status, 200);
    assert.match(list.text, new RegExp(`href="/afsender/henvendelser/${id}"`));
    assert.match(list.text, /Svar på: Varsel om afgørelse/);
    assert.doesNotMatch((await getPage(kuvert, '/afsender/henvendelser', lars)).text, /Om varslet/);
    assert.equal((await getPage(kuvert, `/afsender/henvendelser/${id}`, lars)).status, 404);

    const detail = await getPage(kuvert, `/afsender/henvendelser/${id}`, sofie);
    assert.equal(detail.status, 200);
    const opened = await kuvert.services.db
      .selectFrom('audit_event')
      .select(['actor_kind', 'actor_id', 'mailbox_recipient_id'])
      .where('subject_id', '=', id)
      .where('action', '=', 'correspondence.inbound.open')
      .execute();
    assert.deepEqual(opened, [{ actor_kind: 'sender_staff', actor_id: sofie.id, mailbox_recipient_id: anna.id }]);
    assert.match(detail.text, /Jeg er uenig\./);
    assert.doesNotMatch(detail.text, new RegExp(ANNA), 'no CPR number on the page');
    const ack = await postForm(kuvert, `/afsender/henvendelser/${id}/kvitter`, sofie, []);
    assert.equal(ack.status, 303);
    assert.match((await getPage(kuvert, `/afsender/henvendelser/${id}`, sofie)).text, /Kvitteret/);
    const row = await kuvert.services.db
      .selectFrom('inbound_message')
      .select(['acknowledged_by_kind', 'acknowledged_by_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { acknowledged_by_kind: 'sender_staff', acknowledged_by_id: sofie.id });
    assert.match((await getPage(kuvert, `/post/sendt/${id}`, anna)).text, /Modtaget af myndigheden/);
  });

  test('the API list pages with a cursor and hands out each message once', async () => {
    const cursorAt = async (after: string) =>
      api(kuvert, kk.apiKey, 'GET', `/api/v1/inbound?limit=2${after ? `&after=${after}` : ''}`);
    const all = await kuvert.services.db
      .selectFrom('inbound_message')
      .select('id')
      .where('sender_id', '=', kk.id)
      .execute();
    // A message is listed once every older transaction has ended (the event feed's rule): page until all are seen.
    let cursor = '';
    const seen = await eventually(async () => {
      const ids: string[] = [];
      cursor = '';
      for (let i = 0; i < 50; i++) {
        const page = await cursorAt(cursor);
        assert.equal(page.status, 200);
        ids.push(...page.body.items.map((x: { id: string }) => x.id));
        cursor = page.body.cursor;
        if (!page.body.hasMore) break;
      }
      return ids.length >= all.length ? ids : null;
    });
    assert.equal(seen.length, all.length);
    assert.equal(new Set(seen).size, seen.length);
    assert.deepEqual((await cursorAt(cursor)).body.items, [], 'nothing new after the last cursor');
    const bad = await api(kuvert, kk.apiKey, 'GET', '/api/v1/inbound?after=nonsense');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'invalid_cursor');
  });
});
