import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { seedKnownStatistics } from '../../../test/support/statistics.ts';
import { createLogger } from '../../logger.ts';
import { createSession } from '../identity/session.ts';
import { reportScorecard } from './report-scorecard.ts';
import { createScorecardReporter } from './scorecard-tokens.ts';
import { seedStatisticsDemo } from './statistics.seed.ts';
import { loadStatisticsFigures } from './statistics-figures.ts';
import { notificationTableExists, takeSnapshot } from './take-snapshot.ts';

let kuvert: TestKuvert;
let notifications = false;

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  ({ notifications } = await seedKnownStatistics(kuvert.services.db));
});
after(async () => {
  await kuvert?.stop();
});

const at = new Date('2026-06-15T10:00:00Z');

async function figure(id: string, lang: 'da' | 'en' = 'en') {
  const result = await loadStatisticsFigures(kuvert.services.db, lang);
  const found = result?.figures.find((f) => f.id === id);
  assert.ok(found, `figure ${id}`);
  return found;
}

const pick = (rows: Record<string, unknown>[], keys: string[]) =>
  rows.map((row) => Object.fromEntries(keys.map((key) => [key, row[key]])));

describe('the nightly snapshot over known data', () => {
  before(async () => {
    const result = await takeSnapshot(kuvert.services.db, { at });
    assert.equal(result.asOf, '2026-06-15');
    assert.equal(result.notificationsCounted, notifications);
  });

  test('counts people with a mailbox by state, exactly; under-15s, closed mailboxes and businesses are left out', async () => {
    const enrolment = await figure('enrolment');
    assert.deepEqual(pick(enrolment.rows, ['enrolment', 'people', 'share']), [
      { enrolment: 'voluntary', people: 2, share: 33.3 },
      { enrolment: 'automatic', people: 2, share: 33.3 },
      { enrolment: 'exempted', people: 2, share: 33.3 },
    ]);
    assert.equal(enrolment.asOf, '2026-06-15');
    assert.equal(enrolment.demo, false);
  });

  test('breaks enrolment down by region, municipality, age band on the snapshot day, and sex', async () => {
    const keys = ['voluntary', 'automatic', 'exempted', 'total'];
    const region = await figure('enrolment-by-region');
    assert.deepEqual(pick(region.rows, ['region_code', ...keys]), [
      { region_code: '1084', voluntary: 1, automatic: 0, exempted: 1, total: 2 },
      { region_code: '1082', voluntary: 1, automatic: 1, exempted: 1, total: 3 },
    ]);
    const municipality = await figure('enrolment-by-municipality');
    assert.deepEqual(pick(municipality.rows, ['municipality_code', ...keys]), [
      { municipality_code: '0751', voluntary: 1, automatic: 1, exempted: 1, total: 3 },
      { municipality_code: '0101', voluntary: 1, automatic: 0, exempted: 1, total: 2 },
    ]);
    const age = await figure('enrolment-by-age');
    assert.deepEqual(pick(age.rows, ['age_band', ...keys]), [
      { age_band: '18-29', voluntary: 1, automatic: 0, exempted: 0, total: 1 },
      { age_band: '30-49', voluntary: 1, automatic: 0, exempted: 0, total: 1 },
      { age_band: '65-79', voluntary: 0, automatic: 0, exempted: 2, total: 2 },
      { age_band: '80+', voluntary: 0, automatic: 1, exempted: 0, total: 1 },
      { age_band: 'Unknown', voluntary: 0, automatic: 1, exempted: 0, total: 1 },
    ]);
    const sex = await figure('enrolment-by-sex');
    assert.deepEqual(pick(sex.rows, ['sex', ...keys]), [
      { sex: 'F', voluntary: 1, automatic: 1, exempted: 1, total: 3 },
      { sex: 'M', voluntary: 1, automatic: 0, exempted: 1, total: 2 },
      { sex: 'unknown', voluntary: 0, automatic: 1, exempted: 0, total: 1 },
    ]);
  });

  test('counts exemptions by ground and confirmed contact details (unconfirmed and closed mailboxes do not count)', async () => {
    const exemptions = await figure('exemptions');
    assert.deepEqual(pick(exemptions.rows, ['ground', 'people', 'share']), [
      { ground: 'disability', people: 1, share: 50 },
      { ground: 'no_internet', people: 1, share: 50 },
    ]);
    const contact = await figure('contact-details');
    assert.deepEqual(pick(contact.rows, ['category', 'people', 'share']), [
      { category: 'email', people: 2, share: 33.3 },
      { category: 'mobile', people: 2, share: 33.3 },
      { category: 'both', people: 1, share: 16.7 },
      { category: 'neither', people: 3, share: 50 },
    ]);
  });

  test('counts monthly volumes by sender type in Copenhagen months, with print and notifications', async () => {
    const bySender = await figure('letters-by-sender-kind');
    assert.deepEqual(pick(bySender.rows, ['month', 'municipality', 'state', 'total']), [
      { month: '2026-04', municipality: 1, state: 0, total: 1 },
      // 30 April 22:30 UTC is 1 May in Copenhagen; the rejected letter and the NemSMS are not letters.
      { month: '2026-05', municipality: 1, state: 2, total: 3 },
    ]);
    const channels = await figure('volumes-by-channel');
    assert.deepEqual(pick(channels.rows, ['month', 'letter', 'digital', 'print', 'email', 'sms', 'nemsms']), [
      { month: '2026-04', letter: 1, digital: 1, print: 0, email: 0, sms: 0, nemsms: 0 },
      {
        month: '2026-05',
        letter: 3,
        digital: 2,
        print: 1,
        email: notifications ? 1 : 0,
        sms: notifications ? 1 : 0,
        nemsms: notifications ? 1 : 0,
      },
    ]);
    const share = await figure('digital-share');
    assert.deepEqual(pick(share.rows, ['month', 'digital_share']), [
      { month: '2026-04', digital_share: 100 },
      { month: '2026-05', digital_share: 66.7 },
    ]);
    const byYear = await figure('letters-by-year');
    assert.deepEqual(pick(byYear.rows, ['year', 'letters']), [{ year: '2026', letters: 4 }]);
  });

  test('once the notify module has created the notification table, its sent e-mails, SMS and NemSMS are counted', async (t) => {
    if (!(await notificationTableExists(kuvert.services.db))) {
      t.skip('migration 0016 has not created the notification table yet');
      return;
    }
    const { rows } = await sql<{ channel: string; sender_kind: string; count: string }>`
      select v.channel, v.sender_kind, v.count from stats_volume v
      join stats_snapshot s on s.id = v.snapshot_id
      where s.as_of = '2026-06-15' and v.channel in ('email', 'sms', 'nemsms') order by v.channel`.execute(
      kuvert.services.db,
    );
    assert.deepEqual(rows, [
      { channel: 'email', sender_kind: 'municipality', count: '1' },
      { channel: 'nemsms', sender_kind: 'municipality', count: '1' },
      { channel: 'sms', sender_kind: 'state', count: '1' },
    ]);
  });

  test('measures time to first read by the month letters became available', async () => {
    const read = await figure('read-time');
    assert.deepEqual(pick(read.rows, ['month', 'within_1h', 'within_7d', 'unread', 'letters', 'median_hours']), [
      { month: '2026-04', within_1h: 100, within_7d: 0, unread: 0, letters: 1, median_hours: 0.5 },
      { month: '2026-05', within_1h: 0, within_7d: 50, unread: 50, letters: 2, median_hours: 48 },
    ]);
  });

  test('keeps one snapshot per day as history; a second run the same day replaces that day', async () => {
    const db = kuvert.services.db;
    await takeSnapshot(db, { at });
    await takeSnapshot(db, { at: new Date('2026-06-16T10:00:00Z') });
    const snapshots = await db.selectFrom('stats_snapshot').select(['as_of', 'demo']).orderBy('as_of').execute();
    assert.deepEqual(snapshots, [
      { as_of: '2026-06-15', demo: false },
      { as_of: '2026-06-16', demo: false },
    ]);
    const history = await figure('enrolment-history');
    assert.deepEqual(pick(history.rows, ['date', 'people']), [{ date: '2026-06-16', people: 6 }]);
  });

  test('GET /api/v1/stats/enrolment answers the same figures as JSON and as CSV', async () => {
    const json = await fetch(`${kuvert.url}/api/v1/stats/enrolment?lang=en`);
    assert.equal(json.status, 200);
    assert.equal(json.headers.get('access-control-allow-origin'), '*');
    const body = (await json.json()) as { id: string; asOf: string; demo: boolean; rows: unknown[] };
    assert.equal(body.id, 'enrolment');
    assert.equal(body.asOf, '2026-06-16');
    assert.equal(body.demo, false);
    assert.deepEqual(body.rows, [
      { enrolment: 'voluntary', state: 'Enrolled voluntarily', people: 2, share: 33.3 },
      { enrolment: 'automatic', state: 'Enrolled automatically', people: 2, share: 33.3 },
      { enrolment: 'exempted', state: 'Exempted', people: 2, share: 33.3 },
    ]);
    const csv = await fetch(`${kuvert.url}/api/v1/stats/exemptions?format=csv&lang=da`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.equal(
      await csv.text(),
      'ground,label,people,share\r\ndisability,Handicap eller sygdom,1,50\r\nno_internet,Ingen adgang til internet,1,50\r\n',
    );
    const openapi = (await (await fetch(`${kuvert.url}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    for (const path of ['/api/v1/stats', '/api/v1/stats/{figure}', '/api/v1/stats/scorecard/reports']) {
      assert.ok(openapi.paths[path], `${path} is documented in OpenAPI`);
    }
    const unknown = await fetch(`${kuvert.url}/api/v1/stats/no-such-figure`);
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { code: string }).code, 'unknown_figure');
  });

  test('/statistik shows the figures with SVG charts and data tables, without login, in Danish and English', async () => {
    const da = await (await fetch(`${kuvert.url}/statistik`)).text();
    assert.match(da, /<h1>Statistik om Digital Post<\/h1>/);
    assert.match(da, /<svg role="img" aria-label="Tilmelding til Digital Post\./);
    assert.match(da, /<caption>Tabel: Fritagelser efter grund<\/caption>/);
    assert.doesNotMatch(da, / style="/, 'no inline styles (the CSP forbids them)');
    assert.doesNotMatch(da, /Demodata:/, 'no demo notice without demo data');
    const en = await (await fetch(`${kuvert.url}/statistik`, { headers: { cookie: 'lang=en' } })).text();
    assert.match(en, /<h1>Digital Post statistics<\/h1>/);
    assert.match(en, /href="\/api\/v1\/stats\/enrolment\?format=csv&(amp;)?lang=en"/);
  });

  test("/statistik/i-dag counts today's figures on demand and stores nothing", async () => {
    const db = kuvert.services.db;
    const before = await db.selectFrom('stats_snapshot').select('id').execute();
    const page = await fetch(`${kuvert.url}/statistik/i-dag`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Dagens tal \(opgjort nu\)/);
    const afterwards = await db.selectFrom('stats_snapshot').select('id').execute();
    assert.deepEqual(afterwards, before);
  });
});

describe('the self-service scorecard', () => {
  const line = (overrides: Record<string, unknown> = {}) => ({
    municipalityCode: '0101',
    serviceArea: 'change_of_address',
    month: '2026-03',
    digital: 640,
    total: 1000,
    ...overrides,
  });
  let kl: string;
  let aarhus: string;

  before(async () => {
    kl = (await createScorecardReporter(kuvert.services.db, { name: 'KL (test)' })).token;
    aarhus = (await createScorecardReporter(kuvert.services.db, { name: 'Aarhus (test)', municipalityCode: '0751' }))
      .token;
  });

  const report = (token: string | null, body: unknown) =>
    fetch(`${kuvert.url}/api/v1/stats/scorecard/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  test('reporting the same counts twice is an idempotent upsert; a corrected count replaces the old one', async () => {
    const lines = [line(), line({ municipalityCode: '0751', digital: 390 }), line({ serviceArea: 'health_card' })];
    const first = await report(kl, { reports: lines });
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { inserted: 3, updated: 0, unchanged: 0 });
    const again = await report(kl, { reports: lines });
    assert.deepEqual(await again.json(), { inserted: 0, updated: 0, unchanged: 3 });
    const corrected = await report(kl, { reports: [line({ digital: 700 })] });
    assert.deepEqual(await corrected.json(), { inserted: 0, updated: 1, unchanged: 0 });
    const stored = await kuvert.services.db
      .selectFrom('scorecard_report')
      .select(['municipality_code', 'service_area', 'month', 'digital', 'total'])
      .orderBy('municipality_code')
      .orderBy('service_area')
      .execute();
    assert.deepEqual(stored, [
      { municipality_code: '0101', service_area: 'change_of_address', month: '2026-03-01', digital: 700, total: 1000 },
      { municipality_code: '0101', service_area: 'health_card', month: '2026-03-01', digital: 640, total: 1000 },
      { municipality_code: '0751', service_area: 'change_of_address', month: '2026-03-01', digital: 390, total: 1000 },
    ]);
  });

  test('a report with any bad line stores nothing and names every bad line (problem+json)', async () => {
    const response = await report(kl, {
      reports: [
        line({ month: '2026-02' }),
        line({ municipalityCode: '9999' }),
        line({ serviceArea: 'parking' }),
        line({ digital: 1200 }),
        line({ month: '2031-01' }),
      ],
    });
    assert.equal(response.status, 422);
    assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
    const problem = (await response.json()) as { code: string; errors: { field: string; code: string }[] };
    assert.equal(problem.code, 'invalid_report');
    assert.deepEqual(
      problem.errors.map((e) => [e.field, e.code]),
      [
        ['/reports/1/municipality_code', 'unknown_municipality'],
        ['/reports/2/service_area', 'unknown_service_area'],
        ['/reports/3/digital', 'digital_exceeds_total'],
        ['/reports/4/month', 'invalid_month'],
      ],
    );
    const february = await kuvert.services.db
      .selectFrom('scorecard_report')
      .select('month')
      .where('month', '=', '2026-02-01')
      .execute();
    assert.deepEqual(february, []);
  });

  test('reporting needs a valid token, and a municipality reports for itself only', async () => {
    const none = await report(null, { reports: [line()] });
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as { code: string }).code, 'invalid_token');
    const forged = await report(`${kl.slice(0, -4)}AAAA`, { reports: [line()] });
    assert.equal(forged.status, 401);
    const other = await report(aarhus, { reports: [line({ municipalityCode: '0101' })] });
    assert.equal(other.status, 422);
    const problem = (await other.json()) as { errors: { code: string }[] };
    assert.equal(problem.errors[0]?.code, 'not_your_municipality');
    const own = await report(aarhus, { reports: [line({ municipalityCode: '0751', month: '2026-01' })] });
    assert.equal(own.status, 200);
  });

  test('reportScorecard writes an audit row for each accepted report', async () => {
    const db = kuvert.services.db;
    await reportScorecard(db, {
      lines: [line({ month: '2025-12' })],
      audit: { actorKind: 'operator', actorId: 'op-1' },
      reportedBy: 'operator:op-1',
    });
    const audit = await db
      .selectFrom('audit_event')
      .select(['actor_kind', 'action'])
      .where('action', '=', 'scorecard.reported')
      .where('actor_id', '=', 'op-1')
      .execute();
    assert.deepEqual(audit, [{ actor_kind: 'operator', action: 'scorecard.reported' }]);
  });

  test('the scorecard figures: share per area against 80%, top 5 against the average, as JSON and CSV', async () => {
    const areas = await fetch(`${kuvert.url}/api/v1/stats/scorecard-areas?lang=en`);
    const body = (await areas.json()) as { rows: Record<string, unknown>[] };
    const march = body.rows.find((row) => row.service_area === 'change_of_address');
    // The 12 months up to March 2026 hold four change-of-address lines of 1,000 applications each.
    assert.deepEqual(march, {
      service_area: 'change_of_address',
      area: 'Change of address',
      digital: 700 + 390 + 640 + 640,
      total: 4000,
      share: 59.3,
      target: 80,
      target_met: false,
    });
    const top = await fetch(`${kuvert.url}/api/v1/stats/scorecard-top?format=csv&lang=en`);
    const csv = await top.text();
    assert.equal(csv.split('\r\n')[0], 'municipality_code,municipality,rank,digital,total,share');
    assert.match(csv, /\r\n,National average,,\d+,\d+,[\d.]+\r\n$/);
    const page = await fetch(`${kuvert.url}/statistik/selvbetjening/kommuner/0751`, { headers: { cookie: 'lang=en' } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<h1>Digital share: Aarhus<\/h1>/);
    const missing = await fetch(`${kuvert.url}/statistik/selvbetjening/kommuner/9999`);
    assert.equal(missing.status, 404);
  });

  describe('the CSV upload page', () => {
    let cookie: string;
    let csrf: string;

    before(async () => {
      const { sessionId } = await createSession(
        kuvert.services.db,
        { kind: 'operator', subject: 'op-test', name: 'Olga Operatør', staffId: 'op-test' },
        null,
      );
      cookie = `kuvert_session=${sessionId}`;
      const page = await (
        await fetch(`${kuvert.url}/statistik/selvbetjening/indberet`, { headers: { cookie } })
      ).text();
      csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
      assert.ok(csrf);
    });

    const upload = (text: string, token = csrf) => {
      const form = new FormData();
      form.append('_csrf', token);
      form.append('file', new Blob([text], { type: 'text/csv' }), 'tal.csv');
      return fetch(`${kuvert.url}/statistik/selvbetjening/indberet`, {
        method: 'POST',
        body: form,
        headers: { cookie },
      });
    };

    test('a file with errors stores nothing and lists each bad line by number', async () => {
      const response = await upload(
        'municipality_code;service_area;month;digital;total\n' +
          '0101;daycare_signup;2026-01;80;100\n' +
          '101;daycare_signup;2026-13;80;100\n' +
          '0751;daycare_signup;2026-01;1.200;100\n',
      );
      assert.equal(response.status, 422);
      const html = await response.text();
      assert.match(html, /Filen blev ikke indberettet/);
      assert.match(html, /<strong>Linje 3<\/strong><span>: Måned skal skrives ÅÅÅÅ-MM/);
      assert.match(html, /<strong>Linje 4<\/strong><span>: «digital» skal være et helt tal fra 0 og opefter: 1.200/);
      const daycare = await kuvert.services.db
        .selectFrom('scorecard_report')
        .select('month')
        .where('service_area', '=', 'daycare_signup')
        .execute();
      assert.deepEqual(daycare, []);
    });

    test('a good file is stored, and uploading it again changes nothing', async () => {
      const file = 'municipality_code,service_area,month,digital,total\n0101,daycare_signup,2026-01,80,100\n';
      const first = await upload(file);
      assert.equal(first.status, 200);
      assert.match(await first.text(), /1 nye, 0 ændrede og 0 uændrede/);
      const again = await upload(file);
      assert.match(await again.text(), /0 nye, 0 ændrede og 1 uændrede/);
    });

    test('an upload without the CSRF token is refused', async () => {
      const response = await upload('municipality_code,service_area,month,digital,total\n', 'forged');
      assert.equal(response.status, 403);
    });

    test('people who are not operators cannot open the upload page', async () => {
      const { sessionId } = await createSession(
        kuvert.services.db,
        { kind: 'caseworker', subject: 'cw', name: 'Sofie', staffId: 'cw', municipalityCode: '0101' },
        null,
      );
      const response = await fetch(`${kuvert.url}/statistik/selvbetjening/indberet`, {
        headers: { cookie: `kuvert_session=${sessionId}` },
      });
      assert.equal(response.status, 403);
    });
  });
});

describe('demo history', () => {
  test('is idempotent, labelled as demo data, and shaped by the published 2014 figures', async () => {
    const db = kuvert.services.db;
    const ctx = {
      services: kuvert.services,
      logger: createLogger('warn', process.stderr),
      anchor: new Date('2026-06-01T12:00:00Z'),
      senders: {} as never,
      openLetter: async () => assert.fail('this seed opens no letter'),
    };
    await seedStatisticsDemo(ctx);
    const count = async () => {
      const { rows } = await sql<{ snapshots: string; reports: string }>`
        select (select count(*) from stats_snapshot where demo) as snapshots,
               (select count(*) from scorecard_report where demo) as reports`.execute(db);
      return rows[0];
    };
    const once = await count();
    await seedStatisticsDemo(ctx);
    assert.deepEqual(await count(), once);
    const { rows } = await sql<{ voluntary: string; automatic: string; exempted: string }>`
      select sum(people) filter (where enrolment = 'voluntary') as voluntary,
             sum(people) filter (where enrolment = 'automatic') as automatic,
             sum(people) filter (where enrolment = 'exempted') as exempted
      from stats_enrolment e join stats_snapshot s on s.id = e.snapshot_id
      where s.demo and s.as_of = '2014-11-30' and e.dimension = 'total'`.execute(db);
    const row = rows[0] as { voluntary: string; automatic: string; exempted: string };
    const total = Number(row.voluntary) + Number(row.automatic) + Number(row.exempted);
    assert.ok(Math.abs(total - 4.7e6) < 20_000, `about 4.7M people (${total})`);
    assert.ok(Math.abs((Number(row.voluntary) / total) * 100 - 65.9) < 0.5);
    assert.ok(Math.abs((Number(row.exempted) / total) * 100 - 10.1) < 0.5);
    const history = await fetch(`${kuvert.url}/api/v1/stats/enrolment-history?lang=en`);
    const body = (await history.json()) as { demo: boolean; rows: { date: string; demo: boolean }[] };
    assert.equal(body.demo, true);
    assert.equal(body.rows[0]?.date, '2014-11-30');
    assert.equal(body.rows.at(-1)?.demo, false, 'real snapshots follow the demo history');
    const years = (await (await fetch(`${kuvert.url}/api/v1/stats/letters-by-year`)).json()) as {
      rows: { year: string; letters: number }[];
    };
    for (const [year, letters] of [
      ['2013', 28e6],
      ['2014', 48e6],
      ['2015', 89e6],
      ['2017', 126e6],
    ] as const) {
      const counted = years.rows.find((r) => r.year === year)?.letters ?? 0;
      assert.ok(Math.abs(counted - letters) < 100, `${year}: ${counted}`);
    }
    const page = await (await fetch(`${kuvert.url}/statistik/selvbetjening`)).text();
    assert.match(page, /Demodata: historikken før Kuverts egne opgørelser er opdigtet/);
  });
});
