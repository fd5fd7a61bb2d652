import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from '../../kernel/actor.ts';
import type { SenderRole } from './identity.tables.ts';
import { maySender, type SenderAction } from './sender-staff.policy.ts';

const OURS = 'sender-ours';
const base = { subject: 's', name: 'N' };

/** Each row: who, the role staff_user gives them now (for sender staff), and the sender they act on. */
const who: Record<string, { actor: Actor | null; role: SenderRole | null }> = {
  admin: { actor: { kind: 'sender_staff', ...base, staffId: 'a', senderId: OURS }, role: 'admin' },
  staff: { actor: { kind: 'sender_staff', ...base, staffId: 'b', senderId: OURS }, role: 'staff' },
  otherSendersAdmin: {
    actor: { kind: 'sender_staff', ...base, staffId: 'c', senderId: 'sender-theirs' },
    role: 'admin',
  },
  removedStaff: { actor: { kind: 'sender_staff', ...base, staffId: 'd', senderId: OURS }, role: null },
  operator: { actor: { kind: 'operator', ...base, staffId: 'o' }, role: null },
  caseworker: { actor: { kind: 'caseworker', ...base, staffId: 'w', municipalityCode: '0101' }, role: null },
  citizen: { actor: { kind: 'citizen', ...base, recipientId: 'r' }, role: null },
  nobody: { actor: null, role: null },
};

/** The whole matrix: every actor × every action, on our sender (or platform-wide for the operators' actions). */
const expected: Record<string, Record<SenderAction, boolean>> = {
  admin: {
    view_staff: true,
    manage_staff: true,
    manage_api_keys: true,
    manage_systems: true,
    manage_on_behalf: true,
    create_sender: false,
    list_senders: false,
  },
  staff: {
    view_staff: true,
    manage_staff: false,
    manage_api_keys: false,
    manage_systems: false,
    manage_on_behalf: false,
    create_sender: false,
    list_senders: false,
  },
  otherSendersAdmin: {
    view_staff: false,
    manage_staff: false,
    manage_api_keys: false,
    manage_systems: false,
    manage_on_behalf: false,
    create_sender: false,
    list_senders: false,
  },
  removedStaff: {
    view_staff: false,
    manage_staff: false,
    manage_api_keys: false,
    manage_systems: false,
    manage_on_behalf: false,
    create_sender: false,
    list_senders: false,
  },
  operator: {
    view_staff: false,
    manage_staff: false,
    manage_api_keys: false,
    manage_systems: false,
    manage_on_behalf: false,
    create_sender: true,
    list_senders: true,
  },
  caseworker: {
    view_staff: false,
    manage_staff: false,
    manage_api_keys: false,
    manage_systems: false,
    manage_on_behalf: false,
    create_sender: false,
    list_senders: false,
  },
  citizen: {
    view_staff: false,
    manage_staff: false,
    manage_api_keys: false,
    manage_systems: false,
    manage_on_behalf: false,
    create_sender: false,
    list_senders: false,
  },
  nobody: {
    view_staff: false,
    manage_staff: false,
    manage_api_keys: false,
    manage_systems: false,
    manage_on_behalf: false,
    create_sender: false,
    list_senders: false,
  },
};

for (const [name, row] of Object.entries(expected)) {
  test(`sender policy matrix: ${name}`, () => {
    const { actor, role } = who[name] as (typeof who)[string];
    for (const [action, allowed] of Object.entries(row) as [SenderAction, boolean][]) {
      const platformWide = action === 'create_sender' || action === 'list_senders';
      const target = { senderId: platformWide ? null : OURS, role };
      assert.equal(maySender(actor, action, target), allowed, `${name} ${action}`);
    }
  });
}

test("an administrator's role reaches only their own sender: our admin may not manage another sender", () => {
  const { actor } = who.admin as (typeof who)[string];
  assert.equal(maySender(actor, 'manage_staff', { senderId: 'sender-theirs', role: 'admin' }), false);
  assert.equal(maySender(actor, 'view_staff', { senderId: null, role: 'admin' }), false);
  assert.equal(maySender(actor, 'manage_on_behalf', { senderId: 'sender-theirs', role: 'admin' }), false);
  assert.equal(maySender(actor, 'manage_systems', { senderId: 'sender-theirs', role: 'admin' }), false);
});
