import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BusinessCaller } from '../../kernel/actor.ts';
import { inboxDecision } from './inbox-api.policy.ts';

const OWN = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const caller = (scopes: string[]): BusinessCaller => ({ clientId: 'c', businessRecipientId: OWN, scopes, test: false });

test('the inbox policy: own mailbox with the scope, others not found, missing scope forbidden', () => {
  const both = caller(['inbox:read', 'inbox:write']);
  const readOnly = caller(['inbox:read']);
  const writeOnly = caller(['inbox:write']);
  const cases: [BusinessCaller | null, string | null, 'read' | 'write', string][] = [
    [both, OWN, 'read', 'allowed'],
    [both, OWN, 'write', 'allowed'],
    [both, OTHER, 'read', 'not_found'],
    [both, OTHER, 'write', 'not_found'],
    [both, null, 'read', 'not_found'],
    [readOnly, OWN, 'read', 'allowed'],
    [readOnly, OWN, 'write', 'forbidden'],
    [readOnly, OTHER, 'read', 'not_found'],
    [writeOnly, OWN, 'read', 'forbidden'],
    [writeOnly, OWN, 'write', 'allowed'],
    [null, OWN, 'read', 'forbidden'],
    [null, OWN, 'write', 'forbidden'],
  ];
  for (const [who, mailbox, action, expected] of cases) {
    assert.equal(inboxDecision(who, mailbox, action), expected, `${who?.scopes.join(' ')} ${mailbox} ${action}`);
  }
});
