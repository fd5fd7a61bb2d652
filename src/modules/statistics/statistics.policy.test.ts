import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from '../../kernel/actor.ts';
import { canReportFor, canUploadScorecard } from './statistics.policy.ts';

test('a municipality reporter may report for its own municipality only', () => {
  const aarhus = { id: 'r1', name: 'Aarhus Kommune', municipalityCode: '0751' };
  assert.equal(canReportFor(aarhus, '0751'), true);
  assert.equal(canReportFor(aarhus, '0101'), false);
});

test('a reporter without a municipality (the association) may report for every municipality', () => {
  const kl = { id: 'r2', name: 'KL', municipalityCode: null };
  assert.equal(canReportFor(kl, '0101'), true);
  assert.equal(canReportFor(kl, '0851'), true);
});

test('only operators may upload scorecard files on the web', () => {
  const base = { subject: 's', name: 'N', staffId: 'x' };
  const operator: Actor = { kind: 'operator', ...base };
  const caseworker: Actor = { kind: 'caseworker', ...base, municipalityCode: '0101' };
  const sender: Actor = { kind: 'sender_staff', ...base, senderId: 'y' };
  const citizen: Actor = { kind: 'citizen', subject: 's', name: 'N', recipientId: 'z' };
  assert.equal(canUploadScorecard(operator), true);
  assert.equal(canUploadScorecard(caseworker), false);
  assert.equal(canUploadScorecard(sender), false);
  assert.equal(canUploadScorecard(citizen), false);
  assert.equal(canUploadScorecard(null), false);
});
