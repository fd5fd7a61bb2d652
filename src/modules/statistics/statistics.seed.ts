import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { SeedContext } from '../../seed/context.ts';
import { createScorecardReporter } from './scorecard-tokens.ts';

/**
 * Demo history, flagged `demo` everywhere and labelled on the pages, shaped by published Danish figures:
 * - enrolment on 1 November 2014: 65.9% of the 4.7M people aged 15+ enrolled themselves, 24.0% automatically,
 *   10.1% exempted; 3.5M had given an e-mail address and 2.5M a mobile number;
 * - letters: about 28M in 2013, 48M in 2014 (5.8M in November 2014), 89M in 2015, 126M in 2017;
 * - self-service: change of address 39% digital in autumn 2011 and 64% in autumn 2012; daycare sign-up, school
 *   enrolment and health cards moved to self-service in the same waves.
 * Everything between and after those points is interpolated (and made up).
 */

type Knot = [month: string, value: number];

/** Linear interpolation between knots (YYYY-MM → value), flat outside them. */
function interpolate(knots: Knot[], month: string): number {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
  const at = index(month);
  const first = knots[0] as Knot;
  const last = knots[knots.length - 1] as Knot;
  if (at <= index(first[0])) return first[1];
  if (at >= index(last[0])) return last[1];
  for (let i = 1; i < knots.length; i++) {
    const [m1, v1] = knots[i - 1] as Knot;
    const [m2, v2] = knots[i] as Knot;
    if (at <= index(m2)) return v1 + ((v2 - v1) * (at - index(m1))) / (index(m2) - index(m1));
  }
  return last[1];
}

function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > to) return out;
    out.push(month);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
}

/** Letters per year (published: 2013, 2014, 2015, 2017; the rest interpolated) with a within-year ramp. */
const lettersPerYear: Record<number, [total: number, slope: number]> = {
  2013: [28e6, 0.4],
  2014: [48e6, 1.1], // the slope that puts November 2014 at 5.8M
  2015: [89e6, 0.3],
  2016: [107.5e6, 0.2],
  2017: [126e6, 0.1],
};

export function demoMonthlyLetters(month: string): number {
  const year = Number(month.slice(0, 4));
  const [total, slope] = lettersPerYear[year] ?? [126e6 + 3e6 * (year - 2017), 0.05];
  const i = Number(month.slice(5, 7)) - 1;
  return Math.round((total / 12) * (1 + (slope * (i - 5.5)) / 11));
}

const printShare: Knot[] = [
  ['2013-01', 0.25],
  ['2014-10', 0.16],
  ['2015-06', 0.09],
  ['2026-12', 0.045],
];
const emailShare: Knot[] = [
  ['2013-01', 0.6],
  ['2014-11', 3.5 / 4.7],
  ['2026-12', 0.92],
];
const mobileShare: Knot[] = [
  ['2013-01', 0.35],
  ['2014-11', 2.5 / 4.7],
  ['2026-12', 0.8],
];
const neitherShare: Knot[] = [
  ['2014-11', 0.2],
  ['2026-12', 0.05],
];

/** National digital share of each self-service area, in percent. */
const serviceAreaKnots: Record<string, Knot[]> = {
  change_of_address: [
    ['2011-01', 33],
    ['2011-10', 39],
    ['2012-10', 64],
    ['2014-10', 85],
    ['2018-06', 93],
    ['2026-12', 96],
  ],
  daycare_signup: [
    ['2011-01', 45],
    ['2012-12', 72],
    ['2014-06', 90],
    ['2026-12', 97],
  ],
  school_enrolment: [
    ['2011-01', 58],
    ['2012-12', 86],
    ['2026-12', 98],
  ],
  health_card: [
    ['2011-01', 18],
    ['2013-12', 60],
    ['2015-12', 84],
    ['2026-12', 92],
  ],
  eu_health_card: [
    ['2011-01', 48],
    ['2013-12', 76],
    ['2026-12', 95],
  ],
};
/** National applications per month in each area. */
const serviceAreaVolume: Record<string, number> = {
  change_of_address: 67_000,
  daycare_signup: 6_000,
  school_enrolment: 5_500,
  health_card: 30_000,
  eu_health_card: 25_000,
};

/** Each municipality's share of the population (made up, stable: big cities big), as a SQL fragment. */
const municipalityWeights = sql`
  select code, region_code, weight / sum(weight) over () as share from (
    select code, region_code,
      (case code when '0101' then 8 when '0751' then 5 when '0461' then 3 when '0851' then 3 else 1 end)
        * (0.3 + (('x' || substr(md5(code), 1, 6))::bit(24)::int % 1000) / 700.0) as weight
    from municipality) w`;

/** The statistics module's demo data; runs once, after the core seed, and must be idempotent (a crashed seed re-runs). */
export async function seedStatisticsDemo(ctx: SeedContext): Promise<void> {
  const { services, logger, anchor } = ctx;
  const lastMonthStart = new Date(Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth() - 1, 1));
  const lastMonth = lastMonthStart.toISOString().slice(0, 7);
  await services.db.transaction().execute(async (trx) => {
    await seedDemoSnapshots(trx, lastMonth);
    await seedDemoScorecard(trx, lastMonth);
  });
  const existing = await services.db
    .selectFrom('scorecard_reporter')
    .select('id')
    .where('name', '=', DEMO_REPORTER)
    .executeTakeFirst();
  if (!existing) {
    const fixed = services.config.statistics.demoScorecardToken;
    const { token } = await createScorecardReporter(services.db, { name: DEMO_REPORTER, fixedToken: fixed });
    if (!fixed) {
      logger.info({ demoScorecardToken: token }, 'demo scorecard reporting token (shown once)');
      process.stdout.write(`\nDemo scorecard reporting token (KL, all municipalities; shown once): ${token}\n\n`);
    }
  }
}

const DEMO_REPORTER = 'KL – Kommunernes Landsforening (demo)';

async function seedDemoSnapshots(trx: Db, lastMonth: string) {
  const months = monthsBetween('2014-11', lastMonth);
  if (months.length === 0) return;
  const x = months.map((_, i) => (months.length > 1 ? i / (months.length - 1) : 0));
  // One demo snapshot per month (its last day), enrolment as a municipality × age band × sex cube whose shares move
  // from 2014's published figures towards today's; the same grouping as the nightly job then fills every dimension.
  const { rows: created } = await sql<{ id: string; as_of: string }>`
    insert into stats_snapshot (as_of, taken_at, demo)
    select (to_date(m, 'YYYY-MM') + interval '1 month - 1 day')::date,
      (to_date(m, 'YYYY-MM') + interval '1 month - 1 day')::date + time '03:00', true
    from unnest(${months}::text[]) as m
    on conflict (as_of, demo) do nothing
    returning id, as_of`.execute(trx);
  if (created.length === 0) return;
  await sql`
    create temporary table demo_people on commit drop as
    with snap as (
      select s.id, x.x from stats_snapshot s
      join unnest(${months}::text[], ${x}::float8[]) as x(m, x)
        on s.as_of = (to_date(x.m, 'YYYY-MM') + interval '1 month - 1 day')::date
      where s.demo and s.id = any(${created.map((c) => Number(c.id))}::bigint[])
    ), newest as (select max(id) as id from snap), bands(band, frac, exempt) as (
      values ('15-17', 0.045, 0.2), ('18-29', 0.19, 0.3), ('30-49', 0.31, 0.4), ('50-64', 0.235, 0.8),
             ('65-79', 0.165, 1.6), ('80+', 0.055, 4.0)
    ), w as (${municipalityWeights}),
    cell as (
      select snap.id, w.code as municipality_code, w.region_code, bands.band as age_band, sx.sex,
        (4.7e6 + 0.25e6 * snap.x) * w.share * bands.frac * 0.5 as people,
        least(0.9, (0.101 - 0.046 * snap.x) * bands.exempt / 0.862
          * (0.85 + (('x' || substr(md5(w.code), 7, 4))::bit(16)::int % 300) / 1000.0)) as exempted_share,
        (0.659 + 0.04 * snap.x) / (0.659 + 0.04 * snap.x + 0.24) as voluntary_of_enrolled
      from snap cross join w cross join bands cross join (values ('F'), ('M')) as sx(sex)
    )
    select id, municipality_code, region_code, age_band, sex, state, id = (select id from newest) as detailed,
      round(people * case state
        when 'exempted' then exempted_share
        when 'voluntary' then (1 - exempted_share) * voluntary_of_enrolled
        else (1 - exempted_share) * (1 - voluntary_of_enrolled) end)::bigint as people
    from cell cross join (values ('voluntary'), ('automatic'), ('exempted')) as st(state)
  `.execute(trx);
  await sql`
    insert into stats_enrolment (snapshot_id, dimension, value, enrolment, people)
    select id,
      case
        when grouping(municipality_code) = 0 then 'municipality'
        when grouping(region_code) = 0 then 'region'
        when grouping(age_band) = 0 then 'age_band'
        when grouping(sex) = 0 then 'sex'
        else 'total' end,
      coalesce(municipality_code, region_code, age_band, sex, ''), state, sum(people)
    from demo_people
    group by grouping sets (
      (id, state), (id, municipality_code, state), (id, region_code, state), (id, age_band, state), (id, sex, state))
    -- Older demo months keep the national totals only (the history chart); the newest has every dimension.
    having grouping(municipality_code, region_code, age_band, sex) = 15 or bool_or(detailed)
  `.execute(trx);
  await sql`
    insert into stats_exemption (snapshot_id, ground, people)
    select d.id, g.ground, round(sum(d.people) * g.frac)
    from demo_people d cross join (values ('disability', 0.31), ('no_internet', 0.27), ('no_mitid', 0.14),
      ('language', 0.11), ('emigrated', 0.09), ('homeless', 0.03), ('other', 0.05)) as g(ground, frac)
    where d.state = 'exempted'
    group by d.id, g.ground, g.frac
  `.execute(trx);
  const contactRows = months.flatMap((month) => {
    const e = interpolate(emailShare, month);
    const m = interpolate(mobileShare, month);
    const n = interpolate(neitherShare, month);
    const both = e + m + n - 1;
    return [
      { month, email: true, mobile: true, share: both },
      { month, email: true, mobile: false, share: e - both },
      { month, email: false, mobile: true, share: m - both },
      { month, email: false, mobile: false, share: n },
    ];
  });
  await sql`
    insert into stats_contact (snapshot_id, has_email, has_mobile, people)
    select d.id, c.has_email, c.has_mobile, round(d.people * c.share)
    from (select id, sum(people) as people from demo_people group by id) d
    join stats_snapshot s on s.id = d.id
    join unnest(${contactRows.map((r) => r.month)}::text[], ${contactRows.map((r) => r.email)}::boolean[],
      ${contactRows.map((r) => r.mobile)}::boolean[], ${contactRows.map((r) => r.share)}::float8[])
      as c(m, has_email, has_mobile, share)
      on s.as_of = (to_date(c.m, 'YYYY-MM') + interval '1 month - 1 day')::date
  `.execute(trx);

  // Volumes and reading times live in the newest demo snapshot only (the page takes each month from the newest).
  const newest = created.reduce((a, b) => (a.as_of > b.as_of ? a : b));
  const volumeMonths = monthsBetween('2013-01', lastMonth);
  const volume: { month: string; kind: string; channel: string; count: number }[] = [];
  const kinds: [string, number][] = [
    ['state', 0.55],
    ['municipality', 0.35],
    ['region', 0.07],
    ['other', 0.03],
  ];
  for (const month of volumeMonths) {
    const letters = demoMonthlyLetters(month);
    const print = interpolate(printShare, month);
    for (const [kind, share] of kinds) {
      const kindLetters = letters * share;
      const digital = kindLetters * (1 - print);
      const add = (channel: string, count: number) =>
        volume.push({ month: `${month}-01`, kind, channel, count: Math.round(count) });
      add('letter', kindLetters);
      add('digital', digital);
      add('print', kindLetters * print);
      add('email', digital * interpolate(emailShare, month));
      add('sms', digital * interpolate(mobileShare, month) * 0.9);
      if (month >= '2016-01' && kind !== 'other') add('nemsms', kindLetters * 0.02);
    }
  }
  await sql`
    insert into stats_volume (snapshot_id, month, sender_kind, channel, count)
    select ${Number(newest.id)}::bigint, v.month, v.kind, v.channel, v.count
    from unnest(${volume.map((v) => v.month)}::date[], ${volume.map((v) => v.kind)}::text[],
      ${volume.map((v) => v.channel)}::text[], ${volume.map((v) => v.count)}::bigint[]) as v(month, kind, channel, count)
  `.execute(trx);
  const readMonths = monthsBetween('2014-11', lastMonth);
  const readShares = [0.22, 0.31, 0.24, 0.1, 0.05, 0.08];
  await sql`
    insert into stats_read_time
      (snapshot_id, month, within_1h, within_1d, within_7d, within_30d, later, unread, median_hours)
    select ${Number(newest.id)}::bigint, to_date(m, 'YYYY-MM'),
      round(n * ${readShares[0]}::float8), round(n * ${readShares[1]}::float8), round(n * ${readShares[2]}::float8),
      round(n * ${readShares[3]}::float8), round(n * ${readShares[4]}::float8), round(n * ${readShares[5]}::float8), 14.5
    from unnest(${readMonths}::text[], ${readMonths.map((m) => Math.round(demoMonthlyLetters(m) * (1 - interpolate(printShare, m))))}::bigint[])
      as r(m, n)
  `.execute(trx);
}

async function seedDemoScorecard(trx: Db, lastMonth: string) {
  const months = monthsBetween('2011-01', lastMonth);
  const rows = Object.keys(serviceAreaKnots).flatMap((area) =>
    months.map((month) => ({
      area,
      month: `${month}-01`,
      share: interpolate(serviceAreaKnots[area] as Knot[], month),
      volume: serviceAreaVolume[area] as number,
    })),
  );
  // Every municipality deviates from the national share by a stable amount (−8 to +8 points) per area.
  await sql`
    with w as (${municipalityWeights})
    insert into scorecard_report (municipality_code, service_area, month, digital, total, demo, reported_by)
    select w.code, n.area, n.month,
      round(t.total * least(99.5, greatest(5, n.share
        + ((('x' || substr(md5(w.code || n.area), 1, 4))::bit(16)::int % 1700) / 100.0 - 8))) / 100)::int,
      t.total, true, 'demo'
    from w cross join unnest(${rows.map((r) => r.area)}::text[], ${rows.map((r) => r.month)}::date[],
      ${rows.map((r) => r.share)}::float8[], ${rows.map((r) => r.volume)}::float8[]) as n(area, month, share, volume)
    cross join lateral (select greatest(1, round(n.volume * w.share
      * (0.9 + (extract(month from n.month) in (6, 7, 8))::int * 0.25)))::int as total) t
    on conflict (municipality_code, service_area, month) do nothing
  `.execute(trx);
}
