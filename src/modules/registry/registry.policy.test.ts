import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor } from '../../kernel/actor.ts';
import { canManageRegistration, isOwnRegistration } from './registry.policy.ts';

const actors: Record<Actor['kind'], Actor> = {
  citizen: { kind: 'citizen', subject: 's', name: 'Anna', recipientId: 'r-anna' },
  caseworker: { kind: 'caseworker', subject: 's', name: 'Sofie', staffId: 'st-1', municipalityCode: '0101' },
  sender_staff: { kind: 'sender_staff', subject: 's', name: 'Lars', staffId: 'st-2', senderId: 'sender-1' },
  operator: { kind: 'operator', subject: 's', name: 'Ole', staffId: 'st-3' },
};
const ownPerson = { kind: 'person' as const, municipalityCode: '0101' };
const otherPerson = { kind: 'person' as const, municipalityCode: '0751' };

describe('canManageRegistration', () => {
  test('a caseworker may manage a person of their own municipality', () => {
    assert.equal(canManageRegistration(actors.caseworker, ownPerson), true);
  });
  test('a caseworker may not manage a person of another municipality', () => {
    assert.equal(canManageRegistration(actors.caseworker, otherPerson), false);
  });
  test('a caseworker may not manage a person with no municipality of residence', () => {
    assert.equal(canManageRegistration(actors.caseworker, { kind: 'person', municipalityCode: null }), false);
  });
  test('a caseworker may not manage a business, even one registered in their municipality', () => {
    assert.equal(canManageRegistration(actors.caseworker, { kind: 'business', municipalityCode: '0101' }), false);
  });
  for (const kind of ['citizen', 'sender_staff', 'operator'] as const) {
    test(`a ${kind} may manage no one: own municipality`, () => {
      assert.equal(canManageRegistration(actors[kind], ownPerson), false);
    });
    test(`a ${kind} may manage no one: other municipality`, () => {
      assert.equal(canManageRegistration(actors[kind], otherPerson), false);
    });
  }
  test('nobody logged in may manage anyone', () => {
    assert.equal(canManageRegistration(null, ownPerson), false);
  });
});

describe('isOwnRegistration', () => {
  test('a citizen sees their own registration only', () => {
    assert.equal(isOwnRegistration(actors.citizen, 'r-anna'), true);
    assert.equal(isOwnRegistration(actors.citizen, 'r-bo'), false);
  });
  test('staff never see a registration as its owner', () => {
    for (const kind of ['caseworker', 'sender_staff', 'operator'] as const) {
      assert.equal(isOwnRegistration(actors[kind], 'r-anna'), false);
    }
    assert.equal(isOwnRegistration(null, 'r-anna'), false);
  });
});
