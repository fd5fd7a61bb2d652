import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scopeDecision } from './scope.policy.ts';
import { SENDER_SCOPES } from './scopes.ts';

test('a caller needs every scope the route requires', () => {
  assert.deepEqual(scopeDecision({ kind: 'sender', granted: ['messages:send'] }, ['messages:send']), { allowed: true });
  assert.deepEqual(scopeDecision({ kind: 'sender', granted: ['messages:read'] }, ['messages:send']), {
    allowed: false,
    missing: ['messages:send'],
  });
  assert.deepEqual(scopeDecision({ kind: 'sender', granted: ['messages:send'] }, ['messages:send', 'messages:read']), {
    allowed: false,
    missing: ['messages:read'],
  });
});

test('an API key (every sender scope) passes every sender route but not the business inbox', () => {
  for (const scope of SENDER_SCOPES) {
    assert.deepEqual(scopeDecision({ kind: 'sender', granted: SENDER_SCOPES }, [scope]), { allowed: true });
  }
  assert.equal(scopeDecision({ kind: 'sender', granted: SENDER_SCOPES }, ['inbox:read']).allowed, false);
  // Even a sender's caller holding an inbox scope by mistake does not pass an inbox route.
  assert.deepEqual(scopeDecision({ kind: 'sender', granted: ['inbox:read', 'inbox:write'] }, ['inbox:write']), {
    allowed: false,
    missing: ['inbox:write'],
  });
});

test('a route without scopes admits senders only', () => {
  assert.equal(scopeDecision({ kind: 'sender', granted: [] }, []).allowed, true);
  assert.equal(scopeDecision({ kind: 'business', granted: ['inbox:read', 'inbox:write'] }, []).allowed, false);
  assert.equal(scopeDecision({ kind: 'business', granted: ['inbox:read'] }, ['inbox:read']).allowed, true);
});
