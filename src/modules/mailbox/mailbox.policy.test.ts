import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor } from '../identity/actor.ts';
import { canReadMessage } from './mailbox.policy.ts';

const own = { recipientId: 'recipient-anna' };
const other = { recipientId: 'recipient-bo' };

const anna: Actor = { kind: 'citizen', subject: 's-anna', name: 'Anna Jensen', recipientId: 'recipient-anna' };
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

describe('canReadMessage', () => {
  test('a citizen can read a letter in their own mailbox', () => {
    assert.equal(canReadMessage(anna, own), true);
  });
  test("a citizen cannot read a letter in someone else's mailbox", () => {
    assert.equal(canReadMessage(anna, other), false);
  });
  test('nobody logged out can read any letter', () => {
    assert.equal(canReadMessage(null, own), false);
    assert.equal(canReadMessage(null, other), false);
  });
  for (const [label, actor] of [
    ['a caseworker', caseworker],
    ['sender staff', senderStaff],
    ['an operator', operator],
  ] as const) {
    test(`${label} never reads letter content, in any mailbox`, () => {
      assert.equal(canReadMessage(actor, own), false);
      assert.equal(canReadMessage(actor, other), false);
      // Not even when an id happens to equal the mailbox's recipient id.
      assert.equal(canReadMessage(actor, { recipientId: actor.staffId }), false);
    });
  }
});
