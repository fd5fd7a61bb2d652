import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { clearDoubtOnNewAddress } from './address-doubt.ts';
import { fifteenCutoff } from './age-rules.ts';
import type { RegistryActor } from './enrolment.ts';
import { deceasedReason } from './population-events.ts';
import type { PopulationRecord } from './population-record.ts';
import { populationRuleCte } from './population-transitions.ts';
import { DEATH_RETENTION_DEFAULT_YEARS, deleteAfterDeath } from './registry.config.ts';

export interface BatchCounts {
  created: number;
  updated: number;
  enrolled: number;
  reopened: number;
  closed: number;
}

export interface BatchResult {
  counts: BatchCounts;
  /** Lines the database refused (e.g. a move-in for a deceased person), with the reason. */
  rejected: { line: number; reason: string }[];
}

// Address lines travel as one string per person; the unit separator cannot occur (control characters are refused).
const SEPARATOR = '\u001f';

/**
 * Applies a batch of validated events set-based, inside the caller's transaction, with exactly the outcome of
 * applyPopulationEvent (population-events.ts) line by line: same rows, same enrolment_change history. A person
 * who occurs several times in the batch is handled in rounds (1st occurrence, 2nd, ...), so file order holds.
 * The audit row is the caller's (one per batch, see population-import.ts). Call it once per transaction: the
 * staging table empties at commit.
 */
export async function applyPopulationBatch(
  trx: Db,
  records: readonly PopulationRecord[],
  actor: RegistryActor,
  now: Date,
  deathRetentionYears: number = DEATH_RETENTION_DEFAULT_YEARS,
): Promise<BatchResult> {
  const counts: BatchCounts = { created: 0, updated: 0, enrolled: 0, reopened: 0, closed: 0 };
  const rejected: BatchResult['rejected'] = [];
  if (records.length === 0) return { counts, rejected };

  const seen = new Map<string, number>();
  const columns = {
    line: [] as number[],
    round: [] as number[],
    cpr: [] as string[],
    name: [] as string[],
    birthDate: [] as string[],
    sex: [] as string[],
    address: [] as string[],
    postcode: [] as (string | null)[],
    city: [] as (string | null)[],
    municipality: [] as string[],
    event: [] as string[],
  };
  for (const r of records) {
    const round = (seen.get(r.cpr) ?? 0) + 1;
    seen.set(r.cpr, round);
    columns.line.push(r.line);
    columns.round.push(round);
    columns.cpr.push(r.cpr);
    columns.name.push(r.name);
    columns.birthDate.push(r.birthDate);
    columns.sex.push(r.sex);
    columns.address.push(r.addressLines.join(SEPARATOR));
    columns.postcode.push(r.postcode);
    columns.city.push(r.city);
    columns.municipality.push(r.municipalityCode);
    columns.event.push(r.event);
  }
  const rounds = Math.max(...seen.values());

  // The batch is staged in a temporary table (made once per connection, emptied at every commit).
  const staged = await sql<{ exists: boolean }>`
    select to_regclass('pg_temp.population_stage') is not null as exists
  `.execute(trx);
  const firstOnConnection = !staged.rows[0]?.exists;
  if (firstOnConnection) {
    await sql`
      create temp table population_stage (
        line int not null,
        round int not null,
        cpr char(10) not null,
        name text not null,
        birth_date date not null,
        sex char(1) not null,
        address_lines text[] not null,
        postcode text,
        city text,
        municipality_code char(4) not null,
        event text not null,
        -- The person as found at the start of the line's round (locked until commit).
        recipient_id uuid,
        known_enrolment text,
        known_closed_reason text,
        rejected text
      ) on commit delete rows
    `.execute(trx);
    await sql`create index on population_stage (cpr, round)`.execute(trx);
    await sql`create unique index on population_stage (line)`.execute(trx);
  }
  await sql`
    insert into population_stage
      (line, round, cpr, name, birth_date, sex, address_lines, postcode, city, municipality_code, event)
    select line, round, cpr, name, birth_date, sex, string_to_array(address, ${SEPARATOR}), postcode, city,
           municipality_code, event
    from unnest(${columns.line}::int[], ${columns.round}::int[], ${columns.cpr}::text[], ${columns.name}::text[],
                ${columns.birthDate}::date[], ${columns.sex}::text[], ${columns.address}::text[],
                ${columns.postcode}::text[], ${columns.city}::text[], ${columns.municipality}::text[],
                ${columns.event}::text[])
      as t(line, round, cpr, name, birth_date, sex, address, postcode, city, municipality_code, event)
  `.execute(trx);
  // Temporary tables get no statistics by themselves; one sample of a batch serves the later ones.
  if (firstOnConnection) await sql`analyze population_stage`.execute(trx);
  // Every statement below touches a few thousand people among millions, by CPR or id: index lookups are always
  // right, but with the recipient table's statistics lagging behind a fast import the planner may choose to scan
  // it whole instead. These settings end with the transaction; the last one because the first two inflate plan
  // costs past the JIT threshold, and compiling would cost more than running.
  await sql`set local enable_hashjoin = off`.execute(trx);
  await sql`set local enable_mergejoin = off`.execute(trx);
  await sql`set local jit = off`.execute(trx);

  const cutoff = fifteenCutoff(now);
  const deleteAfter = deleteAfterDeath(now, deathRetentionYears);
  const who = sql`${actor.kind}, ${actor.id}, ${actor.name ?? null}`;
  const count = async (query: ReturnType<typeof sql<{ n: string }>>) =>
    Number((await query.execute(trx)).rows[0]?.n ?? 0);

  for (let round = 1; round <= rounds; round++) {
    // Who is known already, and in which state: one lookup by CPR, locking them (in id order) until commit, so
    // the decisions below rest on states nobody else can change meanwhile. The rest goes by id.
    await sql`
      with found as (
        select s.line, r.id, r.enrolment, r.closed_reason
        from population_stage s join recipient r on r.cpr = s.cpr
        where s.round = ${round}
        order by r.id
        for update of r
      )
      update population_stage s
      set recipient_id = found.id, known_enrolment = found.enrolment, known_closed_reason = found.closed_reason
      from found where s.line = found.line
    `.execute(trx);
    const known = (condition: ReturnType<typeof sql>) => sql`
      s.round = ${round} and s.rejected is null and r.id = s.recipient_id and ${condition}`;

    // Registering a birth, a move or an address for someone who has died is an error in the file.
    const refused = await sql<{ line: number }>`
      update population_stage s set rejected = ${deceasedReason}
      where s.round = ${round} and s.known_enrolment = 'closed' and s.known_closed_reason = 'death'
        and s.event in ('birth', 'move_in', 'address_change')
      returning s.line
    `.execute(trx);
    for (const { line } of refused.rows) rejected.push({ line, reason: deceasedReason });

    // New people: created 'not_enrolled' (history 'created'), then the rules' steps for a new person
    // (population-transitions.ts): a move-in (or an address for an unknown CPR) of someone 15+ is enrolled at once.
    const fresh = await sql<{ n: string; enrolled: string }>`
      with ${populationRuleCte()},
      created as (
        insert into recipient (kind, cpr, name, birth_date, sex, address_lines, postcode, city, municipality_code,
                               enrolment, enrolment_changed_at, population_updated_at)
        select 'person', s.cpr, s.name, s.birth_date, s.sex, s.address_lines, s.postcode, s.city, s.municipality_code,
               coalesce(t.to_state, 'not_enrolled'), ${now}, ${now}
        from population_stage s
        left join population_rule t on t.last and t.known = 'new' and t.event = s.event
          and t.adult = (s.birth_date <= ${cutoff}::date)
        where s.round = ${round} and s.recipient_id is null and s.event in ('birth', 'move_in', 'address_change')
        order by s.line
        on conflict (cpr) do nothing
        returning id, cpr, enrolment
      ), history as (
        insert into enrolment_change (recipient_id, occurred_at, kind, from_state, to_state, note,
                                      actor_kind, actor_id, actor_name)
        select h.id, ${now}, h.kind, h.from_state, h.to_state, h.note, ${who}
        from (
          select c.id, s.line, 0 as step, 'created' as kind, null as from_state, 'not_enrolled' as to_state,
                 s.event as note
          from created c join population_stage s on s.cpr = c.cpr and s.round = ${round}
          union all
          select c.id, s.line, t.step, t.kind, t.from_state, t.to_state, t.note
          from created c
          join population_stage s on s.cpr = c.cpr and s.round = ${round}
          join population_rule t on t.known = 'new' and t.event = s.event and t.adult = (s.birth_date <= ${cutoff}::date)
        ) h
        order by h.line, h.step
      )
      select count(*) as n, count(*) filter (where enrolment = 'automatic') as enrolled from created
    `.execute(trx);
    counts.created += Number(fresh.rows[0]?.n ?? 0);
    counts.enrolled += Number(fresh.rows[0]?.enrolled ?? 0);

    // Known people: name and address from the register, only where something changed.
    counts.updated += await count(sql<{ n: string }>`
      with updated as (
        update recipient r
        set name = s.name, birth_date = s.birth_date, sex = s.sex, address_lines = s.address_lines,
            postcode = s.postcode, city = s.city, municipality_code = s.municipality_code,
            population_updated_at = ${now}, ${clearDoubtOnNewAddress('r', sql`(s.address_lines, s.postcode, s.city)`)}
        from population_stage s
        where ${known(sql`s.event in ('birth', 'move_in', 'address_change')`)}
          and (r.name, r.birth_date, r.sex, r.address_lines, r.postcode, r.city, r.municipality_code)
              is distinct from (s.name, s.birth_date, s.sex, s.address_lines, s.postcode, s.city, s.municipality_code)
        returning r.id
      )
      select count(*) as n from updated
    `);

    // Known people: the rules' steps for the state they were found in (population-transitions.ts): a move-in
    // reopens a mailbox closed by emigration and enrols someone 15+ not enrolled yet; emigration and death close the
    // mailbox (closed stays closed). Age is the row's: the update above has just written the line's birth date.
    const changes = await sql<{ kind: string; n: string }>`
      with ${populationRuleCte()},
      changed as (
        update recipient r
        set enrolment = t.to_state, exemption_ground = null, closed_reason = t.closed_reason,
            delete_after = case when t.closed_reason = 'death' then ${deleteAfter}::date end,
            enrolment_changed_at = ${now}
        from population_stage s
        join population_rule t on t.last and t.event = s.event and t.known = s.known_enrolment
          and t.known_closed_reason is not distinct from s.known_closed_reason
        where ${known(sql`t.adult = (r.birth_date is null or r.birth_date <= ${cutoff}::date)`)}
        returning r.id, s.line, s.event, s.known_enrolment, s.known_closed_reason, t.adult
      ), history as (
        insert into enrolment_change (recipient_id, occurred_at, kind, from_state, to_state, note,
                                      actor_kind, actor_id, actor_name)
        select c.id, ${now}, t.kind, t.from_state, t.to_state, t.note, ${who}
        from changed c
        join population_rule t on t.event = c.event and t.known = c.known_enrolment
          and t.known_closed_reason is not distinct from c.known_closed_reason and t.adult = c.adult
        order by c.line, t.step
        returning kind
      )
      select kind, count(*) as n from history group by kind
    `.execute(trx);
    for (const { kind, n } of changes.rows) {
      if (kind === 'reopened') counts.reopened += Number(n);
      else if (kind === 'enrolled_automatically') counts.enrolled += Number(n);
      else if (kind === 'closed') counts.closed += Number(n);
    }
  }
  rejected.sort((a, b) => a.line - b.line);
  return { counts, rejected };
}
