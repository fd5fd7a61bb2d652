import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canSetNotificationOptions, canSetSenderDefaults } from './notify.policy.ts';

test('a sender can set notification options only on its own letters', () => {
  assert.equal(canSetNotificationOptions({ senderId: 'a' }, { sender_id: 'a' }), true);
  assert.equal(canSetNotificationOptions({ senderId: 'a' }, { sender_id: 'b' }), false);
});

test('a sender can change only its own defaults', () => {
  assert.equal(canSetSenderDefaults({ senderId: 'a' }, 'a'), true);
  assert.equal(canSetSenderDefaults({ senderId: 'a' }, 'b'), false);
});
