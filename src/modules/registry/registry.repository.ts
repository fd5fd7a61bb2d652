import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ClosedReason, Enrolment, EnrolmentChangeKind, ExemptionGround } from '../../db/schema.ts';
import { recordAudit } from '../audit/index.ts';

/** A recipient's registration as the registry pages and the reachability API read it (no contact details). */
export interface Registration {
  id: string;
  kind: 'person' | 'business';
  cpr: string | null;
  cvr: string | null;
  name: string;
  birthDate: string | null;
  sex: 'F' | 'M' | null;
  municipalityCode: string | null;
  municipalityName: string | null;
  enrolment: Enrolment;
  exemptionGround: ExemptionGround | null;
  closedReason: ClosedReason | null;
  deleteAfter: string | null;
  enrolmentChangedAt: Date;
  /** The postal address from the population or business register (address lines, then postcode and city). */
  addressLines: string[];
  postcode: string | null;
  city: string | null;
  /** Post to the address came back (print provider's return report) since then; null when trusted. */
  addressDoubtfulSince: Date | null;
  addressDoubtReason: string | null;
}

/** One line of a recipient's enrolment history, with the municipality of the caseworker who made it, if any. */
export interface EnrolmentChange {
  id: string;
  occurredAt: Date;
  kind: EnrolmentChangeKind;
  fromState: Enrolment | null;
  toState: Enrolment;
  exemptionGround: ExemptionGround | null;
  note: string | null;
  sendUnopenedAsPaper: boolean;
  actorKind: string;
  actorId: string;
  actorName: string | null;
  actorMunicipalityName: string | null;
}

const isoDay = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    // A `date` column arrives as local midnight; read it back in local time so the day does not shift.
    const y = value.getFullYear();
    const m = String(value.getMonth() + 1).padStart(2, '0');
    const d = String(value.getDate()).padStart(2, '0');
    return `${y}-${m}-${d}`;
  }
  return String(value).slice(0, 10);
};

function registrationQuery(db: Db) {
  return db
    .selectFrom('recipient')
    .leftJoin('municipality', 'municipality.code', 'recipient.municipality_code')
    .select([
      'recipient.id',
      'recipient.kind',
      'recipient.cpr',
      'recipient.cvr',
      'recipient.name',
      'recipient.birth_date',
      'recipient.sex',
      'recipient.municipality_code',
      'municipality.name as municipality_name',
      'recipient.enrolment',
      'recipient.exemption_ground',
      'recipient.closed_reason',
      'recipient.delete_after',
      'recipient.enrolment_changed_at',
      'recipient.address_lines',
      'recipient.postcode',
      'recipient.city',
      'recipient.address_doubtful_since',
      'recipient.address_doubt_reason',
    ]);
}

type RegistrationRow = NonNullable<Awaited<ReturnType<ReturnType<typeof registrationQuery>['executeTakeFirst']>>>;

function toRegistration(row: RegistrationRow): Registration {
  return {
    id: row.id,
    kind: row.kind,
    cpr: row.cpr,
    cvr: row.cvr,
    name: row.name,
    birthDate: isoDay(row.birth_date),
    sex: row.sex,
    municipalityCode: row.municipality_code,
    municipalityName: row.municipality_name,
    enrolment: row.enrolment,
    exemptionGround: row.exemption_ground,
    closedReason: row.closed_reason,
    deleteAfter: isoDay(row.delete_after),
    enrolmentChangedAt: row.enrolment_changed_at,
    addressLines: row.address_lines ?? [],
    postcode: row.postcode,
    city: row.city,
    addressDoubtfulSince: row.address_doubtful_since,
    addressDoubtReason: row.address_doubt_reason,
  };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A recipient by Kuvert id; null for an unknown or malformed id. */
export async function findRegistrationById(db: Db, id: string): Promise<Registration | null> {
  if (!UUID_RE.test(id)) return null;
  const row = await registrationQuery(db).where('recipient.id', '=', id).executeTakeFirst();
  return row ? toRegistration(row) : null;
}

/** A person by (normalised) CPR number. */
export async function findRegistrationByCpr(db: Db, cpr: string): Promise<Registration | null> {
  const row = await registrationQuery(db).where('recipient.cpr', '=', cpr).executeTakeFirst();
  return row ? toRegistration(row) : null;
}

/** A business by (normalised) CVR number. */
export async function findRegistrationByCvr(db: Db, cvr: string): Promise<Registration | null> {
  const row = await registrationQuery(db).where('recipient.cvr', '=', cvr).executeTakeFirst();
  return row ? toRegistration(row) : null;
}

/** The enrolment state of many recipients at once, by CPR and by CVR (two index lookups). */
export async function findEnrolmentsByIdentifiers(
  db: Db,
  identifiers: { cprs: string[]; cvrs: string[] },
): Promise<
  {
    id: string;
    cpr: string | null;
    cvr: string | null;
    kind: 'person' | 'business';
    enrolment: Enrolment;
    closed_reason: ClosedReason | null;
    address_doubtful_since: Date | null;
  }[]
> {
  const { cprs, cvrs } = identifiers;
  if (cprs.length === 0 && cvrs.length === 0) return [];
  return db
    .selectFrom('recipient')
    .select(['id', 'cpr', 'cvr', 'kind', 'enrolment', 'closed_reason', 'address_doubtful_since'])
    .where((eb) =>
      eb.or([
        ...(cprs.length ? [eb('cpr', '=', eb.fn.any(eb.val(cprs)))] : []),
        ...(cvrs.length ? [eb('cvr', '=', eb.fn.any(eb.val(cvrs)))] : []),
      ]),
    )
    .execute();
}

/** A recipient's enrolment history, oldest first. */
export async function listEnrolmentHistory(db: Db, recipientId: string): Promise<EnrolmentChange[]> {
  const rows = await db
    .selectFrom('enrolment_change')
    // The caseworker's municipality, so the owner sees "Borgerservice, <kommune>" rather than a person.
    .leftJoin('staff_user', (join) =>
      join
        .on(sql<boolean>`staff_user.id::text = enrolment_change.actor_id`)
        .on('enrolment_change.actor_kind', '=', 'caseworker'),
    )
    .leftJoin('municipality', 'municipality.code', 'staff_user.municipality_code')
    .select([
      'enrolment_change.id',
      'enrolment_change.occurred_at',
      'enrolment_change.kind',
      'enrolment_change.from_state',
      'enrolment_change.to_state',
      'enrolment_change.exemption_ground',
      'enrolment_change.note',
      'enrolment_change.send_unopened_as_paper',
      'enrolment_change.actor_kind',
      'enrolment_change.actor_id',
      'enrolment_change.actor_name',
      'municipality.name as actor_municipality_name',
    ])
    .where('enrolment_change.recipient_id', '=', recipientId)
    .orderBy('enrolment_change.id', 'asc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    occurredAt: row.occurred_at,
    kind: row.kind,
    fromState: row.from_state,
    toState: row.to_state,
    exemptionGround: row.exemption_ground,
    note: row.note,
    sendUnopenedAsPaper: row.send_unopened_as_paper,
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    actorName: row.actor_name,
    actorMunicipalityName: row.actor_municipality_name,
  }));
}

export async function findMunicipalityName(db: Db, code: string): Promise<string | null> {
  const row = await db.selectFrom('municipality').select('name').where('code', '=', code).executeTakeFirst();
  return row?.name ?? null;
}

/** Records that a caseworker looked a person up (or tried to), on the person's mailbox so they can see it. */
export async function recordLookup(
  db: Db,
  entry: { staffId: string; recipientId: string; action: 'registry.lookup' | 'registry.view'; outcome: string },
): Promise<void> {
  await db.transaction().execute((trx) =>
    recordAudit(trx, {
      actorKind: 'caseworker',
      actorId: entry.staffId,
      action: entry.action,
      subjectType: 'recipient',
      subjectId: entry.recipientId,
      mailboxRecipientId: entry.recipientId,
      details: { outcome: entry.outcome },
    }),
  );
}

export type AgeBand = '0-14' | '15-17' | '18-29' | '30-49' | '50-64' | '65-79' | '80+' | 'unknown';

export interface RegistryCount {
  enrolment: Enrolment;
  exemptionGround: ExemptionGround | null;
  municipalityCode: string | null;
  sex: 'F' | 'M' | null;
  ageBand: AgeBand;
  count: number;
}

/**
 * People counted by enrolment state, exemption ground, municipality, sex and age band (age on `on`), for the
 * statistics page. One grouped query answered from the covering index recipient_registry_counts; businesses are
 * counted apart, by state.
 */
export async function registryCounts(
  db: Db,
  on: Date = new Date(),
): Promise<{ people: RegistryCount[]; businesses: Partial<Record<Enrolment, number>> }> {
  const day = on.toISOString().slice(0, 10);
  const age = sql`extract(year from age(${day}::date, recipient.birth_date))`;
  const ageBand = sql<AgeBand>`case
    when recipient.birth_date is null then 'unknown'
    when ${age} < 15 then '0-14'
    when ${age} < 18 then '15-17'
    when ${age} < 30 then '18-29'
    when ${age} < 50 then '30-49'
    when ${age} < 65 then '50-64'
    when ${age} < 80 then '65-79'
    else '80+' end`;
  const people = await db
    .selectFrom('recipient')
    .select([
      'recipient.enrolment',
      'recipient.exemption_ground',
      'recipient.municipality_code',
      'recipient.sex',
      ageBand.as('age_band'),
      (eb) => eb.fn.countAll<string>().as('count'),
    ])
    .where('recipient.kind', '=', 'person')
    .groupBy(['recipient.enrolment', 'recipient.exemption_ground', 'recipient.municipality_code', 'recipient.sex'])
    .groupBy(sql`5`)
    .orderBy('recipient.municipality_code')
    .orderBy('recipient.enrolment')
    .orderBy(sql`5`)
    .execute();
  const businesses = await db
    .selectFrom('recipient')
    .select(['enrolment', (eb) => eb.fn.countAll<string>().as('count')])
    .where('kind', '=', 'business')
    .groupBy('enrolment')
    .execute();
  return {
    people: people.map((row) => ({
      enrolment: row.enrolment,
      exemptionGround: row.exemption_ground,
      municipalityCode: row.municipality_code,
      sex: row.sex,
      ageBand: row.age_band,
      count: Number(row.count),
    })),
    businesses: Object.fromEntries(businesses.map((row) => [row.enrolment, Number(row.count)])),
  };
}
