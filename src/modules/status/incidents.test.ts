import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPerson, createSender } from '../../../test/support/fixtures.ts';
import {
  operatorSession,
  postForm,
  type StatusKuvert,
  sessionFor,
  startStatusKuvert,
} from '../../../test/support/status.ts';

let kuvert: StatusKuvert;
let operator: Awaited<ReturnType<typeof operatorSession>>;

before(async () => {
  kuvert = await startStatusKuvert({ worker: false });
  operator = await operatorSession(kuvert.services);
});
after(async () => kuvert?.stop());

const url = (path: string) => `${kuvert.url}${path}`;

async function status() {
  return (await (await fetch(url('/api/v1/status'))).json()) as {
    status: string;
    components: { id: string; status: string; incidentIds: string[]; maintenance: boolean }[];
    incidents: {
      id: string;
      title: string;
      severity: string;
      state: string;
      resolvedAt: string | null;
      updates: { body: string; state: string }[];
    }[];
    maintenance: { id: string; title: string; inProgress: boolean; startsAt: string }[];
  };
}

const auditActions = async () =>
  (
    await kuvert.services.db
      .selectFrom('audit_event')
      .select(['action', 'actor_kind', 'actor_id'])
      .where('action', 'like', 'status.%')
      .orderBy('id')
      .execute()
  ).map((r) => `${r.action} by ${r.actor_kind}`);

/** A datetime-local value in Copenhagen time, hours from now (whole hours, so the test does not race the clock). */
function inHours(hours: number): string {
  const at = new Date(Date.now() + hours * 3600_000);
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Copenhagen',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  })
    .format(at)
    .replace(' ', 'T');
}

describe('incidents', () => {
  let incidentId: string;

  test('an operator posts an incident: /drift and the API show it, the components it affects are degraded', async () => {
    const response = await postForm(url('/drift/styring/haendelser'), operator.cookie, {
      _csrf: operator.csrf,
      title: 'Forsinkede e-mails',
      severity: 'minor',
      components: ['email', 'sms'],
      message: 'Vi undersøger, hvorfor adviseringer er forsinkede.',
    });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/drift/styring?udfoert=incident_created');
    const body = await status();
    assert.equal(body.status, 'degraded');
    const incident = body.incidents[0];
    assert.equal(incident?.title, 'Forsinkede e-mails');
    assert.equal(incident?.state, 'investigating');
    assert.equal(incident?.updates[0]?.body, 'Vi undersøger, hvorfor adviseringer er forsinkede.');
    incidentId = incident?.id as string;
    assert.deepEqual(
      body.components.map((c) => [c.id, c.status]),
      [
        ['sending_api', 'operational'],
        ['mailbox', 'operational'],
        ['login', 'operational'],
        ['email', 'degraded'],
        ['sms', 'degraded'],
        ['print', 'operational'],
      ],
    );
    assert.deepEqual(body.components.find((c) => c.id === 'email')?.incidentIds, [incidentId]);
    const page = await (await fetch(url('/drift'))).text();
    assert.match(page, /Aktuelle hændelser/);
    assert.match(page, /Forsinkede e-mails/);
    assert.match(page, /Berører: Advisering på e-mail, SMS/);
    const detail = await fetch(url(`/drift/haendelser/${incidentId}`));
    assert.equal(detail.status, 200);
    assert.match(await detail.text(), /Vi undersøger, hvorfor adviseringer er forsinkede/);
    assert.deepEqual(await auditActions(), ['status.incident.created by operator']);
  });

  test('updates move the incident on; "resolved" resolves it and the components are operational again', async () => {
    let response = await postForm(url(`/drift/styring/haendelser/${incidentId}/opdateringer`), operator.cookie, {
      _csrf: operator.csrf,
      state: 'identified',
      message: 'SMTP-udbyderen har problemer.',
    });
    assert.equal(response.headers.get('location'), '/drift/styring?udfoert=incident_updated');
    assert.equal((await status()).incidents[0]?.state, 'identified');
    response = await postForm(url(`/drift/styring/haendelser/${incidentId}/opdateringer`), operator.cookie, {
      _csrf: operator.csrf,
      state: 'resolved',
      message: 'Alle adviseringer er sendt.',
    });
    assert.equal(response.headers.get('location'), '/drift/styring?udfoert=incident_resolved');
    const body = await status();
    assert.equal(body.status, 'operational');
    const incident = body.incidents.find((i) => i.id === incidentId);
    assert.equal(incident?.state, 'resolved');
    assert.ok(incident?.resolvedAt);
    assert.deepEqual(
      incident?.updates.map((u) => u.state),
      ['resolved', 'identified', 'investigating'],
    );
    // The day's bar counts the incident.
    const page = await (await fetch(url('/drift'))).text();
    assert.match(page, /Hændelser de seneste 14 dage/);
    assert.match(page, /Nedsat funktion \(hændelse\)/);
    // A resolved incident takes no more updates.
    response = await postForm(url(`/drift/styring/haendelser/${incidentId}/opdateringer`), operator.cookie, {
      _csrf: operator.csrf,
      state: 'monitoring',
      message: 'Igen?',
    });
    assert.equal(response.status, 409);
    assert.match(await response.text(), /Hændelsen er allerede løst/);
    assert.equal((await status()).incidents.find((i) => i.id === incidentId)?.updates.length, 3);
    assert.deepEqual((await auditActions()).slice(1), [
      'status.incident.updated by operator',
      'status.incident.resolved by operator',
    ]);
  });

  test('bad input shows the form again with the message and changes nothing', async () => {
    const before = (await status()).incidents.length;
    const cases: [Record<string, string | string[]>, RegExp][] = [
      [{ title: '', severity: 'minor', components: 'email', message: 'x' }, /Skriv en overskrift/],
      [{ title: 'T', severity: 'minor', message: 'x' }, /Vælg mindst én berørt del/],
      [{ title: 'T', severity: 'minor', components: ['email', 'fax'], message: 'x' }, /Vælg blandt de viste dele/],
      [{ title: 'T', severity: 'catastrophic', components: 'email', message: 'x' }, /Vælg hvor alvorlig/],
      [{ title: 'T', severity: 'major', components: 'email', message: '  ' }, /Skriv en besked/],
      [{ title: 'x'.repeat(201), severity: 'major', components: 'email', message: 'm' }, /højst være 200 tegn/],
    ];
    for (const [fields, message] of cases) {
      const response = await postForm(url('/drift/styring/haendelser'), operator.cookie, {
        _csrf: operator.csrf,
        ...fields,
      });
      assert.equal(response.status, 400, JSON.stringify(fields));
      const html = await response.text();
      assert.match(html, message);
      assert.match(html, /Formularen er ikke sendt/);
    }
    const update = await postForm(url(`/drift/styring/haendelser/${incidentId}/opdateringer`), operator.cookie, {
      _csrf: operator.csrf,
      state: 'sleeping',
      message: 'x',
    });
    assert.equal(update.status, 400);
    assert.equal((await status()).incidents.length, before);
    const unknown = await postForm(
      url('/drift/styring/haendelser/00000000-0000-4000-8000-000000000000/opdateringer'),
      operator.cookie,
      { _csrf: operator.csrf, state: 'monitoring', message: 'x' },
    );
    assert.equal(unknown.status, 404);
    assert.equal((await fetch(url('/drift/haendelser/not-a-uuid'))).status, 404);
  });
});

describe('maintenance', () => {
  test('an operator schedules maintenance; /drift shows it; cancelling removes it', async () => {
    let response = await postForm(url('/drift/styring/vedligeholdelse'), operator.cookie, {
      _csrf: operator.csrf,
      title: 'Opgradering af databasen',
      description: 'Login kan være utilgængeligt i op til 10 minutter.',
      components: ['login', 'mailbox'],
      startsAt: inHours(24),
      endsAt: inHours(26),
    });
    assert.equal(response.status, 303);
    let body = await status();
    const window = body.maintenance[0];
    assert.equal(window?.title, 'Opgradering af databasen');
    assert.equal(window?.inProgress, false);
    assert.ok(Math.abs(Date.parse(window?.startsAt ?? '') - (Date.now() + 24 * 3600_000)) < 120_000, 'Copenhagen time');
    assert.match(await (await fetch(url('/drift'))).text(), /Planlagt vedligeholdelse[\s\S]*Opgradering af databasen/);

    // One in progress marks its components.
    response = await postForm(url('/drift/styring/vedligeholdelse'), operator.cookie, {
      _csrf: operator.csrf,
      title: 'Skift af printudbyder',
      description: '',
      components: 'print',
      startsAt: inHours(-1),
      endsAt: inHours(1),
    });
    assert.equal(response.status, 303);
    body = await status();
    assert.equal(body.components.find((c) => c.id === 'print')?.maintenance, true);
    assert.equal(body.components.find((c) => c.id === 'login')?.maintenance, false);

    response = await postForm(url(`/drift/styring/vedligeholdelse/${window?.id}/aflys`), operator.cookie, {
      _csrf: operator.csrf,
    });
    assert.equal(response.headers.get('location'), '/drift/styring?udfoert=maintenance_cancelled');
    body = await status();
    assert.deepEqual(
      body.maintenance.map((m) => m.title),
      ['Skift af printudbyder'],
    );
    const again = await postForm(url(`/drift/styring/vedligeholdelse/${window?.id}/aflys`), operator.cookie, {
      _csrf: operator.csrf,
    });
    assert.equal(again.status, 404);
    const actions = await auditActions();
    assert.deepEqual(
      actions.filter((a) => a.includes('maintenance')),
      [
        'status.maintenance.scheduled by operator',
        'status.maintenance.scheduled by operator',
        'status.maintenance.cancelled by operator',
      ],
    );
  });

  test('a window that ends before it starts, has ended or has no valid times is refused', async () => {
    const before = (await status()).maintenance.length;
    const cases: [Record<string, string>, RegExp][] = [
      [{ startsAt: inHours(5), endsAt: inHours(4) }, /Slutningen skal ligge efter starten/],
      [{ startsAt: inHours(-5), endsAt: inHours(-4) }, /Tidsrummet er allerede slut/],
      [{ startsAt: 'i morgen', endsAt: inHours(4) }, /Skriv dato og klokkeslæt/],
      [{ startsAt: inHours(1), endsAt: inHours(24 * 8) }, /højst vare 7 dage/],
    ];
    for (const [times, message] of cases) {
      const response = await postForm(url('/drift/styring/vedligeholdelse'), operator.cookie, {
        _csrf: operator.csrf,
        title: 'Noget',
        description: '',
        components: 'mailbox',
        ...times,
      });
      assert.equal(response.status, 400);
      assert.match(await response.text(), message);
    }
    assert.equal((await status()).maintenance.length, before);
  });
});

describe('who may manage the status page', () => {
  test('a citizen, a caseworker and sender staff get 403 on the operator pages and their forms', async () => {
    const db = kuvert.services.db;
    const person = await createPerson(db, '0101901234', 'Bo Borger');
    const sender = await createSender(db);
    const actors = [
      await sessionFor(kuvert.services, { kind: 'citizen', subject: 'c', name: 'Bo', recipientId: person.id }),
      await sessionFor(kuvert.services, {
        kind: 'caseworker',
        subject: 'w',
        name: 'Sofie',
        staffId: operator.staffId,
        municipalityCode: '0101',
      }),
      await sessionFor(kuvert.services, {
        kind: 'sender_staff',
        subject: 's',
        name: 'Lars',
        staffId: operator.staffId,
        senderId: sender.id,
      }),
    ];
    const before = (await status()).incidents.length;
    for (const actor of actors) {
      assert.equal((await fetch(url('/drift/styring'), { headers: { cookie: actor.cookie } })).status, 403);
      const response = await postForm(url('/drift/styring/haendelser'), actor.cookie, {
        _csrf: actor.csrf,
        title: 'Falsk alarm',
        severity: 'major',
        components: 'login',
        message: 'Alt er nede!',
      });
      assert.equal(response.status, 403);
      const page = await fetch(url('/drift'), { headers: { cookie: actor.cookie } });
      assert.doesNotMatch(await page.text(), /href="\/drift\/styring"/);
    }
    assert.equal((await status()).incidents.length, before);
  });

  test('without a login the operator page sends you to log in, and its forms answer 401', async () => {
    const page = await fetch(url('/drift/styring'), { redirect: 'manual' });
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/login?returnTo=%2Fdrift%2Fstyring');
    const response = await postForm(url('/drift/styring/haendelser'), '', {
      title: 'x',
      severity: 'major',
      components: 'login',
      message: 'x',
    });
    assert.equal(response.status, 401);
  });

  test("an operator's form without the session's CSRF token is refused", async () => {
    const before = (await status()).incidents.length;
    const response = await postForm(url('/drift/styring/haendelser'), operator.cookie, {
      _csrf: 'forged',
      title: 'x',
      severity: 'major',
      components: 'login',
      message: 'x',
    });
    assert.equal(response.status, 403);
    assert.equal((await status()).incidents.length, before);
  });

  test('the operator sees the link to the operator page on /drift, and the page itself', async () => {
    assert.match(
      await (await fetch(url('/drift'), { headers: { cookie: operator.cookie } })).text(),
      /\/drift\/styring/,
    );
    const page = await fetch(url('/drift/styring?udfoert=incident_created'), { headers: { cookie: operator.cookie } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Hændelsen er meldt og vises på driftstatussiden/);
  });
});
