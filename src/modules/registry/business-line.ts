import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { clearDoubtOnNewAddress } from './address-doubt.ts';
import type { BusinessRecord } from './business-record.ts';
import { changeEnrolment, type RegistryActor } from './enrolment.ts';

/**
 * One business line at a time: a company's enrolment state (created, closed when ceased, reopened) through
 * changeEnrolment with its history, and a production unit. The set-based chunk (business-batch.ts) sends only the
 * rare changes of state this way, and a chunk that names a company or unit twice wholly.
 */

export interface BusinessCounts {
  created: number;
  updated: number;
  enrolled: number;
  reopened: number;
  closed: number;
  units: number;
}

export const noBusinessCounts = (): BusinessCounts => ({
  created: 0,
  updated: 0,
  enrolled: 0,
  reopened: 0,
  closed: 0,
  units: 0,
});

/** The day a ceased company's closed mailbox may be deleted: its ceased day plus the retention period. */
export function deleteAfterCeased(ceasedOn: string, retentionYears: number): string {
  const [y, m, d] = ceasedOn.split('-').map(Number) as [number, number, number];
  // 29 February + 5 years is 1 March (Date.UTC carries the day over), as for a death on a leap day.
  return new Date(Date.UTC(y + retentionYears, m - 1, d)).toISOString().slice(0, 10);
}

export const UNKNOWN_COMPANY = 'unknown CVR number for this production unit (its company line must come first)';

export interface KnownCompany {
  id: string;
  enrolment: string;
  closed_reason: string | null;
  delete_after: unknown;
}

export async function applyCompany(
  trx: Db,
  r: BusinessRecord,
  actor: RegistryActor,
  retentionYears: number,
  now: Date,
  counts: BusinessCounts,
) {
  const register = {
    name: r.name,
    address_lines: r.addressLines,
    postcode: r.postcode,
    city: r.city,
    municipality_code: r.municipalityCode,
    business_status: r.status,
    ceased_on: r.ceasedOn,
  };
  let known = await trx
    .selectFrom('recipient')
    .select(['id', 'kind', 'enrolment', 'closed_reason', 'delete_after'])
    .where('cvr', '=', r.cvr)
    .forUpdate()
    .executeTakeFirst();
  if (!known) {
    // Created not enrolled (history 'created'); the rules below enrol or close it, as for a new person.
    known = await trx
      .insertInto('recipient')
      .values({
        kind: 'business',
        cvr: r.cvr,
        ...register,
        enrolment: 'not_enrolled',
        enrolment_changed_at: now,
        register_updated_at: now,
      })
      .returning(['id', 'kind', 'enrolment', 'closed_reason', 'delete_after'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('enrolment_change')
      .values({
        recipient_id: known.id,
        occurred_at: now,
        kind: 'created',
        from_state: null,
        to_state: 'not_enrolled',
        note: 'business register',
        actor_kind: actor.kind,
        actor_id: actor.id,
        actor_name: actor.name ?? null,
      })
      .execute();
    counts.created++;
  } else {
    const changed = await sql<{ id: string }>`
      update recipient
      set name = ${r.name}, address_lines = ${r.addressLines}::text[], postcode = ${r.postcode}, city = ${r.city},
          municipality_code = ${r.municipalityCode}, business_status = ${r.status}, ceased_on = ${r.ceasedOn}::date,
          register_updated_at = ${now},
          ${clearDoubtOnNewAddress('recipient', sql`(${r.addressLines}::text[], ${r.postcode}::text, ${r.city}::text)`)}
      where id = ${known.id}
        and (name, address_lines, postcode, city, municipality_code, business_status, ceased_on)
            is distinct from (${r.name}, ${r.addressLines}::text[], ${r.postcode}, ${r.city},
                              ${r.municipalityCode}::char(4), ${r.status}, ${r.ceasedOn}::date)
      returning id
    `.execute(trx);
    counts.updated += changed.rows.length;
  }

  await applyState(trx, r, known, actor, retentionYears, now, counts);
}

/** The enrolment rules for a known company whose register line says `r.status`. */
export async function applyState(
  trx: Db,
  r: BusinessRecord,
  known: KnownCompany,
  actor: RegistryActor,
  retentionYears: number,
  now: Date,
  counts: BusinessCounts,
) {
  const { id, enrolment } = known;
  if (r.status === 'active') {
    if (enrolment === 'closed') {
      const done = await changeEnrolment(
        trx,
        id,
        { type: 'reopen', note: 'active in the business register' },
        actor,
        now,
      );
      if (done.changed) counts.reopened++;
    } else if (enrolment === 'not_enrolled' || enrolment === 'exempted') {
      // All active companies are enrolled; an exemption cannot exist for a business (see decideTransition).
      await setEnrolment(trx, id, enrolment, 'automatic', 'enrolled_automatically', 'registered', actor, now);
      counts.enrolled++;
    }
    return;
  }
  const deleteAfter = deleteAfterCeased(r.ceasedOn as string, retentionYears);
  if (enrolment !== 'closed') {
    await changeEnrolment(trx, id, { type: 'close', reason: 'ceased', deleteAfter }, actor, now);
    counts.closed++;
  } else if (known.closed_reason === 'ceased' && isoDay(known.delete_after) !== deleteAfter) {
    // The register corrected the ceased day: the post is kept from the corrected day.
    await trx.updateTable('recipient').set({ delete_after: deleteAfter }).where('id', '=', id).execute();
  }
}

/** Straight to a state (a new company's first enrolment, which changeEnrolment's rules leave to the register). */
async function setEnrolment(
  trx: Db,
  id: string,
  from: 'not_enrolled' | 'exempted',
  to: 'automatic',
  kind: 'enrolled_automatically',
  note: string,
  actor: RegistryActor,
  now: Date,
) {
  await trx
    .updateTable('recipient')
    .set({ enrolment: to, exemption_ground: null, closed_reason: null, delete_after: null, enrolment_changed_at: now })
    .where('id', '=', id)
    .execute();
  await trx
    .insertInto('enrolment_change')
    .values({
      recipient_id: id,
      occurred_at: now,
      kind,
      from_state: from,
      to_state: to,
      note,
      actor_kind: actor.kind,
      actor_id: actor.id,
      actor_name: actor.name ?? null,
    })
    .execute();
}

/** Adds or updates a production unit; true when something changed, a string when the line is refused. */
export async function applyUnit(trx: Db, r: BusinessRecord, now: Date): Promise<boolean | string> {
  const business = await trx.selectFrom('recipient').select(['id', 'kind']).where('cvr', '=', r.cvr).executeTakeFirst();
  if (!business) return UNKNOWN_COMPANY;
  const result = await sql<{ p_number: string }>`
    insert into p_unit (p_number, business_id, name, address_lines, postcode, city, municipality_code, ceased_on,
                        created_at, updated_at)
    values (${r.pNumber}, ${business.id}, ${r.name}, ${r.addressLines}::text[], ${r.postcode}, ${r.city},
            ${r.municipalityCode}, ${r.ceasedOn}::date, ${now}, ${now})
    on conflict (p_number) do update
    set business_id = excluded.business_id, name = excluded.name, address_lines = excluded.address_lines,
        postcode = excluded.postcode, city = excluded.city, municipality_code = excluded.municipality_code,
        ceased_on = excluded.ceased_on, updated_at = excluded.updated_at
    where (p_unit.business_id, p_unit.name, p_unit.address_lines, p_unit.postcode, p_unit.city,
           p_unit.municipality_code, p_unit.ceased_on)
          is distinct from (excluded.business_id, excluded.name, excluded.address_lines, excluded.postcode,
                            excluded.city, excluded.municipality_code, excluded.ceased_on)
    returning p_number
  `.execute(trx);
  return result.rows.length > 0;
}

/** Dates come back from the database as YYYY-MM-DD strings (src/db/database.ts). */
function isoDay(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value).slice(0, 10);
}
