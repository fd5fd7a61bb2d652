import assert from 'node:assert/strict';
import { test } from 'node:test';
import { populationCommands, populationSteps } from './population-transitions.ts';

const outcome = (event: string, known: string, knownClosedReason: string | null, adult: boolean) =>
  populationSteps()
    .filter(
      (s) => s.event === event && s.known === known && s.knownClosedReason === knownClosedReason && s.adult === adult,
    )
    .map((s) => `${s.kind}:${s.fromState}->${s.toState}${s.last ? '' : ' (then)'}`);

test('the table of outcomes says what the population rules do, case by case', () => {
  assert.deepEqual(outcome('birth', 'new', null, false), []);
  assert.deepEqual(outcome('move_in', 'new', null, true), ['enrolled_automatically:not_enrolled->automatic']);
  assert.deepEqual(outcome('move_in', 'new', null, false), []);
  assert.deepEqual(outcome('address_change', 'new', null, true), ['enrolled_automatically:not_enrolled->automatic']);
  assert.deepEqual(outcome('address_change', 'not_enrolled', null, true), []);
  assert.deepEqual(outcome('move_in', 'not_enrolled', null, true), ['enrolled_automatically:not_enrolled->automatic']);
  assert.deepEqual(outcome('move_in', 'exempted', null, true), [], 'an exemption is never overridden');
  assert.deepEqual(outcome('move_in', 'closed', 'emigration', true), ['reopened:closed->automatic']);
  assert.deepEqual(outcome('move_in', 'closed', 'emigration', false), ['reopened:closed->not_enrolled']);
  assert.deepEqual(outcome('move_in', 'closed', 'death', true), [], 'a deceased person is refused before the rules');
  assert.deepEqual(outcome('emigration', 'voluntary', null, true), ['closed:voluntary->closed']);
  assert.deepEqual(outcome('death', 'exempted', null, false), ['closed:exempted->closed']);
  assert.deepEqual(outcome('death', 'closed', 'emigration', true), [], 'closed stays closed');
  assert.deepEqual(outcome('emigration', 'new', null, true), []);
  assert.deepEqual(outcome('turned_15', 'not_enrolled', null, true), [
    'enrolled_automatically:not_enrolled->automatic',
  ]);
  assert.deepEqual(outcome('turned_15', 'exempted', null, true), []);
  assert.deepEqual(outcome('turned_15', 'not_enrolled', null, false), []);
});

test('every row records the reason a close leaves and the note the history gets', () => {
  const death = populationSteps().find((s) => s.event === 'death' && s.known === 'automatic');
  assert.equal(death?.closedReason, 'death');
  assert.equal(death?.note, 'death');
  const reopen = populationSteps().find((s) => s.kind === 'reopened');
  assert.equal(reopen?.closedReason, null);
  assert.equal(reopen?.note, 'moved_in');
  const aged = populationSteps().find((s) => s.event === 'turned_15');
  assert.equal(aged?.note, 'turned_15');
});

test('a person found in no state gets commands only from events that create them', () => {
  assert.deepEqual(populationCommands('death', null), []);
  assert.deepEqual(
    populationCommands('address_change', null).map((c) => c.type),
    ['enrol_automatically'],
  );
  assert.deepEqual(
    populationCommands('move_in', { enrolment: 'closed', closedReason: 'emigration' }).map((c) => c.type),
    ['reopen', 'enrol_automatically'],
  );
});
