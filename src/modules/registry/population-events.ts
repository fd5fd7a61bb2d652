import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { recordAudit } from '../audit/index.ts';
import { changeEnrolment, type RegistryActor } from './enrolment.ts';
import type { PopulationEvent, PopulationRecord } from './population-record.ts';
import { populationCommands } from './population-transitions.ts';

/**
 * What a population event does, one person at a time (the bulk import in population-batch.ts does the same,
 * set-based, from the same rules in population-transitions.ts, and is tested against this):
 * - birth: a new person is created 'not_enrolled' (the daily age-15 rule enrols them when they turn 15);
 * - move_in: created if new, reopened if their mailbox was closed by emigration, and enrolled automatically if 15+;
 * - address_change: name and address updated, no enrolment change; an unknown CPR is created as if it moved in
 *   (the register knows them, so they live here);
 * - emigration / death: the mailbox is closed with that reason (death also sets delete_after); an unknown CPR or a
 *   mailbox already closed changes nothing;
 * - birth, move_in and address_change for a person registered as deceased are rejected.
 * Exemptions are never overridden: register data is updated, the enrolment state is left alone.
 */
export type PopulationOutcome = { applied: true } | { applied: false; reason: string };

export const deceasedReason = 'the person is registered as deceased';

const createsPerson: readonly PopulationEvent[] = ['birth', 'move_in', 'address_change'];

/** Applies one event through changeEnrolment, inside the caller's transaction. */
export async function applyPopulationEvent(
  trx: Db,
  record: PopulationRecord,
  actor: RegistryActor,
  now: Date,
): Promise<PopulationOutcome> {
  const existing = await trx
    .selectFrom('recipient')
    .select(['id', 'enrolment', 'closed_reason'])
    .where('cpr', '=', record.cpr)
    .forUpdate()
    .executeTakeFirst();

  const known = existing ? { enrolment: existing.enrolment, closedReason: existing.closed_reason } : null;
  const commands = populationCommands(record.event, known);
  if (record.event === 'emigration' || record.event === 'death') {
    for (const command of commands) await changeEnrolment(trx, (existing as { id: string }).id, command, actor, now);
    return { applied: true };
  }

  if (existing?.enrolment === 'closed' && existing.closed_reason === 'death') {
    return { applied: false, reason: deceasedReason };
  }
  if (!createsPerson.includes(record.event)) return { applied: false, reason: 'unknown event' };
  const data = {
    name: record.name,
    birth_date: record.birthDate,
    sex: record.sex,
    address_lines: record.addressLines,
    postcode: record.postcode,
    city: record.city,
    municipality_code: record.municipalityCode,
  };
  let id: string;
  if (!existing) {
    const created = await trx
      .insertInto('recipient')
      .values({
        kind: 'person',
        cpr: record.cpr,
        ...data,
        enrolment: 'not_enrolled',
        enrolment_changed_at: now,
        population_updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = created.id;
    await trx
      .insertInto('enrolment_change')
      .values({
        recipient_id: id,
        occurred_at: now,
        kind: 'created',
        from_state: null,
        to_state: 'not_enrolled',
        note: record.event,
        actor_kind: actor.kind,
        actor_id: actor.id,
        actor_name: actor.name ?? null,
      })
      .execute();
    await recordAudit(trx, {
      actorKind: 'system',
      actorId: actor.id,
      action: 'registry.created',
      subjectType: 'recipient',
      subjectId: id,
      mailboxRecipientId: id,
      details: { to: 'not_enrolled', event: record.event },
    });
  } else {
    id = existing.id;
    // A new address clears a doubt that returned post raised (registry/address-doubt.ts); SET reads the old row.
    const newAddress = sql<boolean>`(address_lines, postcode, city) is distinct from
      (${data.address_lines}::text[], ${data.postcode}::text, ${data.city}::text)`;
    await trx
      .updateTable('recipient')
      .set({
        ...data,
        population_updated_at: now,
        address_doubtful_since: sql<Date | null>`case when ${newAddress} then null else address_doubtful_since end`,
        address_doubt_reason: sql<string | null>`case when ${newAddress} then null else address_doubt_reason end`,
      })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb('name', 'is distinct from', data.name),
          eb('birth_date', 'is distinct from', sql<Date>`${data.birth_date}::date`),
          eb('sex', 'is distinct from', data.sex),
          eb('address_lines', 'is distinct from', sql<string[]>`${data.address_lines}::text[]`),
          eb('postcode', 'is distinct from', data.postcode),
          eb('city', 'is distinct from', data.city),
          eb('municipality_code', 'is distinct from', data.municipality_code),
        ]),
      )
      .execute();
  }

  for (const command of commands) await changeEnrolment(trx, id, command, actor, now);
  return { applied: true };
}
