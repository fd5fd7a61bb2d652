import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor } from '../../kernel/actor.ts';
import {
  type AccessLevel,
  type AccessVia,
  MAILBOX_ACTIONS,
  type MailboxAccess,
  type MailboxAction,
  mayGrantInMailbox,
  mayInMailbox,
  mayManageAdministrators,
  mayRemoveAdministrator,
  mayRevokeInMailbox,
} from './mailbox.policy.ts';

const ANNA = 'recipient-anna';
const BO = 'recipient-bo';
const FIRM = 'recipient-firm';

const citizen = (id: string, name: string): Actor => ({ kind: 'citizen', subject: `s-${id}`, name, recipientId: id });
const anna = citizen(ANNA, 'Anna Jensen');
const karen = citizen('recipient-karen', 'Karen Holm');
const caseworker: Actor = {
  kind: 'caseworker',
  subject: 's-sofie',
  name: 'Sofie Madsen',
  staffId: 'staff-1',
  municipalityCode: '0101',
};
const senderStaff: Actor = {
  kind: 'sender_staff',
  subject: 's-lars',
  name: 'Lars Andersen',
  staffId: 'staff-2',
  senderId: 'sender-1',
};
const operator: Actor = { kind: 'operator', subject: 's-op', name: 'Ops', staffId: 'staff-3' };

/** What each level may do, written out by hand from the issue (not derived from the implementation). */
const YES = true;
const NO = false;
const expected: Record<AccessLevel, Record<MailboxAction, boolean>> = {
  owner: {
    list: YES,
    read: YES,
    organise: YES,
    delete: YES,
    delete_permanently: YES,
    act: YES,
    reply: YES,
    write: YES,
    forward: YES,
    view_activity: YES,
    export_activity: YES,
    manage_access: YES,
    manage_contact_details: YES,
    manage_rules: YES,
  },
  read_write: {
    list: YES,
    read: YES,
    organise: YES,
    delete: YES,
    delete_permanently: NO,
    act: YES,
    reply: YES,
    write: YES,
    forward: YES,
    view_activity: NO,
    export_activity: NO,
    manage_access: NO,
    manage_contact_details: NO,
    manage_rules: NO,
  },
  read: {
    list: YES,
    read: YES,
    organise: NO,
    delete: NO,
    delete_permanently: NO,
    act: NO,
    reply: NO,
    write: NO,
    forward: NO,
    view_activity: NO,
    export_activity: NO,
    manage_access: NO,
    manage_contact_details: NO,
    manage_rules: NO,
  },
};

const held = (mailboxId: string, level: AccessLevel, via: AccessVia): MailboxAccess => ({
  mailboxId,
  level,
  via,
  grantId: via === 'self' ? null : `grant-${via}-${level}`,
});

/**
 * Every role, with the access resolution gives them in each situation. A revoked or expired grant, and a mailbox
 * nobody gave them, resolve to no access (null): resolveMailboxAccess's DB tests show that it does.
 */
const roles: { role: string; actor: Actor | null; granted: MailboxAccess | null; level: AccessLevel | null }[] = [
  { role: 'the citizen owner', actor: anna, granted: held(ANNA, 'owner', 'self'), level: 'owner' },
  { role: 'a citizen with a read grant', actor: karen, granted: held(ANNA, 'read', 'grant'), level: 'read' },
  {
    role: 'a citizen with a read/write grant',
    actor: karen,
    granted: held(ANNA, 'read_write', 'grant'),
    level: 'read_write',
  },
  {
    role: 'a citizen with a read/write power of attorney',
    actor: karen,
    granted: held(ANNA, 'read_write', 'power_of_attorney'),
    level: 'read_write',
  },
  {
    role: 'a citizen with a read power of attorney',
    actor: karen,
    granted: held(ANNA, 'read', 'power_of_attorney'),
    level: 'read',
  },
  { role: 'a parent with read access', actor: karen, granted: held(ANNA, 'read', 'parent'), level: 'read' },
  {
    role: 'a parent with read/write access',
    actor: karen,
    granted: held(ANNA, 'read_write', 'parent'),
    level: 'read_write',
  },
  {
    role: "a business's administrator",
    actor: karen,
    granted: held(FIRM, 'owner', 'business'),
    level: 'owner',
  },
  {
    role: "a business's employee with read/write access",
    actor: karen,
    granted: held(FIRM, 'read_write', 'business'),
    level: 'read_write',
  },
  {
    role: "a business's employee with read access",
    actor: karen,
    granted: held(FIRM, 'read', 'business'),
    level: 'read',
  },
  { role: 'an unrelated citizen', actor: citizen('recipient-carl', 'Carl'), granted: null, level: null },
  { role: 'a caseworker', actor: caseworker, granted: null, level: null },
  { role: 'sender staff', actor: senderStaff, granted: null, level: null },
  { role: 'an operator', actor: operator, granted: null, level: null },
  { role: 'someone logged out', actor: null, granted: null, level: null },
];

const situations = ['own', 'other', 'granted', 'revoked', 'expired'] as const;

describe('mayInMailbox: every role × action × own / other / granted / revoked / expired mailbox', () => {
  for (const { role, actor, granted, level } of roles) {
    for (const situation of situations) {
      test(`${role}, ${situation} mailbox`, () => {
        // What resolution yields in this situation: own → owner of their own; granted → the grant; else nothing.
        const access =
          situation === 'own' && actor?.kind === 'citizen'
            ? held(actor.recipientId, 'owner', 'self')
            : situation === 'granted'
              ? granted
              : null;
        const effective: AccessLevel | null =
          situation === 'own' && actor?.kind === 'citizen' ? 'owner' : situation === 'granted' ? level : null;
        for (const action of MAILBOX_ACTIONS) {
          const want = effective === null ? false : expected[effective][action];
          assert.equal(mayInMailbox(actor, access, action), want, `${role} / ${situation} / ${action}`);
        }
      });
    }
  }

  test('the matrix covers every action', () => {
    for (const level of ['owner', 'read_write', 'read'] as const) {
      assert.deepEqual(Object.keys(expected[level]).sort(), [...MAILBOX_ACTIONS].sort());
    }
  });
});

describe('mayInMailbox refuses access records that cannot be real', () => {
  for (const action of MAILBOX_ACTIONS) {
    test(`${action}: staff holding a forged owner access get nothing`, () => {
      for (const actor of [caseworker, senderStaff, operator]) {
        assert.equal(mayInMailbox(actor, held(ANNA, 'owner', 'self'), action), false);
        assert.equal(mayInMailbox(actor, held(ANNA, 'read_write', 'power_of_attorney'), action), false);
      }
    });
  }
  test("'self' access to someone else's mailbox grants nothing", () => {
    for (const action of MAILBOX_ACTIONS) assert.equal(mayInMailbox(anna, held(BO, 'owner', 'self'), action), false);
  });
  test("'self' access below owner grants nothing", () => {
    assert.equal(mayInMailbox(anna, held(ANNA, 'read', 'self'), 'read'), false);
  });
  test('owner level through a grant, power of attorney or parents grants nothing', () => {
    for (const via of ['grant', 'power_of_attorney', 'parent'] as const) {
      for (const action of MAILBOX_ACTIONS) {
        assert.equal(mayInMailbox(karen, held(ANNA, 'owner', via), action), false, `${via} / ${action}`);
      }
    }
  });
  test('a grant to oneself on one’s own mailbox grants nothing extra', () => {
    assert.equal(mayInMailbox(anna, held(ANNA, 'read', 'grant'), 'read'), false);
  });
});

describe('granting and revoking', () => {
  test('the owner may give read and read/write access, never ownership', () => {
    const own = held(ANNA, 'owner', 'self');
    assert.equal(mayGrantInMailbox(anna, own, 'read'), true);
    assert.equal(mayGrantInMailbox(anna, own, 'read_write'), true);
    assert.equal(mayGrantInMailbox(anna, own, 'owner'), false);
  });
  test("a business's administrator may give employees access", () => {
    assert.equal(mayGrantInMailbox(karen, held(FIRM, 'owner', 'business'), 'read_write'), true);
  });
  test('read and read/write holders cannot grant further access', () => {
    for (const level of ['read', 'read_write'] as const) {
      for (const via of ['grant', 'power_of_attorney', 'parent', 'business'] as const) {
        assert.equal(mayGrantInMailbox(karen, held(ANNA, level, via), 'read'), false, `${level} via ${via}`);
      }
    }
  });
  test('staff and anonymous cannot grant', () => {
    for (const actor of [caseworker, senderStaff, operator, null]) {
      assert.equal(mayGrantInMailbox(actor, held(ANNA, 'owner', 'self'), 'read'), false);
    }
  });
  test('the owner may revoke grants and powers of attorney, but not parents’ access', () => {
    const own = held(ANNA, 'owner', 'self');
    assert.equal(mayRevokeInMailbox(anna, own, { kind: 'grant' }), true);
    assert.equal(mayRevokeInMailbox(anna, own, { kind: 'power_of_attorney' }), true);
    assert.equal(mayRevokeInMailbox(anna, own, { kind: 'parent' }), false);
  });
  test('someone with access cannot revoke anyone’s access', () => {
    assert.equal(mayRevokeInMailbox(karen, held(ANNA, 'read_write', 'grant'), { kind: 'grant' }), false);
    assert.equal(mayRevokeInMailbox(karen, held(ANNA, 'read', 'grant'), { kind: 'grant' }), false);
  });
});

describe("a business's administrators (issue 17)", () => {
  /** Who may name and remove administrators, written out by hand: only owner access through the business. */
  const cases: [string, Actor | null, MailboxAccess | null, boolean][] = [
    ['an administrator of the business', karen, held(FIRM, 'owner', 'business'), YES],
    ['a read/write employee', karen, held(FIRM, 'read_write', 'business'), NO],
    ['a read-only employee', karen, held(FIRM, 'read', 'business'), NO],
    ["the owner of a person's own mailbox (which has no administrators)", anna, held(ANNA, 'owner', 'self'), NO],
    ['owner through a grant (forged)', karen, held(FIRM, 'owner', 'grant'), NO],
    ['an administrator record for one’s own mailbox (forged)', anna, held(ANNA, 'owner', 'business'), NO],
    ['no access', karen, null, NO],
    ['anonymous', null, held(FIRM, 'owner', 'business'), NO],
    ['a caseworker', caseworker, held(FIRM, 'owner', 'business'), NO],
    ['sender staff', senderStaff, held(FIRM, 'owner', 'business'), NO],
    ['an operator', operator, held(FIRM, 'owner', 'business'), NO],
  ];
  for (const [who, actor, access, may] of cases) {
    test(`${who}: ${may ? 'may' : 'may not'} manage administrators`, () => {
      assert.equal(mayManageAdministrators(actor, access), may);
      // Removing one: as managing, but never the last one.
      assert.equal(mayRemoveAdministrator(actor, access, 2), may);
      assert.equal(mayRemoveAdministrator(actor, access, 1), false);
      assert.equal(mayRemoveAdministrator(actor, access, 0), false);
    });
  }
});
