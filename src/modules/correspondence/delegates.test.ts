import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  api,
  citizen,
  getPage,
  postMultipart,
  sendLetter,
  sentIdOf,
  type WebUser,
} from '../../../test/support/correspondence.ts';
import { createSender, tinyPdf } from '../../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { grantAccess } from '../access/grant-access.ts';
import { revokeAccess } from '../access/revoke-access.ts';

const ANNA = '1503851234';
const BO = '0101901235';
const CARL = '2409441238';

let kuvert: TestKuvert;
let kk: Awaited<ReturnType<typeof createSender>>;

before(async () => {
  kuvert = await startTestKuvert();
  kk = await createSender(kuvert.services.db, 'Københavns Kommune');
});
after(async () => kuvert?.stop());

/** The delegate looking at the owner's mailbox (the switcher's cookie). */
const inMailbox = (user: WebUser, mailboxId: string): WebUser => ({
  ...user,
  cookie: `${user.cookie}; kuvert_mailbox=${mailboxId}`,
});

test('with read/write access a delegate replies and writes from the owner’s mailbox and is shown as the writer; read access cannot; a revoked grant stops at once', {
  timeout: 120_000,
}, async () => {
  const anna = await citizen(kuvert, ANNA, 'Anna Jensen');
  const bo = await citizen(kuvert, BO, 'Bo Hansen');
  const carl = await citizen(kuvert, CARL, 'Carl Holm');
  const annaActor = { kind: 'citizen' as const, subject: 'a', name: 'Anna Jensen', recipientId: anna.id };
  const boGrant = await grantAccess(kuvert.services, annaActor, {
    mailboxId: anna.id,
    cpr: BO,
    name: 'Bo Hansen',
    level: 'read_write',
  });
  await grantAccess(kuvert.services, annaActor, { mailboxId: anna.id, cpr: CARL, name: 'Carl Holm', level: 'read' });
  const letter = await sendLetter(kuvert, kk.apiKey, ANNA, { label: 'Partshøring', replyAllowed: true });

  // Read/write: Bo replies to Anna's letter.
  const form = await getPage(kuvert, `/post/${letter.id}/svar`, bo);
  assert.equal(form.status, 200);
  assert.match(form.text, /Du skriver som Bo Hansen fra Anna Jensens postkasse/);
  const id = sentIdOf(
    await postMultipart(kuvert, `/post/${letter.id}/svar`, bo, { subject: 'Svar for Anna', body: 'Anna er enig.' }, [
      { name: 'fuldmagt.pdf', type: 'application/pdf', bytes: tinyPdf },
    ]),
  );
  const detail = await api(kuvert, kk.apiKey, 'GET', `/api/v1/inbound/${id}`);
  assert.deepEqual(detail.body.writtenBy, {
    name: 'Bo Hansen',
    access: 'read_write',
    via: 'grant',
    isMailboxOwner: false,
  });
  assert.equal(detail.body.from.name, 'Anna Jensen');

  // Anna sees who wrote it among what her mailbox sent; so does Bo in Anna's mailbox.
  for (const viewer of [anna, inMailbox(bo, anna.id)]) {
    const list = await getPage(kuvert, '/post/sendt', viewer);
    const row = list.text.split('<tr').find((r) => r.includes(`/post/sendt/${id}`)) ?? '';
    assert.match(row, /Bo Hansen \(med læse- og skriveadgang\)/);
  }
  assert.doesNotMatch((await getPage(kuvert, '/post/sendt', bo)).text, /Svar for Anna/, 'not in Bo’s own mailbox');

  // Read only: Carl can neither reply nor write.
  const carlForm = await getPage(kuvert, `/post/${letter.id}/svar`, carl);
  assert.equal(carlForm.status, 403);
  assert.match(carlForm.text, /kun læseadgang/);
  const carlPost = await postMultipart(kuvert, `/post/${letter.id}/svar`, carl, { subject: 'Svar', body: 'Hej' });
  assert.equal(carlPost.status, 403);
  const carlWrite = await getPage(kuvert, '/post/skriv', inMailbox(carl, anna.id));
  assert.equal(carlWrite.status, 403);
  assert.match(carlWrite.text, /kun læseadgang/);
  assert.equal((await getPage(kuvert, '/post/sendt', inMailbox(carl, anna.id))).status, 200, 'read access may look');

  // Read/write: Bo writes to a contact point from Anna's mailbox.
  const cp = await api(kuvert, kk.apiKey, 'POST', '/api/v1/contact-points', {
    name: 'Borgerservice',
    maxAttachments: 0,
    maxTotalBytes: 0,
    allowedMediaTypes: [],
  });
  const written = sentIdOf(
    await postMultipart(kuvert, `/post/skriv/${cp.body.id}`, inMailbox(bo, anna.id), {
      subject: 'Nyt sygesikringskort til Anna',
      body: 'Hun er flyttet.',
    }),
  );
  const writtenDetail = await api(kuvert, kk.apiKey, 'GET', `/api/v1/inbound/${written}`);
  assert.equal(writtenDetail.body.from.name, 'Anna Jensen');
  assert.equal(writtenDetail.body.writtenBy.name, 'Bo Hansen');
  assert.equal((await getPage(kuvert, `/post/skriv/${cp.body.id}`, inMailbox(carl, anna.id))).status, 303);

  // Revoked: Bo loses the right to reply at once.
  await revokeAccess(kuvert.services, annaActor, { mailboxId: anna.id, accessId: boGrant.id });
  assert.equal((await getPage(kuvert, `/post/${letter.id}/svar`, bo)).status, 404);
  const count = await kuvert.services.db
    .selectFrom('inbound_message')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(count.n), 2, 'only Bo’s reply and message were stored');
});
