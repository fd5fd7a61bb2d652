import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import {
  ENROLMENTS,
  isRoutingFailure,
  MESSAGE_TYPES,
  type RouteOutcome,
  routeMessage,
  routingRows,
  routingTableSql,
} from './routing.ts';

/** The rule as docs/ARCHITECTURE.md and deliver-message.ts state it, written out independently of the table. */
function expected(enrolment: string, messageType: string, mandatory: boolean): RouteOutcome {
  if (enrolment === 'closed') return 'recipient_closed';
  if (!(ENROLMENTS as readonly string[]).includes(enrolment)) return 'recipient_unknown';
  if (messageType === 'NEMSMS') return 'nemsms';
  if (enrolment === 'automatic' || enrolment === 'voluntary') return 'mailbox';
  return mandatory ? 'recipient_not_digital' : 'print';
}

describe('routing rule', () => {
  test('every enrolment × type × mandatory has the outcome the rule states', () => {
    let cases = 0;
    for (const enrolment of [...ENROLMENTS, 'unheard_of']) {
      for (const messageType of MESSAGE_TYPES) {
        for (const mandatory of [false, true]) {
          assert.equal(
            routeMessage({ enrolment, messageType, mandatory }),
            expected(enrolment, messageType, mandatory),
            `${enrolment} × ${messageType} × mandatory=${mandatory}`,
          );
          cases++;
        }
      }
    }
    assert.equal(cases, 24);
  });

  test('a type other than NEMSMS routes as a letter; an inherited property name is no enrolment', () => {
    assert.equal(routeMessage({ enrolment: 'exempted', messageType: 'OTHER', mandatory: false }), 'print');
    assert.equal(
      routeMessage({ enrolment: 'toString', messageType: 'DIGITALPOST', mandatory: false }),
      'recipient_unknown',
    );
  });

  test('the failures are the outcomes that are not a channel', () => {
    const outcomes = new Set(routingRows().map((r) => r.outcome));
    assert.deepEqual([...outcomes].filter(isRoutingFailure).sort(), ['recipient_closed', 'recipient_not_digital']);
    assert.deepEqual([...outcomes].filter((o) => !isRoutingFailure(o)).sort(), ['mailbox', 'nemsms', 'print']);
    assert.equal(isRoutingFailure('recipient_unknown'), true);
  });

  test('the SQL table holds exactly the rows routeMessage decides', () => {
    const db = new Kysely<unknown>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    const compiled = routingTableSql('rt').compile(db);
    assert.deepEqual(compiled.parameters, []);
    const rows = [...compiled.sql.matchAll(/\('(\w+)', '(\w+)', (true|false), '(\w+)'\)/g)].map((m) => ({
      enrolment: m[1],
      messageType: m[2],
      mandatory: m[3] === 'true',
      outcome: m[4],
    }));
    assert.equal(rows.length, ENROLMENTS.length * MESSAGE_TYPES.length * 2);
    for (const row of rows) {
      assert.equal(
        row.outcome,
        routeMessage({
          enrolment: row.enrolment as string,
          messageType: row.messageType as string,
          mandatory: row.mandatory,
        }),
      );
    }
    assert.match(compiled.sql, /\) as "rt"\(enrolment, message_type, mandatory, outcome\)$/);
  });
});
