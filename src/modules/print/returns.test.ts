import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../../../test/support/kuvert.ts';
import { createPrintLetter, type PrintTestContext, startPrintServices } from '../../../test/support/print.ts';
import { type App, createApp } from '../../app.ts';
import { createLogger } from '../../logger.ts';
import { listEvents } from '../events/index.ts';
import { getMessageStatus } from '../messages/get-message-status.ts';
import { CaseworkerPersonView } from '../registry/caseworker.views.tsx';
import { applyPopulationBatch } from '../registry/population-batch.ts';
import { applyPopulationEvent } from '../registry/population-events.ts';
import type { PopulationRecord } from '../registry/population-record.ts';
import { reachabilityOf } from '../registry/reachability.ts';
import { findRegistrationById } from '../registry/registry.repository.ts';
import { LetterView } from '../senders/letters.views.tsx';
import { buildPrintBatches } from './build-print-batch.ts';
import { confirmPrintBatch } from './confirm-print-batch.ts';

const TOKEN = 'print-provider-token-0123456789-abcdefghij';
const auth = { authorization: `Bearer ${TOKEN}` };
const text = (s: string) => [{ title: 'Brev', mediaType: 'text/plain', bytes: Buffer.from(s) }];

let ctx: PrintTestContext;
let app: App;
before(async () => {
  ctx = await startPrintServices({ KUVERT_PRINT_PROVIDER_TOKEN: TOKEN });
  app = await createApp(ctx.services, createLogger('warn', process.stderr));
  await app.ready();
});
after(async () => {
  await app?.close();
  await ctx?.stop();
});

const db = () => ctx.services.db;
const eventsOf = (messageId: string, type: string) =>
  db()
    .selectFrom('message_event_expanded')
    .select(['type', 'data', 'occurred_at'])
    .where('message_id', '=', messageId)
    .where('type', '=', type)
    .execute();
const recipientOf = (id: string) =>
  db().selectFrom('recipient').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const jobOf = (id: string) =>
  db().selectFrom('print_job').selectAll().where('message_id', '=', id).executeTakeFirstOrThrow();

/** A letter printed in its own batch and confirmed as posted. */
async function postedLetter() {
  const letter = await createPrintLetter(ctx.services, { documents: text('Kære modtager') });
  const built = await buildPrintBatches(ctx.services);
  const batch = built.batches.find((b) => b.letters > 0);
  assert.ok(batch);
  await confirmPrintBatch(ctx.services, batch.id);
  return letter;
}

const report = (returns: unknown[]) =>
  app.inject({ method: 'POST', url: '/api/v1/print/returns', headers: auth, payload: { returns } });

describe('a letter that cannot be printed', () => {
  test('fails with its reason: the status API says rejected with no_postal_address, as its FAILED event does', async () => {
    const homeless = await createPrintLetter(ctx.services, {
      documents: text('Hej'),
      recipient: { name: 'Uden Adresse', addressLines: [], postcode: null, city: null },
    });
    await buildPrintBatches(ctx.services);
    const status = await getMessageStatus(ctx.services, homeless.sender_id, homeless.id);
    assert.equal(status.status, 'rejected');
    assert.equal(status.rejectedReason, 'no_postal_address');
    const failed = status.events.filter((e) => e.type === 'FAILED');
    assert.equal(failed.length, 1);
    assert.deepEqual(
      { channel: failed[0]?.data.channel, reason: failed[0]?.data.reason },
      { channel: 'print', reason: 'no_postal_address' },
    );
  });
});

describe('the print provider reports returned letters', () => {
  test('a return writes RETURNED_TO_SENDER with the reason, makes the letter returned and the address doubtful', async () => {
    const letter = await postedLetter();
    const returnedAt = '2026-12-04T10:15:00.000Z';
    const res = await report([{ letterId: letter.id, reason: 'moved', returnedAt }]);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      recorded: 1,
      alreadyRecorded: 0,
      letters: [{ letterId: letter.id, outcome: 'recorded' }],
    });

    const events = await eventsOf(letter.id, 'RETURNED_TO_SENDER');
    assert.equal(events.length, 1);
    assert.deepEqual(events[0]?.data, { channel: 'print', reason: 'moved' });
    assert.equal(new Date(events[0]?.occurred_at as Date).toISOString(), returnedAt);

    const status = await getMessageStatus(ctx.services, letter.sender_id, letter.id);
    assert.equal(status.status, 'returned');
    assert.equal(status.returnedReason, 'moved');
    assert.equal(status.returnedAt, returnedAt);

    const recipient = await recipientOf(letter.recipientId);
    assert.equal(recipient.address_doubt_reason, 'moved');
    assert.equal(new Date(recipient.address_doubtful_since as Date).toISOString(), returnedAt);
    const job = await jobOf(letter.id);
    assert.equal(job.state, 'sent', 'still a posted letter (proofs of posting read it)');
    assert.equal(job.return_reason, 'moved');

    const audit = await db()
      .selectFrom('audit_event')
      .select(['action', 'details'])
      .where('subject_id', '=', letter.recipientId)
      .where('action', '=', 'registry.address_doubtful')
      .execute();
    assert.equal(audit.length, 1);
  });

  test('the sender portal, the caseworker and the reachability look-up show the return', async () => {
    const letter = await postedLetter();
    await report([{ letterId: letter.id, reason: 'insufficient_address', returnedAt: '2026-12-05T08:00:00Z' }]);
    const status = await getMessageStatus(ctx.services, letter.sender_id, letter.id);
    const portal = String(await LetterView({ lang: 'da', letter: status, justSent: false }));
    assert.match(portal, /Kommet retur/);
    assert.match(portal, /Kommet retur med posten: utilstrækkelig adresse/);

    const registration = await findRegistrationById(ctx.services.db, letter.recipientId);
    assert.ok(registration);
    const page = String(
      await CaseworkerPersonView({
        lang: 'en',
        view: { registration, age: 56, history: [] },
        csrf: '' as never,
        deathRetentionYears: 5,
      }),
    );
    assert.match(page, /Doubtful address/);
    assert.match(page, /came back \(insufficient address\)/);
    assert.match(page, /Åboulevarden 12, 3\. tv\./);

    const noOne = async () => new Set<string>();
    const reach = await reachabilityOf(ctx.services.db, letter.recipientId, noOne);
    assert.equal(reach.channel, 'print');
    assert.equal(reach.postalAddressDoubtful, true);
  });

  test('the sender is told through its event feed', async () => {
    const letter = await postedLetter();
    await report([{ letterId: letter.id, reason: 'unknown_addressee', returnedAt: '2026-12-05T08:00:00Z' }]);
    // The feed shows an event once every transaction before it has settled (events' visibility horizon), so under
    // load it may take a moment.
    const returned = await eventually(async () => {
      const page = await listEvents(ctx.services, letter.sender_id, { limit: 1000 });
      const found = page.events.filter((e) => e.type === 'RETURNED_TO_SENDER' && e.messageId === letter.id);
      return found.length > 0 ? found : null;
    });
    assert.equal(returned.length, 1);
    assert.equal(returned[0]?.data.reason, 'unknown_addressee');
  });

  test('reporting the same return again (or twice in one report) changes nothing', async () => {
    const letter = await postedLetter();
    const item = { letterId: letter.id, reason: 'unknown_addressee', returnedAt: '2026-12-05T09:00:00Z' };
    const first = await report([item, item]);
    assert.equal(first.statusCode, 200);
    assert.deepEqual([first.json().recorded, first.json().alreadyRecorded], [1, 1]);
    const doubtBefore = await recipientOf(letter.recipientId);
    const again = await report([{ ...item, reason: 'deceased', returnedAt: '2026-12-05T11:00:00Z' }]);
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json().letters, [{ letterId: letter.id, outcome: 'already_recorded' }]);
    assert.equal((await eventsOf(letter.id, 'RETURNED_TO_SENDER')).length, 1);
    assert.equal((await jobOf(letter.id)).return_reason, 'unknown_addressee');
    assert.deepEqual(await recipientOf(letter.recipientId), doubtBefore);
  });

  test('a refused letter is returned, but its address stays trusted', async () => {
    const letter = await postedLetter();
    const res = await report([{ letterId: letter.id, reason: 'refused', returnedAt: '2026-12-05T09:00:00Z' }]);
    assert.equal(res.statusCode, 200);
    assert.equal((await getMessageStatus(ctx.services, letter.sender_id, letter.id)).status, 'returned');
    assert.equal((await recipientOf(letter.recipientId)).address_doubtful_since, null);
  });

  test('an unknown letter refuses the whole report with 422 and changes nothing', async () => {
    const letter = await postedLetter();
    const res = await report([
      { letterId: letter.id, reason: 'moved', returnedAt: '2026-12-05T09:00:00Z' },
      { letterId: '6f1c0b9e-8a0e-4d4c-9a55-3b1f0c2d7e11', reason: 'moved', returnedAt: '2026-12-05T09:00:00Z' },
    ]);
    assert.equal(res.statusCode, 422);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    assert.equal(res.json().code, 'print_return_unknown_letter');
    assert.equal(res.json().errors[0].field, '/returns/1/letterId');
    assert.equal((await eventsOf(letter.id, 'RETURNED_TO_SENDER')).length, 0);
    assert.equal((await jobOf(letter.id)).returned_at, null);
    assert.equal((await recipientOf(letter.recipientId)).address_doubtful_since, null);
    assert.equal((await getMessageStatus(ctx.services, letter.sender_id, letter.id)).status, 'print_queued');
  });

  test('a letter not yet confirmed as posted cannot come back (409); bad input is 400 or 422', async () => {
    const queued = await createPrintLetter(ctx.services, { documents: text('Hej') });
    const notPosted = await report([{ letterId: queued.id, reason: 'moved', returnedAt: '2026-12-05T09:00:00Z' }]);
    assert.equal(notPosted.statusCode, 409);
    assert.equal(notPosted.json().code, 'print_return_not_posted');
    for (const returns of [
      [],
      [{ letterId: 'nope', reason: 'moved', returnedAt: '2026-12-05T09:00:00Z' }],
      [{ letterId: queued.id, reason: 'lost', returnedAt: '2026-12-05T09:00:00Z' }],
      [{ letterId: queued.id, reason: 'moved' }],
      [{ letterId: queued.id, reason: 'moved', returnedAt: '2026-12-05T09:00:00Z', cpr: '0101701000' }],
    ]) {
      const res = await report(returns);
      assert.equal(res.statusCode, 400, JSON.stringify(returns));
    }
    const future = await report([{ letterId: queued.id, reason: 'moved', returnedAt: '2099-01-01T00:00:00Z' }]);
    assert.equal(future.statusCode, 422);
    assert.equal(future.json().errors[0].field, '/returns/0/returnedAt');
    assert.equal((await jobOf(queued.id)).returned_at, null);
  });

  test('a wrong token is 401', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/print/returns',
      headers: { authorization: 'Bearer wrong' },
      payload: { returns: [] },
    });
    assert.equal(res.statusCode, 401);
  });
});

describe('the population import and a doubtful address', () => {
  const actor = { kind: 'population' as const, id: 'test-import' };
  async function doubtfulPerson() {
    const letter = await postedLetter();
    await report([{ letterId: letter.id, reason: 'moved', returnedAt: '2026-12-05T09:00:00Z' }]);
    const person = await recipientOf(letter.recipientId);
    assert.ok(person.address_doubtful_since);
    return person;
  }
  const record = (
    person: { cpr: string | null; name: string; address_lines: string[]; postcode: string | null; city: string | null },
    line: number,
  ): PopulationRecord => ({
    line,
    cpr: person.cpr as string,
    name: person.name,
    birthDate: '1970-01-01',
    sex: 'F',
    addressLines: person.address_lines,
    postcode: person.postcode,
    city: person.city,
    municipalityCode: '0101',
    event: 'address_change',
  });

  test('the same address again keeps the doubt; a new address clears it (one event at a time)', async () => {
    const person = await doubtfulPerson();
    await db()
      .transaction()
      .execute((trx) => applyPopulationEvent(trx, record(person, 2), actor, new Date()));
    assert.ok((await recipientOf(person.id)).address_doubtful_since, 'same address: still doubtful');
    await db()
      .transaction()
      .execute((trx) =>
        applyPopulationEvent(trx, { ...record(person, 3), addressLines: ['Nørregade 4, 2. th.'] }, actor, new Date()),
      );
    const after = await recipientOf(person.id);
    assert.deepEqual([after.address_doubtful_since, after.address_doubt_reason], [null, null]);
    assert.deepEqual(after.address_lines, ['Nørregade 4, 2. th.']);
  });

  test('a new address from a population file (the batch path) clears the doubt', async () => {
    const person = await doubtfulPerson();
    await db()
      .transaction()
      .execute((trx) => applyPopulationBatch(trx, [record(person, 2)], actor, new Date()));
    assert.ok((await recipientOf(person.id)).address_doubtful_since, 'same address: still doubtful');
    await db()
      .transaction()
      .execute((trx) =>
        applyPopulationBatch(trx, [{ ...record(person, 3), postcode: '8200', city: 'Aarhus N' }], actor, new Date()),
      );
    const after = await recipientOf(person.id);
    assert.deepEqual([after.address_doubtful_since, after.address_doubt_reason], [null, null]);
    assert.equal(after.postcode, '8200');
  });
});
