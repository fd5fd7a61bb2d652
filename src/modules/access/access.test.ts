import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type Citizen,
  cprAged,
  createBusiness,
  createResident,
  deliverLetter,
  getPage,
  postForm,
  sessionFor,
} from '../../../test/support/access.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { loadMunicipalities } from '../../db/municipalities.ts';
import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import { recordRead } from '../mailbox/record-read.ts';
import { insertDelegation } from './access.repository.ts';
import { grantAccess } from './grant-access.ts';
import { listMailboxActivity } from './list-activity.ts';
import {
  type AccessLevel,
  type AccessVia,
  MAILBOX_ACTIONS,
  type MailboxAction,
  mayInMailbox,
} from './mailbox.policy.ts';
import { listOpenableMailboxes, resolveMailboxAccess } from './mailbox-access.ts';
import { prepareDelegation, type RegisterDelegationOptions, registerDelegation } from './register-delegation.ts';
import { revokeAccess } from './revoke-access.ts';
import { revokeDelegationAsCaseworker } from './revoke-delegation.ts';

/** What each level may do, written out from the issue (the policy's own table is not reused). */
const allowedTo: Record<AccessLevel, MailboxAction[]> = {
  owner: [...MAILBOX_ACTIONS],
  read_write: ['list', 'read', 'organise', 'delete', 'act', 'reply', 'write', 'forward'],
  read: ['list', 'read'],
};

const DAY = 86_400_000;
let kuvert: TestKuvert;
const now = new Date();

let anna: Citizen;
let karen: Citizen;
let bo: Citizen;
let dan: Citizen;
let ellen: Citizen;
let mikkel: Citizen;
let frida: Citizen;
let carl: Citizen;
let firm: string;
const ANNA_CPR = '1503851234';
const KAREN_CPR = '2409441238';
const BO_CPR = '0101901235';
const DAN_CPR = '1207791111';
const ELLEN_CPR = '0303752222';
const FRIDA_CPR = '1111923333';
const CARL_CPR = '0505654444';
const caseworker: Extract<Actor, { kind: 'caseworker' }> = {
  kind: 'caseworker',
  subject: 'test-sofie',
  name: 'Sofie Madsen',
  staffId: '',
  municipalityCode: '0101',
};
const otherCaseworker: Extract<Actor, { kind: 'caseworker' }> = {
  kind: 'caseworker',
  subject: 'test-olga',
  name: 'Olga Aarhus',
  staffId: '',
  municipalityCode: '0751',
};
const senderStaff: Actor = { kind: 'sender_staff', subject: 't-l', name: 'Lars', staffId: 'x', senderId: 'y' };
const operator: Actor = { kind: 'operator', subject: 't-o', name: 'Ops', staffId: 'z' };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected an AppError');
}

/** What citizen service's two steps do: check (the confirmation page), then register with the plan's code. */
async function registerConfirmed(
  actor: Extract<Actor, { kind: 'caseworker' }>,
  options: RegisterDelegationOptions,
  at = new Date(),
) {
  const plan = await prepareDelegation(kuvert.services, actor, options, at);
  return registerDelegation(kuvert.services, actor, { ...options, confirmation: plan.confirmation }, at);
}

async function delegationCount(mailboxId: string) {
  const row = await kuvert.services.db
    .selectFrom('mailbox_access')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('mailbox_id', '=', mailboxId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  const db = kuvert.services.db;
  await loadMunicipalities(db);
  anna = await createResident(db, ANNA_CPR, 'Anna Jensen');
  karen = await createResident(db, KAREN_CPR, 'Karen Holm', '0751');
  bo = await createResident(db, BO_CPR, 'Bo Berg');
  dan = await createResident(db, DAN_CPR, 'Dan Dahl');
  ellen = await createResident(db, ELLEN_CPR, 'Ellen Marie Nielsen', '0461');
  mikkel = await createResident(db, cprAged(16, now), 'Mikkel Nielsen');
  frida = await createResident(db, FRIDA_CPR, 'Frida Fog');
  carl = await createResident(db, CARL_CPR, 'Carl Clausen');
  firm = await createBusiness(db, '41234563', 'Jensen Design ApS');
  for (const cw of [caseworker, otherCaseworker]) {
    const row = await db
      .insertInto('staff_user')
      .values({ subject: cw.subject, name: cw.name, role: 'caseworker', municipality_code: cw.municipalityCode })
      .returning('id')
      .executeTakeFirstOrThrow();
    cw.staffId = row.id;
  }
});
after(async () => {
  await kuvert?.stop();
});

describe('resolveMailboxAccess + mayInMailbox: every role × action × own / other / granted / revoked / expired', () => {
  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(now);

  /** Checks every action for an actor in a mailbox against the expected level (null: nothing). */
  async function expectAccess(
    actor: Actor | null,
    mailboxId: string,
    at: Date,
    want: { level: AccessLevel; via: AccessVia } | null,
    label: string,
  ) {
    const access = await resolveMailboxAccess(kuvert.services.db, actor, mailboxId, at);
    assert.equal(access?.level ?? null, want?.level ?? null, `${label}: level`);
    assert.equal(access?.via ?? null, want?.via ?? null, `${label}: via`);
    for (const action of MAILBOX_ACTIONS) {
      const expected = want !== null && allowedTo[want.level].includes(action);
      assert.equal(mayInMailbox(actor, access, action), expected, `${label}: ${action}`);
    }
  }

  test('a citizen owner does everything in their own mailbox and nothing in another', async () => {
    await expectAccess(anna, anna.recipientId, now, { level: 'owner', via: 'self' }, 'own');
    await expectAccess(anna, carl.recipientId, now, null, 'other');
  });

  type Case = {
    role: string;
    actor: Citizen;
    mailbox: () => string;
    give: () => Promise<{ id: string; endsAt: Date }>;
    want: { level: AccessLevel; via: AccessVia };
    revoke: (id: string) => Promise<unknown>;
  };
  const cases: Case[] = [
    {
      role: 'a citizen with a read grant',
      actor: {} as Citizen,
      mailbox: () => anna.recipientId,
      give: async () => {
        const { id } = await grantAccess(
          kuvert.services,
          anna,
          {
            mailboxId: anna.recipientId,
            cpr: KAREN_CPR,
            name: 'Karen Holm',
            level: 'read',
            endDate: today(),
          },
          now,
        );
        return { id, endsAt: new Date(now.getTime() + 2 * DAY) };
      },
      want: { level: 'read', via: 'grant' },
      revoke: (id) => revokeAccess(kuvert.services, anna, { mailboxId: anna.recipientId, accessId: id }),
    },
    {
      role: 'a citizen with a read/write grant',
      actor: {} as Citizen,
      mailbox: () => anna.recipientId,
      give: async () => {
        const { id } = await grantAccess(
          kuvert.services,
          anna,
          { mailboxId: anna.recipientId, cpr: BO_CPR, name: 'bo  berg', level: 'read_write', endDate: today() },
          now,
        );
        return { id, endsAt: new Date(now.getTime() + 2 * DAY) };
      },
      want: { level: 'read_write', via: 'grant' },
      revoke: (id) => revokeAccess(kuvert.services, anna, { mailboxId: anna.recipientId, accessId: id }),
    },
    {
      role: 'a citizen with a power of attorney',
      actor: {} as Citizen,
      mailbox: () => anna.recipientId,
      give: async () => {
        const { id } = await registerConfirmed(
          caseworker,
          {
            recipientId: anna.recipientId,
            kind: 'power_of_attorney',
            cpr: DAN_CPR,
            name: 'Dan Dahl',
            level: 'read_write',
            documentReference: 'J.nr. 2026-1234',
            endDate: today(),
          },
          now,
        );
        return { id, endsAt: new Date(now.getTime() + 2 * DAY) };
      },
      want: { level: 'read_write', via: 'power_of_attorney' },
      revoke: (id) =>
        revokeDelegationAsCaseworker(kuvert.services, caseworker, { recipientId: anna.recipientId, accessId: id }),
    },
    {
      role: 'a parent of a 16-year-old (until the 18th birthday)',
      actor: {} as Citizen,
      mailbox: () => mikkel.recipientId,
      give: async () => {
        const { id } = await registerConfirmed(
          caseworker,
          { recipientId: mikkel.recipientId, kind: 'parent', cpr: ELLEN_CPR, name: 'Ellen Nielsen', level: 'read' },
          now,
        );
        return { id, endsAt: new Date(now.getTime() + (2 * 365 + 2) * DAY) };
      },
      want: { level: 'read', via: 'parent' },
      revoke: (id) =>
        revokeDelegationAsCaseworker(kuvert.services, caseworker, { recipientId: mikkel.recipientId, accessId: id }),
    },
    {
      role: "a business's employee given read/write access by its administrator",
      actor: {} as Citizen,
      mailbox: () => firm,
      give: async () => {
        await insertDelegation(kuvert.services.db, {
          mailboxId: firm,
          granteeId: anna.recipientId,
          kind: 'business',
          level: 'owner',
          endsAt: null,
          createdBy: { kind: 'system', id: 'test' },
          createdAt: now,
        });
        const { id } = await grantAccess(
          kuvert.services,
          anna,
          { mailboxId: firm, cpr: FRIDA_CPR, name: 'Frida Fog', level: 'read_write', endDate: today() },
          now,
        );
        return { id, endsAt: new Date(now.getTime() + 2 * DAY) };
      },
      want: { level: 'read_write', via: 'business' },
      revoke: (id) => revokeAccess(kuvert.services, anna, { mailboxId: firm, accessId: id }),
    },
  ];

  for (const c of cases) {
    test(`${c.role}: own, other, granted, expired and revoked mailbox`, async () => {
      c.actor = { karen, bo, dan, ellen, frida }[
        c.role.includes('read grant')
          ? 'karen'
          : c.role.includes('read/write grant')
            ? 'bo'
            : c.role.includes('power')
              ? 'dan'
              : c.role.includes('parent')
                ? 'ellen'
                : 'frida'
      ] as Citizen;
      const { id, endsAt } = await c.give();
      await expectAccess(c.actor, c.actor.recipientId, now, { level: 'owner', via: 'self' }, 'own');
      await expectAccess(c.actor, carl.recipientId, now, null, 'other');
      await expectAccess(c.actor, c.mailbox(), now, c.want, 'granted');
      await expectAccess(c.actor, c.mailbox(), endsAt, null, 'expired');
      await c.revoke(id);
      await expectAccess(c.actor, c.mailbox(), now, null, 'revoked');
    });
  }

  test("a business's administrator holds owner access to its mailbox", async () => {
    await expectAccess(anna, firm, now, { level: 'owner', via: 'business' }, 'administrator');
  });

  test('an unrelated citizen has no access to any of them', async () => {
    for (const mailbox of [anna.recipientId, mikkel.recipientId, firm]) {
      await expectAccess(carl, mailbox, now, null, 'unrelated');
    }
    await expectAccess(carl, carl.recipientId, now, { level: 'owner', via: 'self' }, 'own');
  });

  test('caseworkers, sender staff, operators and anonymous visitors have no access to any mailbox', async () => {
    for (const actor of [caseworker, senderStaff, operator, null]) {
      for (const mailbox of [anna.recipientId, mikkel.recipientId, firm]) {
        await expectAccess(actor, mailbox, now, null, `${actor?.kind ?? 'anonymous'}`);
      }
    }
  });

  test('a malformed mailbox id resolves to nothing', async () => {
    assert.equal(await resolveMailboxAccess(kuvert.services.db, anna, "1503851234' or 1=1", now), null);
  });
});

describe('giving access', () => {
  test('a wrong name and an unknown CPR number get the same answer and change nothing', async () => {
    const before = await delegationCount(anna.recipientId);
    const wrongName = codeOf(
      grantAccess(kuvert.services, anna, {
        mailboxId: anna.recipientId,
        cpr: CARL_CPR,
        name: 'Carl Hansen',
        level: 'read',
      }),
    );
    const unknown = codeOf(
      grantAccess(kuvert.services, anna, {
        mailboxId: anna.recipientId,
        cpr: '0101501239',
        name: 'Carl Clausen',
        level: 'read',
      }),
    );
    assert.equal(await wrongName, 'person_not_matched');
    assert.equal(await unknown, 'person_not_matched');
    assert.equal(await delegationCount(anna.recipientId), before);
  });

  test('bad values are refused with their own codes', async () => {
    const grant = (over: Record<string, string>) =>
      codeOf(
        grantAccess(kuvert.services, anna, {
          mailboxId: anna.recipientId,
          cpr: CARL_CPR,
          name: 'Carl Clausen',
          level: 'read',
          ...over,
        }),
      );
    assert.equal(await grant({ cpr: '3213851234' }), 'invalid_cpr');
    assert.equal(await grant({ name: '  ' }), 'name_required');
    assert.equal(await grant({ level: 'owner' }), 'invalid_level');
    assert.equal(await grant({ level: 'admin' }), 'invalid_level');
    assert.equal(await grant({ endDate: '2001-01-01' }), 'end_date_in_past');
    assert.equal(await grant({ endDate: '31-02-2030' }), 'invalid_end_date');
    assert.equal(await grant({ cpr: ANNA_CPR, name: 'Anna Jensen' }), 'cannot_grant_self');
  });

  test('an end date typed the Danish way is accepted and holds through that day', async () => {
    const { id } = await grantAccess(kuvert.services, anna, {
      mailboxId: anna.recipientId,
      cpr: CARL_CPR,
      name: 'carl clausen',
      level: 'read',
      endDate: '24.12.2099',
    });
    const row = await kuvert.services.db
      .selectFrom('mailbox_access')
      .select('ends_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.ends_at?.toISOString(), '2099-12-24T23:00:00.000Z');
    assert.equal(
      await codeOf(
        grantAccess(kuvert.services, anna, {
          mailboxId: anna.recipientId,
          cpr: CARL_CPR,
          name: 'Carl Clausen',
          level: 'read_write',
        }),
      ),
      'already_has_access',
    );
    await revokeAccess(kuvert.services, anna, { mailboxId: anna.recipientId, accessId: id });
    assert.equal(
      await codeOf(revokeAccess(kuvert.services, anna, { mailboxId: anna.recipientId, accessId: id })),
      'access_not_found',
    );
  });

  test('someone with read/write access cannot give or revoke access to the mailbox', async () => {
    const { id } = await grantAccess(kuvert.services, anna, {
      mailboxId: anna.recipientId,
      cpr: BO_CPR,
      name: 'Bo Berg',
      level: 'read_write',
    });
    assert.equal(
      await codeOf(
        grantAccess(kuvert.services, bo, {
          mailboxId: anna.recipientId,
          cpr: CARL_CPR,
          name: 'Carl Clausen',
          level: 'read',
        }),
      ),
      'access_management_forbidden',
    );
    assert.equal(
      await codeOf(revokeAccess(kuvert.services, bo, { mailboxId: anna.recipientId, accessId: id })),
      'access_management_forbidden',
    );
    await revokeAccess(kuvert.services, anna, { mailboxId: anna.recipientId, accessId: id });
  });

  test('every grant and revocation is audited on the mailbox', async () => {
    const rows = await kuvert.services.db
      .selectFrom('audit_event')
      .select(['action', 'actor_id', 'details'])
      .where('mailbox_recipient_id', '=', anna.recipientId)
      .where('action', 'like', 'access.%')
      .execute();
    assert.ok(rows.some((r) => r.action === 'access.grant' && r.actor_id === anna.recipientId));
    assert.ok(rows.some((r) => r.action === 'access.revoke' && r.actor_id === anna.recipientId));
    assert.ok(rows.some((r) => r.action === 'access.register' && r.actor_id === caseworker.staffId));
    // UUIDs can hold ten digits in a row: take them out before looking for CPR-shaped numbers.
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
    for (const r of rows) {
      assert.doesNotMatch(
        JSON.stringify(r.details).replace(uuid, ''),
        /\d{6}-?\d{4}/,
        'no CPR numbers in audit details',
      );
    }
  });
});

describe('citizen service', () => {
  test('a caseworker of another municipality cannot register or see access, and nothing is written', async () => {
    const before = await delegationCount(anna.recipientId);
    assert.equal(
      await codeOf(
        registerConfirmed(otherCaseworker, {
          recipientId: anna.recipientId,
          kind: 'power_of_attorney',
          cpr: KAREN_CPR,
          name: 'Karen Holm',
          level: 'read',
          documentReference: 'X',
        }),
      ),
      'not_your_municipality',
    );
    assert.equal(await delegationCount(anna.recipientId), before);
  });

  test('a power of attorney needs its document reference; parents only for 15–17-year-olds', async () => {
    assert.equal(
      await codeOf(
        registerConfirmed(caseworker, {
          recipientId: anna.recipientId,
          kind: 'power_of_attorney',
          cpr: KAREN_CPR,
          name: 'Karen Holm',
          level: 'read',
          documentReference: '  ',
        }),
      ),
      'document_reference_required',
    );
    assert.equal(
      await codeOf(
        registerConfirmed(caseworker, {
          recipientId: anna.recipientId,
          kind: 'parent',
          cpr: KAREN_CPR,
          name: 'Karen Holm',
          level: 'read',
        }),
      ),
      'not_a_minor_15_17',
    );
    assert.equal(
      await codeOf(
        registerConfirmed(caseworker, {
          recipientId: anna.recipientId,
          kind: 'everything',
          cpr: KAREN_CPR,
          name: 'Karen Holm',
          level: 'read',
        }),
      ),
      'invalid_kind',
    );
  });

  test("parents' access ends by itself at midnight (Copenhagen) on the child's 18th birthday", async () => {
    const { id } = await registerConfirmed(caseworker, {
      recipientId: mikkel.recipientId,
      kind: 'parent',
      cpr: ELLEN_CPR,
      name: 'Ellen Nielsen',
      level: 'read_write',
    });
    const row = await kuvert.services.db
      .selectFrom('mailbox_access')
      .innerJoin('recipient', 'recipient.id', 'mailbox_access.mailbox_id')
      .select(['ends_at', 'recipient.birth_date'])
      .where('mailbox_access.id', '=', id)
      .executeTakeFirstOrThrow();
    const birth = row.birth_date as unknown as string;
    const birthday = `${Number(birth.slice(0, 4)) + 18}${birth.slice(4)}`;
    const endsAt = row.ends_at as Date;
    const local = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Copenhagen',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(endsAt);
    assert.equal(local, `${birthday}, 00:00`);
    const lastMinute = new Date(endsAt.getTime() - 60_000);
    assert.equal(
      (await resolveMailboxAccess(kuvert.services.db, ellen, mikkel.recipientId, lastMinute))?.level,
      'read_write',
    );
    assert.equal(await resolveMailboxAccess(kuvert.services.db, ellen, mikkel.recipientId, endsAt), null);
    // The 16-year-old cannot end their parents' access themselves; citizen service can.
    assert.equal(
      await codeOf(revokeAccess(kuvert.services, mikkel, { mailboxId: mikkel.recipientId, accessId: id })),
      'access_management_forbidden',
    );
    await revokeDelegationAsCaseworker(kuvert.services, caseworker, { recipientId: mikkel.recipientId, accessId: id });
    assert.equal(await resolveMailboxAccess(kuvert.services.db, ellen, mikkel.recipientId), null);
  });

  test("citizen service cannot revoke a citizen's own grant", async () => {
    const { id } = await grantAccess(kuvert.services, anna, {
      mailboxId: anna.recipientId,
      cpr: FRIDA_CPR,
      name: 'Frida Fog',
      level: 'read',
    });
    assert.equal(
      await codeOf(
        revokeDelegationAsCaseworker(kuvert.services, caseworker, { recipientId: anna.recipientId, accessId: id }),
      ),
      'not_revocable_by_caseworker',
    );
    await revokeAccess(kuvert.services, anna, { mailboxId: anna.recipientId, accessId: id });
  });
});

describe('mailbox switching and the activity log (HTTP)', () => {
  test('the switcher lists own first, then by name; choosing sets an httpOnly cookie with a recipient id', async () => {
    const { id } = await grantAccess(kuvert.services, carl, {
      mailboxId: carl.recipientId,
      cpr: ANNA_CPR,
      name: 'Anna Jensen',
      level: 'read',
    });
    const list = await listOpenableMailboxes(kuvert.services.db, anna);
    assert.deepEqual(
      list.map((m) => [m.owner.name, m.access.level, m.access.via]),
      [
        ['Anna Jensen', 'owner', 'self'],
        ['Carl Clausen', 'read', 'grant'],
        ['Jensen Design ApS', 'owner', 'business'],
      ],
    );

    const session = await sessionFor(kuvert.services.db, anna);
    const page = await getPage(kuvert.url, '/post/postkasser', session.cookie);
    assert.equal(page.status, 200);
    assert.ok(page.text.indexOf('Anna Jensen (dig)') < page.text.indexOf('Carl Clausen'));
    assert.ok(page.text.indexOf('Carl Clausen') < page.text.indexOf('Jensen Design ApS'));

    const noCsrf = await postForm(kuvert.url, '/post/postkasser', session.cookie, { mailbox: carl.recipientId });
    assert.equal(noCsrf.status, 403);
    assert.equal(noCsrf.headers.get('set-cookie'), null);

    const chosen = await postForm(kuvert.url, '/post/postkasser', session.cookie, {
      mailbox: carl.recipientId,
      _csrf: session.csrf,
    });
    assert.equal(chosen.status, 303);
    assert.equal(chosen.headers.get('location'), '/post');
    const setCookie = chosen.headers.get('set-cookie') ?? '';
    assert.match(setCookie, new RegExp(`^kuvert_mailbox=${carl.recipientId};`));
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=Lax/i);
    const withChoice = `${session.cookie}; kuvert_mailbox=${carl.recipientId}`;
    assert.match((await getPage(kuvert.url, '/post/postkasser', withChoice)).text, /Du ser nu: Carl Clausen/);

    // A mailbox she may not open is refused and sets nothing.
    const refused = await postForm(kuvert.url, '/post/postkasser', session.cookie, {
      mailbox: bo.recipientId,
      _csrf: session.csrf,
    });
    assert.equal(refused.status, 404);
    assert.equal(refused.headers.get('set-cookie'), null);

    // Revoked: the same cookie now shows her own mailbox, at once.
    await revokeAccess(kuvert.services, carl, { mailboxId: carl.recipientId, accessId: id });
    assert.match((await getPage(kuvert.url, '/post/postkasser', withChoice)).text, /Du ser nu: Anna Jensen/);
    assert.doesNotMatch((await getPage(kuvert.url, '/post/postkasser', withChoice)).text, /Carl Clausen/);
  });

  test('a letter page shows its mailbox’s own folders, and the way to switch mailboxes only to whoever may switch', async () => {
    const db = kuvert.services.db;
    const letterId = await deliverLetter(kuvert.services, { cpr: CARL_CPR }, 'Forskudsopgørelse 2027');
    await db.insertInto('mailbox_folder').values({ mailbox_id: carl.recipientId, name: 'Skat og pension' }).execute();
    const own = await getPage(kuvert.url, `/post/${letterId}`, (await sessionFor(db, carl)).cookie);
    assert.equal(own.status, 200);
    assert.match(own.text, /Skat og pension/);
    assert.doesNotMatch(own.text, /href="\/post\/postkasser"/, 'Carl opens no one else’s mail');

    const { id } = await grantAccess(kuvert.services, carl, {
      mailboxId: carl.recipientId,
      cpr: ANNA_CPR,
      name: 'Anna Jensen',
      level: 'read',
    });
    const asAnna = `${(await sessionFor(db, anna)).cookie}; kuvert_mailbox=${carl.recipientId}`;
    const shared = await getPage(kuvert.url, `/post/${letterId}`, asAnna);
    assert.equal(shared.status, 200);
    assert.match(shared.text, /href="\/post\/postkasser"/);
    assert.match(shared.text, /Carl Clausen/);
    await revokeAccess(kuvert.services, carl, { mailboxId: carl.recipientId, accessId: id });
    assert.equal((await getPage(kuvert.url, `/post/${letterId}`, asAnna)).status, 404);
  });

  test('the owner sees who opened which letter, with their kind of access; others never see the log', async () => {
    const db = kuvert.services.db;
    const letterId = await deliverLetter(kuvert.services, { cpr: KAREN_CPR }, 'Din pension fra 1. januar');
    const { id } = await grantAccess(kuvert.services, karen, {
      mailboxId: karen.recipientId,
      cpr: ANNA_CPR,
      name: 'Anna Jensen',
      level: 'read',
    });
    const message = await db
      .selectFrom('message')
      .select(['id', 'sender_id', 'recipient_id', 'legal_notification'])
      .where('id', '=', letterId)
      .executeTakeFirstOrThrow();
    await db.transaction().execute((trx) => recordRead(trx, anna, message, 'message.open'));
    await db.transaction().execute((trx) => recordRead(trx, karen, message, 'message.document.open', { position: 0 }));
    await db.transaction().execute((trx) => recordRead(trx, anna, message, 'message.document.open', { all: true }));

    const owner = await sessionFor(db, karen);
    const log = await getPage(kuvert.url, '/post/aktivitet', owner.cookie);
    assert.equal(log.status, 200);
    assert.match(log.text, /Anna Jensen \(læseadgang\)/);
    assert.match(log.text, /Åbnede brevet »Din pension fra 1. januar«/);
    assert.match(log.text, /Åbnede dokumentet »Dokument til Din pension fra 1. januar«/);
    assert.match(log.text, /Gav Anna Jensen læseadgang/);
    assert.match(log.text, /Hentede alle dokumenter i brevet »Din pension fra 1. januar«/);
    assert.match(log.text, /<td[^>]*>Dig<\/td>/);

    // Anna, looking at Karen's mailbox with read access, may not see Karen's log.
    const grantee = await sessionFor(db, anna);
    const asGrantee = await getPage(
      kuvert.url,
      '/post/aktivitet',
      `${grantee.cookie}; kuvert_mailbox=${karen.recipientId}`,
    );
    assert.equal(asGrantee.status, 403);
    assert.doesNotMatch(asGrantee.text, /Din pension/);

    // Staff never get the page, let alone labels.
    for (const actor of [caseworker, senderStaff, operator]) {
      const staff = await sessionFor(db, actor);
      const page = await getPage(kuvert.url, '/post/aktivitet', staff.cookie);
      assert.equal(page.status, 403, actor.kind);
      assert.doesNotMatch(page.text, /Din pension/);
    }
    await revokeAccess(kuvert.services, karen, { mailboxId: karen.recipientId, accessId: id });
    // After the revocation the cookie no longer opens Karen's mailbox: Anna's own log is shown.
    const after = await getPage(
      kuvert.url,
      '/post/aktivitet',
      `${grantee.cookie}; kuvert_mailbox=${karen.recipientId}`,
    );
    assert.equal(after.status, 200);
    assert.doesNotMatch(after.text, /Din pension/);
  });

  test('the activity log pages by keyset without gaps or repeats', async () => {
    const db = kuvert.services.db;
    // Two letters opened in turn: no two neighbouring rows are views of one letter, so none is grouped.
    const letters = await Promise.all(
      ['Brev til Frida', 'Andet brev til Frida'].map(async (label) => {
        const letterId = await deliverLetter(kuvert.services, { cpr: FRIDA_CPR }, label);
        return db
          .selectFrom('message')
          .select(['id', 'sender_id', 'recipient_id', 'legal_notification'])
          .where('id', '=', letterId)
          .executeTakeFirstOrThrow();
      }),
    );
    for (let i = 0; i < 30; i++) {
      const message = letters[i % 2];
      assert.ok(message);
      await db.transaction().execute((trx) => recordRead(trx, frida, message, 'message.open'));
    }
    const mailbox = (await listOpenableMailboxes(db, frida))[0];
    assert.ok(mailbox);
    const first = await listMailboxActivity(kuvert.services, frida, mailbox, undefined);
    assert.equal(first.items.length, 25);
    assert.ok(first.nextBefore);
    const second = await listMailboxActivity(kuvert.services, frida, mailbox, first.nextBefore ?? undefined);
    assert.equal(second.items.length, 5);
    assert.equal(second.nextBefore, null);
    const ids = [...first.items, ...second.items].map((i) => BigInt(i.id));
    assert.equal(new Set(ids).size, 30);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => (a > b ? -1 : 1)),
    );
    const session = await sessionFor(db, frida);
    const page = await getPage(kuvert.url, `/post/aktivitet?foer=${first.nextBefore}`, session.cookie);
    assert.equal(page.status, 200);
    assert.match(page.text, /Nyeste aktivitet/);
    assert.equal((await getPage(kuvert.url, '/post/aktivitet?foer=abc', session.cookie)).status, 400);
  });

  test('citizen service pages: the person of their municipality only, never letters', async () => {
    const db = kuvert.services.db;
    const session = await sessionFor(db, caseworker);
    const page = await getPage(kuvert.url, `/borgerservice/personer/${anna.recipientId}/adgang`, session.cookie);
    assert.equal(page.status, 200);
    assert.match(page.text, /Registrér fuldmagt/);
    assert.doesNotMatch(page.text, /Registrér forældreadgang<\/button>/, 'Anna is 41: no parental access form');
    const path = `/borgerservice/personer/${anna.recipientId}/adgang`;
    const form = {
      kind: 'power_of_attorney',
      cpr: '120779-1111',
      name: 'Dan Dahl',
      level: 'read_write',
      documentReference: 'Fuldmagt J.nr. 77',
      endDate: '2027-12-31',
      _csrf: session.csrf,
    };
    const before = await delegationCount(anna.recipientId);

    // A CPR number alone is not enough: the name must be the register's.
    const wrongName = await postForm(kuvert.url, path, session.cookie, { ...form, name: 'Karen Holm' });
    assert.equal(wrongName.status, 422);
    assert.match(wrongName.text, /Der er en fejl i formularen/);
    assert.match(wrongName.text, /href="#poa-name"[^>]*>Vi kan ikke finde en person med dette CPR-nummer og navn/);
    assert.match(wrongName.text, /value="Karen Holm"/, 'what was typed is kept');

    // The right name: a confirmation naming both people, and nothing written yet.
    const confirm = await postForm(kuvert.url, path, session.cookie, form);
    assert.equal(confirm.status, 200);
    assert.match(
      confirm.text,
      /Du giver Dan Dahl adgang til Anna Jensens post \(læse\/skrive, til og med 31\. december 2027\)/,
    );
    assert.equal(await delegationCount(anna.recipientId), before, 'the first step writes nothing');
    const confirmation = /name="confirmation" value="([^"]+)"/.exec(confirm.text)?.[1] ?? '';
    assert.ok(confirmation);

    // "Tilbage": the form again, filled in, nothing written.
    const back = await postForm(kuvert.url, `${path}/bekraeft`, session.cookie, {
      ...form,
      confirmation,
      step: 'back',
    });
    assert.equal(back.status, 200);
    assert.match(back.text, /id="poa-name"[^>]*value="Dan Dahl"|value="Dan Dahl"[^>]*id="poa-name"/);
    assert.equal(await delegationCount(anna.recipientId), before);

    // A confirmation whose details were changed (read/write → read), or without its code, is refused; nothing written.
    for (const tampered of [{ level: 'read' }, { confirmation: '' }, { confirmation: `${confirmation}x` }]) {
      const refused = await postForm(kuvert.url, `${path}/bekraeft`, session.cookie, {
        ...form,
        confirmation,
        step: 'confirm',
        ...tampered,
      });
      assert.equal(refused.status, 409, JSON.stringify(tampered));
      assert.match(refused.text, /Oplysningerne er ikke dem, du bekræftede/);
    }
    const noCsrf = await postForm(kuvert.url, `${path}/bekraeft`, session.cookie, {
      ...form,
      _csrf: 'nope',
      confirmation,
      step: 'confirm',
    });
    assert.equal(noCsrf.status, 403);
    assert.equal(await delegationCount(anna.recipientId), before);

    const register = await postForm(kuvert.url, `${path}/bekraeft`, session.cookie, {
      ...form,
      confirmation,
      step: 'confirm',
    });
    assert.equal(register.status, 303);
    assert.equal(await delegationCount(anna.recipientId), before + 1);
    // Confirming twice registers once: the second is refused as existing access.
    const again = await postForm(kuvert.url, `${path}/bekraeft`, session.cookie, {
      ...form,
      confirmation,
      step: 'confirm',
    });
    assert.equal(again.status, 409);
    assert.match(again.text, /Personen har allerede denne adgang/);
    assert.equal(await delegationCount(anna.recipientId), before + 1);
    const after = await getPage(kuvert.url, register.headers.get('location') ?? '', session.cookie);
    assert.match(after.text, /Dan Dahl/);
    assert.match(after.text, /Fuldmagt J.nr. 77/);
    assert.doesNotMatch(after.text, /1207791111|120779-1111/);

    const bad = await postForm(kuvert.url, `/borgerservice/personer/${anna.recipientId}/adgang`, session.cookie, {
      kind: 'power_of_attorney',
      cpr: '120779-1111',
      name: 'Dan Dahl',
      level: 'read',
      documentReference: '',
      _csrf: session.csrf,
    });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Skriv fuldmagtens dokumentreference/);

    const other = await sessionFor(db, otherCaseworker);
    const refused = await getPage(kuvert.url, `/borgerservice/personer/${anna.recipientId}/adgang`, other.cookie);
    assert.equal(refused.status, 403);
    assert.doesNotMatch(refused.text, /Dan Dahl/);

    const citizen = await sessionFor(db, anna);
    const asCitizen = await getPage(kuvert.url, `/borgerservice/personer/${anna.recipientId}/adgang`, citizen.cookie);
    assert.equal(asCitizen.status, 403);
  });
});
