import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor } from '../../kernel/actor.ts';
import { mayViewTestMailbox } from './test-mailbox.policy.ts';

const SENDER = '0190a000-0000-7000-8000-000000000001';
const OTHER = '0190a000-0000-7000-8000-000000000002';
const staffOf = (senderId: string): Actor => ({
  kind: 'sender_staff',
  subject: 's',
  name: 'S',
  staffId: 'x',
  senderId,
});

describe('mayViewTestMailbox', () => {
  test("the sender's own staff may", () => {
    assert.equal(mayViewTestMailbox(staffOf(SENDER), SENDER), true);
  });
  test("another sender's staff may not", () => {
    assert.equal(mayViewTestMailbox(staffOf(OTHER), SENDER), false);
  });
  test('nobody else may: no login, a citizen, a caseworker, an operator', () => {
    const others: (Actor | null)[] = [
      null,
      { kind: 'citizen', subject: 'c', name: 'C', recipientId: SENDER },
      { kind: 'caseworker', subject: 'w', name: 'W', staffId: 'y', municipalityCode: '0101' },
      { kind: 'operator', subject: 'o', name: 'O', staffId: 'z' },
    ];
    for (const actor of others) assert.equal(mayViewTestMailbox(actor, SENDER), false, actor?.kind ?? 'anonymous');
  });
});
