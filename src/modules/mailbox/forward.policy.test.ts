import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor } from '../../kernel/actor.ts';
import type { AccessLevel, AccessVia, MailboxAccess } from '../access/index.ts';
import { type ForwardableLetter, type ForwardDecision, mayForward } from './forward.policy.ts';

const ANNA = 'recipient-anna';
const citizen = (id: string, name: string): Actor => ({ kind: 'citizen', subject: `s-${id}`, name, recipientId: id });
const anna = citizen(ANNA, 'Anna Jensen');
const bo = citizen('recipient-bo', 'Bo Hansen');
const own: MailboxAccess = { mailboxId: ANNA, level: 'owner', via: 'self', grantId: null };
const held = (level: AccessLevel, via: AccessVia): MailboxAccess => ({ mailboxId: ANNA, level, via, grantId: 'g-1' });

const plain: ForwardableLetter = {
  recipientId: ANNA,
  legalNotification: false,
  legallyNotifiedAt: null,
  recalled: false,
  deleted: false,
};
const unservedLegal = { ...plain, legalNotification: true };
const servedLegal = { ...plain, legalNotification: true, legallyNotifiedAt: new Date('2026-12-01T10:00:00Z') };

const ALLOWED: ForwardDecision = { allowed: true };
const refused = (reason: Exclude<ForwardDecision, { allowed: true }>['reason']): ForwardDecision => ({
  allowed: false,
  reason,
});

/** Who × which letter → the decision, written out by hand from the issue. */
const matrix: {
  who: string;
  actor: Actor | null;
  access: MailboxAccess | null;
  expect: Record<string, ForwardDecision>;
}[] = [
  {
    who: 'the owner',
    actor: anna,
    access: own,
    expect: { plain: ALLOWED, unservedLegal: refused('unserved_legal_notification'), servedLegal: ALLOWED },
  },
  {
    who: 'a read/write grant',
    actor: bo,
    access: held('read_write', 'grant'),
    expect: { plain: ALLOWED, unservedLegal: refused('unserved_legal_notification'), servedLegal: ALLOWED },
  },
  {
    who: 'a read/write power of attorney',
    actor: bo,
    access: held('read_write', 'power_of_attorney'),
    expect: { plain: ALLOWED, unservedLegal: refused('unserved_legal_notification'), servedLegal: ALLOWED },
  },
  {
    who: 'a read-only grant',
    actor: bo,
    access: held('read', 'grant'),
    expect: { plain: refused('read_only'), unservedLegal: refused('read_only'), servedLegal: refused('read_only') },
  },
  {
    who: 'a read-only parent',
    actor: bo,
    access: held('read', 'parent'),
    expect: { plain: refused('read_only'), unservedLegal: refused('read_only'), servedLegal: refused('read_only') },
  },
  {
    who: 'no access',
    actor: bo,
    access: null,
    expect: { plain: refused('no_access'), unservedLegal: refused('no_access'), servedLegal: refused('no_access') },
  },
  {
    who: 'nobody logged in',
    actor: null,
    access: own,
    expect: { plain: refused('no_access'), unservedLegal: refused('no_access'), servedLegal: refused('no_access') },
  },
];

const letters: Record<string, ForwardableLetter> = { plain, unservedLegal, servedLegal };

describe('forwarding policy', () => {
  for (const row of matrix) {
    for (const [name, letter] of Object.entries(letters)) {
      test(`${row.who}, ${name} letter`, () => {
        assert.deepEqual(mayForward(row.actor, row.access, letter), row.expect[name]);
      });
    }
  }

  test('a recalled or deleted letter is gone for everyone who may read the mailbox, read-only included', () => {
    for (const access of [own, held('read_write', 'grant')]) {
      const actor = access.via === 'self' ? anna : bo;
      assert.deepEqual(mayForward(actor, access, { ...plain, recalled: true }), refused('gone'));
      assert.deepEqual(mayForward(actor, access, { ...plain, deleted: true }), refused('gone'));
    }
    assert.deepEqual(mayForward(bo, held('read', 'grant'), { ...plain, recalled: true }), refused('gone'));
  });

  test('access to another mailbox than the letter’s forwards nothing; nor do caseworkers, sender staff or a forged owner', () => {
    assert.deepEqual(mayForward(anna, own, { ...plain, recipientId: 'recipient-karen' }), refused('no_access'));
    const caseworker: Actor = {
      kind: 'caseworker',
      subject: 's-sofie',
      name: 'Sofie Madsen',
      staffId: 'staff-1',
      municipalityCode: '0101',
    };
    assert.deepEqual(mayForward(caseworker, own, plain), refused('no_access'));
    // Bo claiming to be the owner of Anna's mailbox "via self" is no access at all.
    assert.deepEqual(mayForward(bo, own, plain), refused('no_access'));
  });
});
