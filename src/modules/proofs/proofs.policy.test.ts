import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROOF_FACT_NAMES } from '../events/index.ts';
import { mayGetProof } from './proofs.policy.ts';

test('a sender may have the proof of every fact of its own letters', () => {
  for (const fact of PROOF_FACT_NAMES) assert.equal(mayGetProof({ kind: 'sender', senderId: 's' }, fact), true);
});

test('a reader of the letter gets the facts that concern the recipient, not the acceptance', () => {
  const reader = { kind: 'reader', mayRead: true } as const;
  assert.deepEqual(
    PROOF_FACT_NAMES.filter((fact) => mayGetProof(reader, fact)),
    ['available', 'posted', 'opened', 'served', 'recalled'],
  );
});

test('someone who may not read the letter gets no proof of it', () => {
  for (const fact of PROOF_FACT_NAMES) assert.equal(mayGetProof({ kind: 'reader', mayRead: false }, fact), false);
});
