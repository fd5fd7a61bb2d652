import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { clearDoubtOnNewAddress } from './address-doubt.ts';
import {
  applyCompany,
  applyState,
  applyUnit,
  type BusinessCounts,
  type KnownCompany,
  noBusinessCounts,
  UNKNOWN_COMPANY,
} from './business-line.ts';
import type { BusinessRecord } from './business-record.ts';
import type { RegistryActor } from './enrolment.ts';

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
