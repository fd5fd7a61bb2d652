import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { clearDoubtOnNewAddress } from './address-doubt.ts';
import type { BusinessRecord } from './business-record.ts';
import { changeEnrolment, type RegistryActor } from './enrolment.ts';

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

/**
 * Applies a chunk of validated business lines, in file order, inside the caller's transaction. The enrolment rules
 * for businesses: every active company is enrolled ('automatic') — a business can never be exempted; a ceased
 * company's mailbox is closed (closed_reason 'ceased') and keeps its post until delete_after (ceased day + retention);
 * a ceased company active again is reopened. Every change of state is recorded in enrolment_change; a line that
 * changes nothing writes nothing, so applying a file twice changes nothing the second time.
 *
 * Set-based (a full CVR extract is millions of lines): one statement locks the chunk's known companies, one inserts
 * the new active ones already enrolled with their two history rows, one updates the register fields that changed,
 * one upserts the production units; only a change of state of a known company (close, reopen) or a new company that
 * has already ceased goes through changeEnrolment one by one, which the register's daily changes keep rare. A chunk
 * that names one company or P-unit twice is applied line by line, so file order decides as it says.
 */
export async function applyBusinessBatch(
  trx: Db,
  records: readonly BusinessRecord[],
  actor: RegistryActor,
  retentionYears: number,
  now: Date,
): Promise<{ counts: BusinessCounts; rejected: { line: number; reason: string }[] }> {
  const companies = records.filter((r) => !r.pNumber);
  const units = records.filter((r) => r.pNumber);
  const twice = (keys: string[]) => new Set(keys).size !== keys.length;
  if (twice(companies.map((r) => r.cvr)) || twice(units.map((r) => r.pNumber as string))) {
    return applyLineByLine(trx, records, actor, retentionYears, now);
  }
  const counts = noBusinessCounts();
  const rejected: { line: number; reason: string }[] = [];
  const known = await lockKnown(
    trx,
    companies.map((r) => r.cvr),
  );
  const fresh = companies.filter((r) => !known.has(r.cvr));
  counts.created += await insertEnrolled(
    trx,
    fresh.filter((r) => r.status === 'active'),
    actor,
    now,
  );
  counts.enrolled += fresh.filter((r) => r.status === 'active').length;
  for (const r of fresh.filter((c) => c.status === 'ceased')) {
    await applyCompany(trx, r, actor, retentionYears, now, counts);
  }
  const existing = companies.filter((r) => known.has(r.cvr));
  counts.updated += await updateRegisterFields(trx, existing, now);
  for (const r of existing) {
    await applyState(trx, r, known.get(r.cvr) as KnownCompany, actor, retentionYears, now, counts);
  }
  // A unit's company must come first in the file, or be known from an earlier import.
  const newCompanyLine = new Map(fresh.map((r) => [r.cvr, r.line]));
  const acceptable: BusinessRecord[] = [];
  for (const r of units) {
    const companyLine = newCompanyLine.get(r.cvr);
    if (companyLine !== undefined && companyLine > r.line) rejected.push({ line: r.line, reason: UNKNOWN_COMPANY });
    else acceptable.push(r);
  }
  const upserted = await upsertUnits(trx, acceptable, now);
  counts.units += upserted.changed;
  for (const line of upserted.unknown) rejected.push({ line, reason: UNKNOWN_COMPANY });
  return { counts, rejected };
}

const UNKNOWN_COMPANY = 'unknown CVR number for this production unit (its company line must come first)';
/** The per-line path (a chunk that names a company or P-unit twice): file order decides. */
async function applyLineByLine(
  trx: Db,
  records: readonly BusinessRecord[],
  actor: RegistryActor,
  retentionYears: number,
  now: Date,
): Promise<{ counts: BusinessCounts; rejected: { line: number; reason: string }[] }> {
  const counts = noBusinessCounts();
  const rejected: { line: number; reason: string }[] = [];
  for (const record of records) {
    if (record.pNumber) {
      const outcome = await applyUnit(trx, record, now);
      if (typeof outcome === 'string') rejected.push({ line: record.line, reason: outcome });
      else if (outcome) counts.units++;
    } else await applyCompany(trx, record, actor, retentionYears, now, counts);
  }
  return { counts, rejected };
}

interface KnownCompany {
  id: string;
  enrolment: string;
  closed_reason: string | null;
  delete_after: unknown;
}

/** The chunk's companies that exist already, locked for the chunk's transaction. */
async function lockKnown(trx: Db, cvrs: string[]): Promise<Map<string, KnownCompany>> {
  if (cvrs.length === 0) return new Map();
  const rows = await sql<KnownCompany & { cvr: string }>`
    select id, cvr, enrolment, closed_reason, delete_after from recipient
    where cvr = any(${cvrs}::char(8)[]) order by id for update
  `.execute(trx);
  return new Map(rows.rows.map((row) => [row.cvr, row]));
}

/** The register fields of a line as one JSON row (jsonb_to_recordset reads arrays into text[]). */
const registerRow = (r: BusinessRecord) => ({
  line: r.line,
  cvr: r.cvr,
  p_number: r.pNumber,
  name: r.name,
  address_lines: r.addressLines,
  postcode: r.postcode,
  city: r.city,
  municipality_code: r.municipalityCode,
  business_status: r.status,
  ceased_on: r.ceasedOn,
});

const INPUT_COLUMNS = sql.raw(
  'line int, cvr char(8), p_number text, name text, address_lines text[], postcode text, city text, ' +
    'municipality_code text, business_status text, ceased_on date',
);

/** New active companies: created and enrolled at once, with the history a single company gets (created, enrolled). */
async function insertEnrolled(trx: Db, records: BusinessRecord[], actor: RegistryActor, now: Date): Promise<number> {
  if (records.length === 0) return 0;
  const result = await sql<{ n: number }>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(records.map(registerRow))}::jsonb) as x(${INPUT_COLUMNS})
    ), created as (
      insert into recipient (kind, cvr, name, address_lines, postcode, city, municipality_code, business_status,
                             ceased_on, enrolment, enrolment_changed_at, register_updated_at)
      select 'business', cvr, name, address_lines, postcode, city, municipality_code, business_status, ceased_on,
             'automatic', ${now}, ${now}
      from input order by line
      returning id
    ), history as (
      insert into enrolment_change (recipient_id, occurred_at, kind, from_state, to_state, note, actor_kind, actor_id,
                                    actor_name)
      select created.id, ${now}, step.kind, step.from_state, step.to_state, step.note, ${actor.kind}, ${actor.id},
             ${actor.name ?? null}
      from created
      cross join (values (1, 'created', null, 'not_enrolled', 'business register'),
                         (2, 'enrolled_automatically', 'not_enrolled', 'automatic', 'registered'))
                 as step (position, kind, from_state, to_state, note)
      order by created.id, step.position
    )
    select count(*)::int as n from created
  `.execute(trx);
  return result.rows[0]?.n ?? 0;
}

/** The register fields of known companies, written only where they differ. */
async function updateRegisterFields(trx: Db, records: BusinessRecord[], now: Date): Promise<number> {
  if (records.length === 0) return 0;
  const result = await sql<{ id: string }>`
    update recipient
    set name = x.name, address_lines = x.address_lines, postcode = x.postcode, city = x.city,
        municipality_code = x.municipality_code, business_status = x.business_status, ceased_on = x.ceased_on,
        register_updated_at = ${now}, ${clearDoubtOnNewAddress('recipient', sql`(x.address_lines, x.postcode, x.city)`)}
    from jsonb_to_recordset(${JSON.stringify(records.map(registerRow))}::jsonb) as x(${INPUT_COLUMNS})
    where recipient.cvr = x.cvr
      and (recipient.name, recipient.address_lines, recipient.postcode, recipient.city, recipient.municipality_code,
           recipient.business_status, recipient.ceased_on)
          is distinct from (x.name, x.address_lines, x.postcode, x.city, x.municipality_code::char(4),
                            x.business_status, x.ceased_on)
    returning recipient.id
  `.execute(trx);
  return result.rows.length;
}

/** The production units whose company exists: inserted or updated where they differ; lines of unknown companies. */
async function upsertUnits(
  trx: Db,
  records: BusinessRecord[],
  now: Date,
): Promise<{ changed: number; unknown: number[] }> {
  if (records.length === 0) return { changed: 0, unknown: [] };
  const result = await sql<{ line: number; p_number: string | null }>`
    with input as (
      select x.*, b.id as business_id
      from jsonb_to_recordset(${JSON.stringify(records.map(registerRow))}::jsonb) as x(${INPUT_COLUMNS})
      left join recipient b on b.cvr = x.cvr
    ), upserted as (
      insert into p_unit (p_number, business_id, name, address_lines, postcode, city, municipality_code, ceased_on,
                          created_at, updated_at)
      select p_number, business_id, name, address_lines, postcode, city, municipality_code, ceased_on, ${now}, ${now}
      from input where business_id is not null
      on conflict (p_number) do update
      set business_id = excluded.business_id, name = excluded.name, address_lines = excluded.address_lines,
          postcode = excluded.postcode, city = excluded.city, municipality_code = excluded.municipality_code,
          ceased_on = excluded.ceased_on, updated_at = excluded.updated_at
      where (p_unit.business_id, p_unit.name, p_unit.address_lines, p_unit.postcode, p_unit.city,
             p_unit.municipality_code, p_unit.ceased_on)
            is distinct from (excluded.business_id, excluded.name, excluded.address_lines, excluded.postcode,
                              excluded.city, excluded.municipality_code, excluded.ceased_on)
      returning p_number
    )
    select null::int as line, p_number from upserted
    union all
    select line, null from input where business_id is null
  `.execute(trx);
  return {
    changed: result.rows.filter((row) => row.p_number !== null).length,
    unknown: result.rows.filter((row) => row.line !== null).map((row) => row.line as number),
  };
}

async function applyCompany(
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
async function applyState(
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
async function applyUnit(trx: Db, r: BusinessRecord, now: Date): Promise<boolean | string> {
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
