import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor } from '../../kernel/actor.ts';
import type { MailboxAccess } from '../access/mailbox.policy.ts';
import {
  mayManageContactPoints,
  mayReadInbound,
  mayReply,
  mayWriteToContactPoint,
  replyWindow,
} from './correspondence.policy.ts';

const OWNER = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const SENDER = '00000000-0000-4000-8000-00000000000a';
const now = new Date('2026-12-01T12:00:00Z');

const anna: Actor = { kind: 'citizen', subject: 's-anna', name: 'Anna', recipientId: OWNER };
const bo: Actor = { kind: 'citizen', subject: 's-bo', name: 'Bo', recipientId: OTHER };
const staff: Actor = { kind: 'sender_staff', subject: 's-lars', name: 'Lars', staffId: 'st1', senderId: SENDER };
const otherStaff: Actor = { kind: 'sender_staff', subject: 's-ole', name: 'Ole', staffId: 'st2', senderId: OTHER };
const caseworker: Actor = {
  kind: 'caseworker',
  subject: 's-sofie',
  name: 'Sofie',
  staffId: 'c1',
  municipalityCode: '0101',
};
const operator: Actor = { kind: 'operator', subject: 's-op', name: 'Op', staffId: 'o1' };

const own: MailboxAccess = { mailboxId: OWNER, level: 'owner', via: 'self', grantId: null };
const readWrite: MailboxAccess = { mailboxId: OWNER, level: 'read_write', via: 'grant', grantId: 'g1' };
const readOnly: MailboxAccess = { mailboxId: OWNER, level: 'read', via: 'grant', grantId: 'g2' };

const letter = { recipientId: OWNER, replyAllowed: true, replyBy: null };

describe('the reply window', () => {
  test('a letter takes replies only when the sender allowed them, until the reply-by time', () => {
    assert.equal(replyWindow({ replyAllowed: false, replyBy: null }, now), 'not_allowed');
    assert.equal(replyWindow({ replyAllowed: true, replyBy: null }, now), 'open');
    assert.equal(replyWindow({ replyAllowed: true, replyBy: new Date('2026-12-01T12:00:01Z') }, now), 'open');
    assert.equal(replyWindow({ replyAllowed: true, replyBy: now }, now), 'closed', 'at the reply-by time it is over');
    assert.equal(replyWindow({ replyAllowed: false, replyBy: new Date('2027-01-01Z') }, now), 'not_allowed');
  });
});

describe('who may reply', () => {
  test('the owner and a read/write delegate may reply; read-only access, no access and non-citizens may not', () => {
    assert.deepEqual(mayReply(anna, own, letter, now), { allowed: true });
    assert.deepEqual(mayReply(bo, readWrite, letter, now), { allowed: true });
    assert.deepEqual(mayReply(bo, readOnly, letter, now), { allowed: false, reason: 'no_access' });
    assert.deepEqual(mayReply(bo, null, letter, now), { allowed: false, reason: 'no_access' });
    assert.deepEqual(mayReply(null, own, letter, now), { allowed: false, reason: 'no_access' });
    for (const actor of [staff, caseworker, operator]) {
      assert.deepEqual(mayReply(actor, own, letter, now), { allowed: false, reason: 'no_access' }, actor.kind);
    }
  });

  test('access to another mailbox does not let anyone reply to this letter', () => {
    const elsewhere: MailboxAccess = { mailboxId: OTHER, level: 'owner', via: 'self', grantId: null };
    assert.deepEqual(mayReply(bo, elsewhere, letter, now), { allowed: false, reason: 'no_access' });
  });

  test('even the owner cannot reply when the letter takes no reply or the time has passed', () => {
    assert.deepEqual(mayReply(anna, own, { ...letter, replyAllowed: false }, now), {
      allowed: false,
      reason: 'not_allowed',
    });
    assert.deepEqual(mayReply(bo, readWrite, { ...letter, replyBy: new Date('2026-11-30Z') }, now), {
      allowed: false,
      reason: 'closed',
    });
  });
});

describe('who may write to a contact point', () => {
  test('owner and read/write delegate may write to an active contact point; read-only and inactive may not', () => {
    assert.equal(mayWriteToContactPoint(anna, own, { active: true }), true);
    assert.equal(mayWriteToContactPoint(bo, readWrite, { active: true }), true);
    assert.equal(mayWriteToContactPoint(bo, readOnly, { active: true }), false);
    assert.equal(mayWriteToContactPoint(anna, own, { active: false }), false);
    assert.equal(mayWriteToContactPoint(anna, own, null), false);
    assert.equal(mayWriteToContactPoint(staff, own, { active: true }), false);
    assert.equal(mayWriteToContactPoint(null, null, { active: true }), false);
  });
});

describe('sender staff', () => {
  test('manage their own organisation’s contact points and read its inbound messages only', () => {
    assert.equal(mayManageContactPoints(staff, SENDER), true);
    assert.equal(mayManageContactPoints(otherStaff, SENDER), false);
    assert.equal(mayReadInbound(staff, { senderId: SENDER }), true);
    assert.equal(mayReadInbound(otherStaff, { senderId: SENDER }), false);
    for (const actor of [anna, caseworker, operator, null]) {
      assert.equal(mayManageContactPoints(actor, SENDER), false);
      assert.equal(mayReadInbound(actor, { senderId: SENDER }), false);
    }
  });
});
