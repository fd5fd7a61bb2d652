import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from '../../kernel/actor.ts';
import { canManageStatus } from './status.policy.ts';

const base = { subject: 's', name: 'N' };
const actors: Record<Actor['kind'], Actor> = {
  citizen: { kind: 'citizen', ...base, recipientId: 'r' },
  caseworker: { kind: 'caseworker', ...base, staffId: 'c', municipalityCode: '0101' },
  sender_staff: { kind: 'sender_staff', ...base, staffId: 'x', senderId: 'y' },
  operator: { kind: 'operator', ...base, staffId: 'o' },
};

test('only an operator may manage incidents and maintenance', () => {
  assert.equal(canManageStatus(actors.operator), true);
});

test('citizens, caseworkers, sender staff and people not logged in may not manage the status page', () => {
  assert.equal(canManageStatus(actors.citizen), false);
  assert.equal(canManageStatus(actors.caseworker), false);
  assert.equal(canManageStatus(actors.sender_staff), false);
  assert.equal(canManageStatus(null), false);
});
