import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { createPerson } from '../../../test/support/fixtures.ts';
import { loadConfig } from '../../config.ts';
import { AppError } from '../../http/problem.ts';
import { createServices, type Services } from '../../services.ts';
import type { NotificationChannel, OutgoingNotification } from './channel.ts';
import {
  addContactDetail,
  confirmContactDetail,
  listContactDetails,
  normaliseEmail,
  normaliseMobile,
  recipientsWithUsableContact,
  removeContactDetail,
  resendCode,
  usableContactDetails,
} from './contact-details.ts';

/** Keeps what would have been sent, so a test can read the code the person received. */
class CapturingChannel implements NotificationChannel {
  sent: OutgoingNotification[] = [];
  async send(message: OutgoingNotification): Promise<void> {
    this.sent.push(message);
  }
  lastCode(): string {
    const body = this.sent.at(-1)?.body ?? '';
    const code = /\b(\d{6})\b/.exec(body)?.[1];
    assert.ok(code, 'a 6-digit code was sent');
    return code;
  }
}

const T0 = new Date('2026-05-04T10:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

let database: TestDatabase;
let services: Services;
let cprCounter = 0;

/** A fresh person with a CPR number valid by the date rules (day 01–28 of 1980, any sequence). */
async function person(name = 'Test Testesen') {
  cprCounter += 1;
  const day = String((cprCounter % 28) + 1).padStart(2, '0');
  const cpr = `${day}0180${String(1000 + cprCounter).slice(-4)}`;
  return createPerson(services.db, cpr, name);
}

async function rejects(promise: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${error}`);
    assert.equal(error.code, code);
    return error;
  }
  assert.fail(`expected ${code}`);
}

const row = (id: string) =>
  services.db.selectFrom('contact_detail').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

before(async () => {
  database = await createTestDatabase();
  services = createServices(
    loadConfig({ NODE_ENV: 'test', KUVERT_DATA_DIR: '/tmp/kuvert-contact-test-unused' }),
    database.db,
    database.pool,
  );
});
after(async () => database?.drop());

describe('normalising a mobile number', () => {
  test('Danish numbers with or without +45 or 0045, with spaces, become +45 and 8 digits', () => {
    for (const input of ['+45 12345678', '+4512345678', '0045 12345678', '004512345678', '12 34 56 78', '12345678']) {
      assert.equal(normaliseMobile(input), '+4512345678', input);
    }
    assert.equal(normaliseMobile(' 20-30-40-50 '), '+4520304050');
    assert.equal(normaliseMobile('+45 (20) 30 40 50'), '+4520304050');
  });

  test('numbers from other countries are accepted in E.164 with + or 00', () => {
    assert.equal(normaliseMobile('+46 70 123 45 67'), '+46701234567');
    assert.equal(normaliseMobile('0046701234567'), '+46701234567');
    assert.equal(normaliseMobile('+1 415 555 2671'), '+14155552671');
  });

  test('too short, too long, letters and other junk are refused with invalid_mobile', () => {
    for (const input of [
      '',
      '1234567',
      '123456789',
      '+45 1234567',
      '+45 123456789',
      '0045 1234567',
      '1234567a',
      'abcdefgh',
      '+45 12 34 56 7B',
      '+0123456789',
      '+12345',
      '+1234567890123456',
      '++4512345678',
      '12345678; drop table',
    ]) {
      assert.throws(
        () => normaliseMobile(input),
        (error: unknown) => error instanceof AppError && error.code === 'invalid_mobile' && error.field === 'mobile',
        input,
      );
    }
  });
});

describe('normalising an e-mail address', () => {
  test('trims, lower-cases the domain and keeps the local part as typed', () => {
    assert.equal(normaliseEmail('  Anna.Jensen@Example.DK '), 'Anna.Jensen@example.dk');
    assert.equal(normaliseEmail('a+post@sub.kommune.dk'), 'a+post@sub.kommune.dk');
    assert.equal(normaliseEmail('bo@Æblemost.dk'), 'bo@æblemost.dk');
  });

  test('addresses without a sane shape are refused with invalid_email', () => {
    for (const input of [
      '',
      'anna',
      'anna@',
      '@example.dk',
      'anna@example',
      'anna@@example.dk',
      'an na@example.dk',
      'anna@example..dk',
      '.anna@example.dk',
      'anna.@example.dk',
      'anna@-example.dk',
      'anna@example.d',
      '<anna>@example.dk',
      'anna@example.dk\nbcc:x@y.dk',
      `${'a'.repeat(65)}@example.dk`,
    ]) {
      assert.throws(
        () => normaliseEmail(input),
        (error: unknown) => error instanceof AppError && error.code === 'invalid_email',
        JSON.stringify(input),
      );
    }
  });
});

describe('adding and confirming', () => {
  test('an added e-mail is unconfirmed, gets a Danish code e-mail, and is confirmed with the code', async () => {
    const anna = await person('Anna Jensen');
    const channel = new CapturingChannel();
    const { id, codeExpiresAt, codeSent } = await addContactDetail(services, {
      recipientId: anna.id,
      kind: 'email',
      value: 'Anna@Example.dk',
      channel,
      now: T0,
    });
    assert.equal(codeSent, true);
    assert.equal(codeExpiresAt.toISOString(), minutes(15).toISOString());

    const [message] = channel.sent;
    assert.equal(message?.channel, 'email');
    assert.equal(message?.to, 'Anna@example.dk');
    assert.equal(message?.purpose, 'contact.code');
    assert.match(message?.subject ?? '', /Kuvert/);
    assert.match(message?.body ?? '', /Kuvert/);
    assert.match(message?.body ?? '', /15 minutter/);
    assert.doesNotMatch(message?.body ?? '', /Anna Jensen|Anna@/, 'nothing else about the person');

    const [listed] = await listContactDetails(services.db, anna.id, minutes(1));
    assert.equal(listed?.status, 'unconfirmed');
    assert.equal(listed?.lastConfirmedAt, null);
    assert.equal(listed?.codeExpiresAt?.toISOString(), minutes(15).toISOString());
    assert.deepEqual(await usableContactDetails(services.db, anna.id, minutes(1)), [], 'unconfirmed is never used');

    await confirmContactDetail(services, { recipientId: anna.id, id, code: channel.lastCode(), now: minutes(5) });
    const confirmed = await row(id);
    assert.equal(confirmed.confirmed_at?.toISOString(), minutes(5).toISOString());
    assert.equal(confirmed.last_confirmed_at?.toISOString(), minutes(5).toISOString());
    assert.equal(confirmed.code_hash, null, 'the code is cleared');
    assert.equal(confirmed.code_expires_at, null);
    assert.deepEqual(await usableContactDetails(services.db, anna.id, minutes(6)), [
      { id, kind: 'email', value: 'Anna@example.dk' },
    ]);
    assert.deepEqual([...(await recipientsWithUsableContact(services.db, [anna.id], minutes(6)))], [anna.id]);

    const audits = await services.db
      .selectFrom('audit_event')
      .selectAll()
      .where('subject_id', '=', id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audits.map((a) => [a.action, a.actor_kind, a.actor_id, a.mailbox_recipient_id, a.subject_type, a.details]),
      [
        ['contact.add', 'citizen', anna.id, anna.id, 'contact_detail', { kind: 'email' }],
        ['contact.confirm', 'citizen', anna.id, anna.id, 'contact_detail', { kind: 'email', reconfirmation: false }],
      ],
    );
  });

  test('the code is stored only as a keyed hash: the plain code is nowhere in the database', async () => {
    const bo = await person();
    const channel = new CapturingChannel();
    const { id } = await addContactDetail(services, {
      recipientId: bo.id,
      kind: 'mobile',
      value: '20 30 40 50',
      channel,
      now: T0,
    });
    const code = channel.lastCode();
    assert.equal(channel.sent[0]?.channel, 'sms');
    assert.equal(channel.sent[0]?.to, '+4520304050');
    assert.match(channel.sent[0]?.body ?? '', /Kuvert.*15 minutter/);
    const stored = await row(id);
    assert.match(stored.code_hash ?? '', /^[0-9a-f]{64}$/);
    assert.doesNotMatch(JSON.stringify(stored), new RegExp(code));
    const audits = await services.db.selectFrom('audit_event').selectAll().execute();
    const sends = await services.db.selectFrom('contact_code_send').selectAll().execute();
    for (const text of [JSON.stringify(audits), JSON.stringify(sends)]) {
      assert.doesNotMatch(text, new RegExp(code));
      assert.doesNotMatch(text, /20304050|@example\.dk/i, 'no address or number in the audit log');
    }
  });

  test('at most 2 e-mails and 1 mobile; the same detail twice is refused after normalisation', async () => {
    const carl = await person();
    const channel = new CapturingChannel();
    const add = (kind: 'email' | 'mobile', value: string) =>
      addContactDetail(services, { recipientId: carl.id, kind, value, channel, now: T0 });
    await add('email', 'carl@example.dk');
    await rejects(add('email', 'carl@EXAMPLE.dk'), 'already_added');
    await add('email', 'carl@arbejde.dk');
    const tooMany = await rejects(add('email', 'carl@tredje.dk'), 'too_many_emails');
    assert.equal(tooMany.status, 409);
    assert.equal(tooMany.field, 'email');
    await add('mobile', '+45 11 22 33 44');
    await rejects(add('mobile', '0045 11223344'), 'already_added');
    await rejects(add('mobile', '55667788'), 'too_many_mobiles');
    await rejects(add('email', 'not an address'), 'invalid_email');
    assert.equal((await listContactDetails(services.db, carl.id, T0)).length, 3);
  });
});

describe('codes', () => {
  test('a code expires after 15 minutes; then a new one must be requested', async () => {
    const dora = await person();
    const channel = new CapturingChannel();
    const { id } = await addContactDetail(services, {
      recipientId: dora.id,
      kind: 'email',
      value: 'dora@example.dk',
      channel,
      now: T0,
    });
    const code = channel.lastCode();
    await rejects(confirmContactDetail(services, { recipientId: dora.id, id, code, now: minutes(15) }), 'code_expired');
    await rejects(confirmContactDetail(services, { recipientId: dora.id, id, code, now: minutes(16) }), 'no_code');
    assert.equal((await row(id)).confirmed_at, null);

    await resendCode(services, { recipientId: dora.id, id, channel, now: minutes(20) });
    await confirmContactDetail(services, {
      recipientId: dora.id,
      id,
      code: channel.lastCode(),
      now: minutes(34.9),
    });
    assert.equal((await listContactDetails(services.db, dora.id, minutes(35)))[0]?.status, 'confirmed');
  });

  test('three wrong attempts void the code, even the right one afterwards; a new code works', async () => {
    const erik = await person();
    const channel = new CapturingChannel();
    const { id } = await addContactDetail(services, {
      recipientId: erik.id,
      kind: 'email',
      value: 'erik@example.dk',
      channel,
      now: T0,
    });
    const code = channel.lastCode();
    const wrong = code === '000000' ? '111111' : '000000';
    const attempt = (c: string) =>
      confirmContactDetail(services, { recipientId: erik.id, id, code: c, now: minutes(1) });

    const first = await rejects(attempt(wrong), 'wrong_code');
    assert.equal(first.extra.attemptsLeft, 2);
    assert.equal((await rejects(attempt(wrong), 'wrong_code')).extra.attemptsLeft, 1);
    await rejects(attempt(wrong), 'code_attempts_exceeded');
    await rejects(attempt(code), 'code_attempts_exceeded');
    const stored = await row(id);
    assert.equal(stored.code_hash, null);
    assert.equal(stored.confirmed_at, null);
    await rejects(attempt('12 34'), 'invalid_code');

    await resendCode(services, { recipientId: erik.id, id, channel, now: minutes(2) });
    assert.equal((await row(id)).code_attempts, 0, 'a new code has 3 new attempts');
    await confirmContactDetail(services, { recipientId: erik.id, id, code: channel.lastCode(), now: minutes(3) });
  });

  test('at most 3 codes per detail per hour', async () => {
    const frida = await person();
    const channel = new CapturingChannel();
    const { id } = await addContactDetail(services, {
      recipientId: frida.id,
      kind: 'email',
      value: 'frida@example.dk',
      channel,
      now: T0,
    });
    await resendCode(services, { recipientId: frida.id, id, channel, now: minutes(1) });
    await resendCode(services, { recipientId: frida.id, id, channel, now: minutes(2) });
    const limited = await rejects(
      resendCode(services, { recipientId: frida.id, id, channel, now: minutes(3) }),
      'rate_limited',
    );
    assert.equal(limited.status, 429);
    assert.equal(limited.extra.retryAt, minutes(60).toISOString(), 'when the oldest code leaves the hour');
    assert.equal(channel.sent.length, 3, 'nothing sent when refused');
    await resendCode(services, { recipientId: frida.id, id, channel, now: minutes(60.1) });
    assert.equal(channel.sent.length, 4);
  });

  test('at most 10 codes per person per day, also across removing and adding a detail again', async () => {
    const gustav = await person();
    const channel = new CapturingChannel();
    const add = (kind: 'email' | 'mobile', value: string, now: Date) =>
      addContactDetail(services, { recipientId: gustav.id, kind, value, channel, now });
    const resend = (id: string, now: Date) => resendCode(services, { recipientId: gustav.id, id, channel, now });

    const e1 = await add('email', 'g1@example.dk', T0);
    const e2 = await add('email', 'g2@example.dk', T0);
    const m = await add('mobile', '30303030', T0);
    for (const { id } of [e1, e2, m]) {
      await resend(id, minutes(1));
      await resend(id, minutes(2));
    }
    await resend(e1.id, minutes(70));
    assert.equal(channel.sent.length, 10);
    const limited = await rejects(resend(e2.id, minutes(71)), 'rate_limited');
    assert.equal(limited.extra.retryAt, minutes(24 * 60).toISOString());

    await removeContactDetail(services, { recipientId: gustav.id, id: e2.id });
    const again = await rejects(add('email', 'g2@example.dk', minutes(72)), 'rate_limited');
    assert.equal(again.field, 'email');
    assert.equal(channel.sent.length, 10);
    await add('email', 'g2@example.dk', minutes(24 * 60 + 1));
  });
});

describe('which details are used', () => {
  test('only confirmed, working details confirmed within 18 months are usable; the statuses say why', async () => {
    const hanne = await person();
    const channel = new CapturingChannel();
    const add = async (kind: 'email' | 'mobile', value: string, confirm: boolean) => {
      const { id } = await addContactDetail(services, { recipientId: hanne.id, kind, value, channel, now: T0 });
      if (confirm) {
        await confirmContactDetail(services, { recipientId: hanne.id, id, code: channel.lastCode(), now: T0 });
      }
      return id;
    };
    const unconfirmed = await add('email', 'ny@example.dk', false);
    const old = await add('email', 'gammel@example.dk', true);
    const failing = await add('mobile', '40404040', true);

    const now = new Date('2027-11-04T09:59:59.000Z'); // 1 second short of 18 months after T0
    assert.deepEqual(
      (await usableContactDetails(services.db, hanne.id, now)).map((d) => d.id).sort(),
      [old, failing].sort(),
    );

    await services.db.updateTable('contact_detail').set({ failing_since: T0 }).where('id', '=', failing).execute();
    const later = new Date('2027-11-04T10:00:00.000Z'); // exactly 18 months
    const statuses = Object.fromEntries(
      (await listContactDetails(services.db, hanne.id, later)).map((d) => [d.id, d.status]),
    );
    assert.deepEqual(statuses, {
      [unconfirmed]: 'unconfirmed',
      [old]: 'needs_reconfirmation',
      [failing]: 'failing',
    });
    assert.deepEqual(await usableContactDetails(services.db, hanne.id, later), []);
    assert.equal((await recipientsWithUsableContact(services.db, [hanne.id], later)).size, 0);

    // Confirming again makes it usable again and forgets the delivery failure.
    for (const id of [old, failing]) {
      await resendCode(services, { recipientId: hanne.id, id, channel, now: later });
      await confirmContactDetail(services, { recipientId: hanne.id, id, code: channel.lastCode(), now: later });
    }
    assert.deepEqual(
      (await usableContactDetails(services.db, hanne.id, later)).map((d) => d.id).sort(),
      [old, failing].sort(),
    );
    const reconfirmed = await row(old);
    assert.equal(reconfirmed.confirmed_at?.toISOString(), T0.toISOString(), 'the first confirmation is kept');
    assert.equal(reconfirmed.last_confirmed_at?.toISOString(), later.toISOString());
    assert.equal((await row(failing)).failing_since, null);
  });
});

describe('ownership', () => {
  test("a person cannot confirm, resend or remove someone else's detail: not found, and nothing changes", async () => {
    const owner = await person();
    const other = await person();
    const channel = new CapturingChannel();
    const { id } = await addContactDetail(services, {
      recipientId: owner.id,
      kind: 'email',
      value: 'ejer@example.dk',
      channel,
      now: T0,
    });
    const code = channel.lastCode();
    await rejects(confirmContactDetail(services, { recipientId: other.id, id, code, now: T0 }), 'not_found');
    await rejects(resendCode(services, { recipientId: other.id, id, channel, now: T0 }), 'not_found');
    await rejects(removeContactDetail(services, { recipientId: other.id, id }), 'not_found');
    await rejects(removeContactDetail(services, { recipientId: owner.id, id: 'not-a-uuid' }), 'not_found');
    const stored = await row(id);
    assert.equal(stored.code_attempts, 0);
    assert.equal(stored.confirmed_at, null);
    assert.equal(channel.sent.length, 1);

    await removeContactDetail(services, { recipientId: owner.id, id });
    assert.equal((await listContactDetails(services.db, owner.id, T0)).length, 0);
    const removal = await services.db
      .selectFrom('audit_event')
      .selectAll()
      .where('subject_id', '=', id)
      .where('action', '=', 'contact.remove')
      .executeTakeFirstOrThrow();
    assert.deepEqual(removal.details, { kind: 'email' });
    assert.equal(removal.mailbox_recipient_id, owner.id);
  });
});
