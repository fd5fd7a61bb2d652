import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ClosedReason, Enrolment } from '../../db/schema.ts';
import { AppError } from '../../http/problem.ts';
import { ageOn, decideTransition, type EnrolmentCommand } from './enrolment.ts';

type Kind = 'person' | 'business';
const adult = (enrolment: Enrolment, closedReason: ClosedReason | null = null) => ({
  kind: 'person' as Kind,
  enrolment,
  closedReason,
  age: 40,
});
const child = (enrolment: Enrolment) => ({ kind: 'person' as Kind, enrolment, closedReason: null, age: 12 });
const business = (enrolment: Enrolment, closedReason: ClosedReason | null = null) => ({
  kind: 'business' as Kind,
  enrolment,
  closedReason,
  age: null,
});

/** The error code a refused command throws, or the transition it allows. */
function outcome(current: Parameters<typeof decideTransition>[0], command: EnrolmentCommand) {
  try {
    return decideTransition(current, command);
  } catch (error) {
    assert.ok(error instanceof AppError, 'refusals are AppErrors');
    assert.equal(error.status, 409);
    assert.ok(error.message.length > 10, 'with a readable message');
    return { refused: error.code };
  }
}

const exempt: EnrolmentCommand = { type: 'exempt', ground: 'no_internet' };
const closeDeath: EnrolmentCommand = { type: 'close', reason: 'death' };
const closeEmigration: EnrolmentCommand = { type: 'close', reason: 'emigration' };
const auto: EnrolmentCommand = { type: 'enrol_automatically', reason: 'turned_15' };

describe('decideTransition: every allowed transition', () => {
  const allowed: [string, Parameters<typeof decideTransition>[0], EnrolmentCommand, Enrolment, string][] = [
    [
      'a person of 15+ not yet enrolled is enrolled automatically',
      adult('not_enrolled'),
      auto,
      'automatic',
      'enrolled_automatically',
    ],
    [
      'an exempted person enrols voluntarily',
      adult('exempted'),
      { type: 'enrol_voluntarily' },
      'voluntary',
      'enrolled_voluntarily',
    ],
    [
      'a not-enrolled adult enrols voluntarily',
      adult('not_enrolled'),
      { type: 'enrol_voluntarily' },
      'voluntary',
      'enrolled_voluntarily',
    ],
    ['an automatically enrolled person is exempted', adult('automatic'), exempt, 'exempted', 'exempted'],
    ['a voluntarily enrolled person is exempted', adult('voluntary'), exempt, 'exempted', 'exempted'],
    ['a not-enrolled person is exempted', adult('not_enrolled'), exempt, 'exempted', 'exempted'],
    ['an exempted person is re-enrolled', adult('exempted'), { type: 're_enrol' }, 'voluntary', 're_enrolled'],
    ['an enrolled person’s mailbox is closed on death', adult('automatic'), closeDeath, 'closed', 'closed'],
    ['an exempted person’s mailbox is closed on emigration', adult('exempted'), closeEmigration, 'closed', 'closed'],
    ['a business is closed on emigration (ceased)', business('automatic'), closeEmigration, 'closed', 'closed'],
    [
      'a mailbox closed on emigration is reopened (automatic)',
      adult('closed', 'emigration'),
      { type: 'reopen' },
      'automatic',
      'reopened',
    ],
    [
      'a child’s mailbox closed on emigration reopens as not enrolled',
      { ...child('closed'), closedReason: 'emigration' },
      { type: 'reopen' },
      'not_enrolled',
      'reopened',
    ],
    ['a closed business is reopened', business('closed', 'emigration'), { type: 'reopen' }, 'automatic', 'reopened'],
    ['a ceased business is closed', business('automatic'), { type: 'close', reason: 'ceased' }, 'closed', 'closed'],
    [
      'a ceased business active again is reopened',
      business('closed', 'ceased'),
      { type: 'reopen' },
      'automatic',
      'reopened',
    ],
  ];
  for (const [name, current, command, to, kind] of allowed) {
    test(name, () => assert.deepEqual(outcome(current, command), { to, kind }));
  }
});

describe('decideTransition: every refused transition has a stable code', () => {
  const refused: [string, Parameters<typeof decideTransition>[0], EnrolmentCommand, string][] = [
    ['exempting a business is refused', business('automatic'), exempt, 'business_cannot_be_exempted'],
    ['exempting a closed mailbox is refused', adult('closed', 'emigration'), exempt, 'mailbox_closed'],
    ['exempting someone already exempted is refused', adult('exempted'), exempt, 'already_exempted'],
    ['enrolling twice (automatic) is refused', adult('automatic'), { type: 'enrol_voluntarily' }, 'already_enrolled'],
    ['enrolling twice (voluntary) is refused', adult('voluntary'), { type: 'enrol_voluntarily' }, 'already_enrolled'],
    [
      'enrolling a closed mailbox is refused',
      adult('closed', 'death'),
      { type: 'enrol_voluntarily' },
      'mailbox_closed',
    ],
    ['a child cannot enrol voluntarily', child('not_enrolled'), { type: 'enrol_voluntarily' }, 'too_young'],
    ['re-enrolling someone not exempted is refused', adult('automatic'), { type: 're_enrol' }, 'not_exempted'],
    ['re-enrolling a closed mailbox is refused', adult('closed', 'death'), { type: 're_enrol' }, 'not_exempted'],
    ['closing twice is refused', adult('closed', 'death'), closeEmigration, 'already_closed'],
    ['closing a business because of death is refused', business('automatic'), closeDeath, 'invalid_reason'],
    [
      'closing a person because they ceased (a business reason) is refused',
      adult('automatic'),
      { type: 'close', reason: 'ceased' },
      'invalid_reason',
    ],
    ['reopening an open mailbox is refused', adult('automatic'), { type: 'reopen' }, 'not_closed'],
    ['reopening a deceased person’s mailbox is refused', adult('closed', 'death'), { type: 'reopen' }, 'deceased'],
  ];
  for (const [name, current, command, code] of refused) {
    test(name, () => assert.deepEqual(outcome(current, command), { refused: code }));
  }
});

describe('decideTransition: automatic rules never override', () => {
  const unchanged: [string, Parameters<typeof decideTransition>[0]][] = [
    ['an exemption', adult('exempted')],
    ['a closed mailbox', adult('closed', 'emigration')],
    ['an existing enrolment (applied twice)', adult('automatic')],
    ['a voluntary enrolment', adult('voluntary')],
    ['a child under 15', child('not_enrolled')],
    ['a business', business('automatic')],
  ];
  for (const [name, current] of unchanged) {
    test(`automatic enrolment leaves ${name} unchanged`, () => assert.equal(decideTransition(current, auto), null));
  }
});

test('ageOn counts whole years, turning a year older on the birthday', () => {
  assert.equal(ageOn('2011-03-15', new Date('2026-03-14T12:00:00Z')), 14);
  assert.equal(ageOn('2011-03-15', new Date('2026-03-15T00:00:00Z')), 15);
  assert.equal(ageOn(null, new Date()), null);
});
