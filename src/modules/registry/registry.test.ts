import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createSender } from '../../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { loadMunicipalities } from '../../db/municipalities.ts';
import type { Enrolment } from '../../db/schema.ts';
import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import { birthDateFromCpr } from '../../kernel/identifiers.ts';
import { createSession } from '../identity/session.ts';
import { changeEnrolmentNow } from './enrolment.ts';
import { deleteAfterDeath, loadRegistryConfig } from './registry.config.ts';
import { registryCounts } from './registry.repository.ts';

let kuvert: TestKuvert;
let sofie: { cookie: string; csrf: string; staffId: string };
let aarhus: { cookie: string; csrf: string; staffId: string };

/** Every Location header seen, to check that no CPR number ever travels in a URL. */
const locations: string[] = [];
const cprs: string[] = [];

async function login(actor: Actor) {
  const { sessionId, csrfToken } = await createSession(kuvert.services.db, actor, null);
  return { cookie: `kuvert_session=${sessionId}`, csrf: csrfToken };
}

async function caseworker(name: string, municipalityCode: string) {
  const staff = await kuvert.services.db
    .insertInto('staff_user')
    .values({ subject: `cw-${randomUUID()}`, name, role: 'caseworker', municipality_code: municipalityCode })
    .returning('id')
    .executeTakeFirstOrThrow();
  const session = await login({ kind: 'caseworker', subject: 'cw', name, staffId: staff.id, municipalityCode });
  return { ...session, staffId: staff.id };
}

async function person(
  cpr: string,
  name: string,
  options: { municipality?: string | null; enrolment?: Enrolment; sex?: 'F' | 'M' } = {},
) {
  cprs.push(cpr);
  const enrolment = options.enrolment ?? 'automatic';
  const row = await kuvert.services.db
    .insertInto('recipient')
    .values({
      kind: 'person',
      cpr,
      name,
      birth_date: birthDateFromCpr(cpr),
      municipality_code: options.municipality === undefined ? '0101' : options.municipality,
      enrolment,
      exemption_ground: enrolment === 'exempted' ? 'other' : null,
      sex: options.sex ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const session = await login({ kind: 'citizen', subject: `c-${cpr}`, name, recipientId: row.id });
  return { id: row.id, ...session };
}

async function get(path: string, cookie?: string) {
  const response = await fetch(`${kuvert.url}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  const location = response.headers.get('location');
  if (location) locations.push(location);
  return { status: response.status, location, text: await response.text() };
}

async function post(path: string, form: Record<string, string>, cookie?: string) {
  const response = await fetch(`${kuvert.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
  const location = response.headers.get('location');
  if (location) locations.push(location);
  return { status: response.status, location, text: await response.text() };
}

const search = (who: { cookie: string; csrf: string }, cpr: string) =>
  post('/borgerservice/soeg', { cpr, _csrf: who.csrf }, who.cookie);

async function state(id: string) {
  return kuvert.services.db
    .selectFrom('recipient')
    .select(['enrolment', 'exemption_ground', 'closed_reason', 'delete_after'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function audits(recipientId: string, action: string) {
  return kuvert.services.db
    .selectFrom('audit_event')
    .selectAll()
    .where('mailbox_recipient_id', '=', recipientId)
    .where('action', '=', action)
    .orderBy('id')
    .execute();
}

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  await loadMunicipalities(kuvert.services.db);
  sofie = await caseworker('Sofie Madsen', '0101');
  aarhus = await caseworker('Jens Aarhus', '0751');
});
after(async () => {
  for (const location of locations) {
    for (const cpr of cprs) {
      assert.ok(!location.includes(cpr) && !location.includes(`${cpr.slice(0, 6)}-${cpr.slice(6)}`), location);
    }
  }
  await kuvert?.stop();
});

describe('access to the registry pages', () => {
  test('logged out: pages send you to the login, forms answer 401', async () => {
    assert.equal((await get('/borgerservice')).location, '/login?returnTo=%2Fborgerservice');
    assert.equal((await get('/tilmelding')).location, '/login?returnTo=%2Ftilmelding');
    assert.equal((await post('/borgerservice/soeg', { cpr: '1503851234' })).status, 401);
    assert.equal((await post('/tilmelding/frivillig', {})).status, 401);
  });

  test('a citizen cannot use the back office and a caseworker has no /tilmelding page', async () => {
    const citizen = await person('0101901235', 'Bo Hansen');
    assert.equal((await get('/borgerservice', citizen.cookie)).status, 403);
    assert.equal((await get(`/borgerservice/personer/${citizen.id}`, citizen.cookie)).status, 403);
    assert.equal((await search(citizen, '0101901235')).status, 403);
    assert.equal((await get('/tilmelding', sofie.cookie)).status, 403);
  });

  test('the back office start page names the municipality and searches by a form POST', async () => {
    const page = await get('/borgerservice', sofie.cookie);
    assert.equal(page.status, 200);
    assert.match(page.text, /Din kommune: København\./);
    assert.match(page.text, /<form method="post" action="\/borgerservice\/soeg"/);
    assert.match(page.text, /name="_csrf"/);
    assert.match(page.text, /aldrig indholdet af borgernes post/);
  });
});

describe('finding a person (caseworker)', () => {
  test('an invalid CPR number is explained and the value is kept', async () => {
    const response = await search(sofie, '320185-1234');
    assert.equal(response.status, 422);
    assert.match(response.text, /Skriv et gyldigt CPR-nummer/);
    assert.match(response.text, /value="320185-1234"/);
    assert.match(response.text, /class="form-group form-error"/);
  });

  test('an unknown person is said so', async () => {
    const response = await search(sofie, '0202021234');
    assert.equal(response.status, 404);
    assert.match(response.text, /Der er ingen borger med dette CPR-nummer/);
  });

  test('a person of another municipality: "not in your municipality", no details, and the attempt is audited', async () => {
    const karen = await person('2409441238', 'Karen Holm', { municipality: '0751' });
    const response = await search(sofie, '240944-1238');
    assert.equal(response.status, 403);
    assert.match(response.text, /Borgeren bor ikke i din kommune/);
    assert.doesNotMatch(response.text, /Karen Holm/);
    assert.doesNotMatch(response.text, new RegExp(karen.id));
    const rows = await audits(karen.id, 'registry.lookup');
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.actor_kind, 'caseworker');
    assert.equal(rows[0]?.actor_id, sofie.staffId);
    assert.deepEqual(rows[0]?.details, { outcome: 'other_municipality' });
    // Nor can the page be reached by its id, nor an action be taken.
    assert.equal((await get(`/borgerservice/personer/${karen.id}`, sofie.cookie)).status, 403);
    const exempt = await post(
      `/borgerservice/personer/${karen.id}/fritagelse`,
      { ground: 'homeless', _csrf: sofie.csrf },
      sofie.cookie,
    );
    assert.equal(exempt.status, 403);
    assert.equal((await state(karen.id)).enrolment, 'automatic');
    // Their own municipality's caseworker can.
    const own = await search(aarhus, '2409441238');
    assert.equal(own.location, `/borgerservice/personer/${karen.id}`);
  });

  test('the person page: masked CPR, age, municipality, status; every look-up and view audited; no mail content', async () => {
    const dora = await person('0707851236', 'Dora Lund', { enrolment: 'automatic' });
    const sender = await createSender(kuvert.services.db, 'Skattestyrelsen');
    await kuvert.services.db
      .insertInto('message')
      .values({
        sender_id: sender.id,
        recipient_id: dora.id,
        message_uuid: randomUUID(),
        content_hash: 'a'.repeat(64),
        label: 'Hemmelig årsopgørelse',
        status: 'available',
        available_at: new Date(),
      })
      .execute();

    const found = await search(sofie, '070785-1236');
    assert.equal(found.status, 303);
    assert.equal(found.location, `/borgerservice/personer/${dora.id}`);
    const page = await get(found.location as string, sofie.cookie);
    assert.equal(page.status, 200);
    assert.match(page.text, /<h1>Dora Lund<\/h1>/);
    assert.match(page.text, /070785-\*\*\*\*/);
    assert.doesNotMatch(page.text, /0707851236|070785-1236/);
    assert.match(page.text, /\d+ år/);
    assert.match(page.text, /København/);
    assert.match(page.text, /Tilmeldt Digital Post \(automatisk\)/);
    assert.doesNotMatch(page.text, /Hemmelig årsopgørelse/);
    assert.equal((await audits(dora.id, 'registry.lookup')).length, 1);
    assert.equal((await audits(dora.id, 'registry.view')).length, 1);
  });
});

describe('changing a registration (caseworker)', () => {
  test('exempt with ground, note and paper; refused twice; re-enrol; close on death — each audited', async () => {
    const erik = await person('1203701231', 'Erik Berg');
    const base = `/borgerservice/personer/${erik.id}`;

    const noGround = await post(
      `${base}/fritagelse`,
      { ground: '', note: 'Ringede ind', _csrf: sofie.csrf },
      sofie.cookie,
    );
    assert.equal(noGround.status, 422);
    assert.match(noGround.text, /Vælg en grund til fritagelsen/);
    assert.match(noGround.text, />Ringede ind<\/textarea>/, 'the note is kept');

    const noCsrf = await post(`${base}/fritagelse`, { ground: 'no_internet' }, sofie.cookie);
    assert.equal(noCsrf.status, 403);
    assert.equal((await state(erik.id)).enrolment, 'automatic');

    const exempted = await post(
      `${base}/fritagelse`,
      { ground: 'no_internet', note: 'Har ingen computer', paper: '1', _csrf: sofie.csrf },
      sofie.cookie,
    );
    assert.equal(exempted.status, 303);
    assert.equal(exempted.location, `${base}?udfoert=exempted`);
    assert.deepEqual(await state(erik.id), {
      enrolment: 'exempted',
      exemption_ground: 'no_internet',
      closed_reason: null,
      delete_after: null,
    });
    const page = await get(exempted.location as string, sofie.cookie);
    assert.match(page.text, /Fritagelsen er registreret/);
    assert.match(page.text, /Fritaget for Digital Post/);
    assert.match(page.text, /Fritaget: Ingen egnet internetadgang i hjemmet/);
    assert.match(page.text, /Borgerservice, København \(Sofie Madsen\)/);
    assert.match(page.text, /Har ingen computer/);
    assert.match(page.text, /Uåbnede breve fra de seneste 6 måneder sendes som papirbreve/);
    const change = await kuvert.services.db
      .selectFrom('enrolment_change')
      .selectAll()
      .where('recipient_id', '=', erik.id)
      .executeTakeFirstOrThrow();
    assert.equal(change.send_unopened_as_paper, true);
    assert.equal(change.actor_kind, 'caseworker');
    assert.equal(change.actor_id, sofie.staffId);
    assert.equal((await audits(erik.id, 'registry.exempted')).length, 1);

    const twice = await post(
      `${base}/fritagelse`,
      { ground: 'homeless', note: 'Igen', _csrf: sofie.csrf },
      sofie.cookie,
    );
    assert.equal(twice.status, 409);
    assert.match(twice.text, /Borgeren er allerede fritaget/);
    assert.equal((await state(erik.id)).exemption_ground, 'no_internet');

    const reEnrolled = await post(`${base}/gentilmelding`, { note: '', _csrf: sofie.csrf }, sofie.cookie);
    assert.equal(reEnrolled.location, `${base}?udfoert=re_enrolled`);
    assert.equal((await state(erik.id)).enrolment, 'voluntary');
    const again = await post(`${base}/gentilmelding`, { _csrf: sofie.csrf }, sofie.cookie);
    assert.equal(again.status, 409);
    assert.match(again.text, /Kun en borger, der er fritaget, kan tilmeldes igen/);

    const unconfirmed = await post(
      `${base}/lukning`,
      { reason: 'death', note: 'Dødsattest modtaget', _csrf: sofie.csrf },
      sofie.cookie,
    );
    assert.equal(unconfirmed.status, 422);
    assert.match(unconfirmed.text, /Sæt kryds for at bekræfte/);
    assert.match(unconfirmed.text, /<option value="death" selected>/);
    assert.equal((await state(erik.id)).enrolment, 'voluntary');

    const closed = await post(
      `${base}/lukning`,
      { reason: 'death', note: 'Dødsattest modtaget', confirm: '1', _csrf: sofie.csrf },
      sofie.cookie,
    );
    assert.equal(closed.location, `${base}?udfoert=closed`);
    const after = await state(erik.id);
    assert.equal(after.enrolment, 'closed');
    assert.equal(after.closed_reason, 'death');
    assert.equal(after.delete_after, `${new Date().getUTCFullYear() + 5}${new Date().toISOString().slice(4, 10)}`);
    const closedPage = await get(`${base}?udfoert=closed`, sofie.cookie);
    assert.match(closedPage.text, /Postkasse lukket: Dødsfald/);
    assert.match(closedPage.text, /Der kan ikke registreres flere ændringer/);
    assert.doesNotMatch(closedPage.text, /action="[^"]*\/fritagelse"/);

    const exemptClosed = await post(`${base}/fritagelse`, { ground: 'other', _csrf: sofie.csrf }, sofie.cookie);
    assert.equal(exemptClosed.status, 409);
    assert.match(exemptClosed.text, /Postkassen er lukket/);
    const closeTwice = await post(
      `${base}/lukning`,
      { reason: 'emigration', confirm: '1', _csrf: sofie.csrf },
      sofie.cookie,
    );
    assert.equal(closeTwice.status, 409);
    assert.match(closeTwice.text, /Postkassen er allerede lukket/);

    const history = await kuvert.services.db
      .selectFrom('enrolment_change')
      .select(['kind', 'from_state', 'to_state'])
      .where('recipient_id', '=', erik.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      history.map((h) => [h.kind, h.from_state, h.to_state]),
      [
        ['exempted', 'automatic', 'exempted'],
        ['re_enrolled', 'exempted', 'voluntary'],
        ['closed', 'voluntary', 'closed'],
      ],
      'the refused attempts left no history',
    );
    for (const action of ['registry.exempted', 'registry.re_enrolled', 'registry.closed']) {
      assert.equal((await audits(erik.id, action)).length, 1, action);
    }
  });

  test('a business cannot be exempted: refused with a reason, nothing recorded', async () => {
    const business = await kuvert.services.db
      .insertInto('recipient')
      .values({ kind: 'business', cvr: '64942212', name: 'Testfirma ApS' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await assert.rejects(
      changeEnrolmentNow(
        kuvert.services.db,
        business.id,
        { type: 'exempt', ground: 'other' },
        { kind: 'system', id: 'x' },
      ),
      (error: unknown) => error instanceof AppError && error.code === 'business_cannot_be_exempted',
    );
    const rows = await kuvert.services.db
      .selectFrom('enrolment_change')
      .select('id')
      .where('recipient_id', '=', business.id)
      .execute();
    assert.equal(rows.length, 0);
    // And the back office does not handle businesses at all.
    assert.equal((await get(`/borgerservice/personer/${business.id}`, sofie.cookie)).status, 404);
  });

  test('the back office works in English', async () => {
    const fie = await person('0505801232', 'Fie Kjær');
    const page = await get(`/borgerservice/personer/${fie.id}`, `${sofie.cookie}; lang=en`);
    assert.match(page.text, /<html lang="en">/);
    assert.match(page.text, /Register an exemption/);
    assert.match(page.text, /Enrolled in Digital Post \(automatically\)/);
    const refused = await post(
      `/borgerservice/personer/${fie.id}/gentilmelding`,
      { _csrf: sofie.csrf },
      `${sofie.cookie}; lang=en`,
    );
    assert.match(refused.text, /Only an exempted citizen can be re-enrolled/);
  });
});

describe('the citizen’s own enrolment (/tilmelding)', () => {
  test('an exempted citizen sees the ground and who did it (the municipality, not the caseworker), and enrols again', async () => {
    const anna = await person('1503851234', 'Anna Jensen');
    await post(
      `/borgerservice/personer/${anna.id}/fritagelse`,
      { ground: 'language', _csrf: sofie.csrf },
      sofie.cookie,
    );
    const page = await get('/tilmelding', anna.cookie);
    assert.equal(page.status, 200);
    assert.match(page.text, /Fritaget for Digital Post/);
    assert.match(page.text, /Sprogvanskeligheder/);
    assert.match(page.text, /Borgerservice, København/);
    assert.doesNotMatch(page.text, /Sofie Madsen/);
    assert.match(page.text, /<form method="post" action="\/tilmelding\/frivillig">/);

    const enrolled = await post('/tilmelding/frivillig', { _csrf: anna.csrf }, anna.cookie);
    assert.equal(enrolled.status, 303);
    assert.equal(enrolled.location, '/tilmelding?tilmeldt=1');
    assert.equal((await state(anna.id)).enrolment, 'voluntary');
    const after = await get('/tilmelding?tilmeldt=1', anna.cookie);
    assert.match(after.text, /Du er nu tilmeldt Digital Post/);
    assert.match(after.text, /Tilmeldt Digital Post \(frivilligt\)/);
    assert.match(after.text, /Tilmeldt frivilligt/);
    assert.match(after.text, />Dig selv</);
    assert.doesNotMatch(after.text, /action="\/tilmelding\/frivillig"/);
    assert.equal((await audits(anna.id, 'registry.enrolled_voluntarily')).length, 1);

    const twice = await post('/tilmelding/frivillig', { _csrf: anna.csrf }, anna.cookie);
    assert.equal(twice.status, 409);
    assert.match(twice.text, /Du er allerede tilmeldt Digital Post/);
    assert.equal((await post('/tilmelding/frivillig', {}, anna.cookie)).status, 403, 'CSRF is required');

    // The owner can see that citizen service looked them up.
    assert.ok((await audits(anna.id, 'registry.exempted')).length === 1);

    const english = await get('/tilmelding', `${anna.cookie}; lang=en`);
    assert.match(english.text, /Enrolled in Digital Post \(voluntarily\)/);
    assert.match(english.text, /Citizen service, København/);
    assert.match(english.text, />You</);
  });

  test('a child under 15 is told they will be enrolled at 15, and cannot enrol', async () => {
    const year = String(new Date().getUTCFullYear() - 2000 - 10).padStart(2, '0');
    const child = await person(`0101${year}4001`, 'Lille Ida', { enrolment: 'not_enrolled' });
    const page = await get('/tilmelding', child.cookie);
    assert.match(page.text, /Ikke tilmeldt Digital Post/);
    assert.match(page.text, /når du fylder 15 år/);
    assert.doesNotMatch(page.text, /action="\/tilmelding\/frivillig"/);
    const refused = await post('/tilmelding/frivillig', { _csrf: child.csrf }, child.cookie);
    assert.equal(refused.status, 409);
    assert.match(refused.text, /når du fylder 15 år/);
  });
});

describe('registry counts for the statistics page', () => {
  test('people are counted by state, ground, municipality, sex and age band; businesses by state', async () => {
    const { db } = kuvert.services;
    const on = new Date('2026-06-01T12:00:00Z');
    const before = await registryCounts(db, on);
    await person('0101503008', 'Tæl Et', { municipality: '0461', sex: 'M' });
    await person('0202503010', 'Tæl To', { municipality: '0461', sex: 'M' });
    await person('0303953012', 'Tæl Tre', { municipality: '0461', sex: 'F', enrolment: 'exempted' });
    const counts = await registryCounts(db, on);
    const inOdense = counts.people.filter((c) => c.municipalityCode === '0461');
    assert.deepEqual(
      inOdense.map((c) => [c.enrolment, c.exemptionGround, c.sex, c.ageBand, c.count]),
      [
        ['automatic', null, 'M', '65-79', 2],
        ['exempted', 'other', 'F', '30-49', 1],
      ],
    );
    const total = (c: typeof counts) => c.people.reduce((sum, row) => sum + row.count, 0);
    assert.equal(total(counts), total(before) + 3);
    assert.ok((counts.businesses.automatic ?? 0) >= 1);
  });
});

test('KUVERT_DEATH_RETENTION_YEARS sets how long a mailbox closed by death keeps its post (default 5 years)', () => {
  const now = new Date('2026-12-07T10:00:00Z');
  assert.equal(loadRegistryConfig({}).deathRetentionYears, 5);
  assert.equal(loadRegistryConfig({ KUVERT_DEATH_RETENTION_YEARS: '10' }).deathRetentionYears, 10);
  assert.throws(() => loadRegistryConfig({ KUVERT_DEATH_RETENTION_YEARS: '0' }));
  assert.equal(deleteAfterDeath(now), '2031-12-07');
  assert.equal(deleteAfterDeath(now, 10), '2036-12-07');
});
