import { sql } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import { birthDateFromCpr } from '../../src/kernel/identifiers.ts';
import type { PopulationEvent, PopulationRecord } from '../../src/modules/registry/population-record.ts';

/** A validated record for a CPR (birth date and sex from the number), with a default address. */
export function record(
  line: number,
  cpr: string,
  event: PopulationEvent,
  overrides: Partial<PopulationRecord> = {},
): PopulationRecord {
  return {
    line,
    cpr,
    name: `Person ${cpr.slice(0, 6)}`,
    birthDate: birthDateFromCpr(cpr),
    sex: Number(cpr[9]) % 2 === 1 ? 'M' : 'F',
    addressLines: ['Nørregade 1'],
    postcode: '1165',
    city: 'København K',
    municipalityCode: '0101',
    event,
    ...overrides,
  };
}

/**
 * The registry's population state, comparable across databases: people by CPR and their enrolment history in
 * order. `timestamps: false` leaves out when things happened (for runs on the real clock); `actors: false` leaves
 * out which import did it (import ids differ between databases).
 */
export async function populationSnapshot(db: Db, options: { timestamps?: boolean; actors?: boolean } = {}) {
  const timestamps = options.timestamps ?? true;
  const actors = options.actors ?? true;
  const people = await sql<Record<string, unknown>>`
    select cpr, kind, name, birth_date, sex, address_lines, postcode, city, municipality_code, enrolment,
           exemption_ground, closed_reason, delete_after,
           ${timestamps ? sql`enrolment_changed_at, population_updated_at` : sql`null as t1, null as t2`}
    from recipient order by cpr
  `.execute(db);
  const history = await sql<Record<string, unknown>>`
    select r.cpr, e.kind, e.from_state, e.to_state, e.exemption_ground, e.note, e.send_unopened_as_paper,
           e.actor_kind, ${actors ? sql`e.actor_id, e.actor_name` : sql`null as a1, null as a2`},
           ${timestamps ? sql`e.occurred_at` : sql`null as t`}
    from enrolment_change e join recipient r on r.id = e.recipient_id
    order by r.cpr, e.id
  `.execute(db);
  return { people: people.rows, history: history.rows };
}
