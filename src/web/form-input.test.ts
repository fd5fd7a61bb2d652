import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createResident } from '../../test/support/access.ts';
import { citizen, logIn, senderStaff, visibleText, type WebUser } from '../../test/support/correspondence.ts';
import { createSender, letterBody } from '../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../test/support/kuvert.ts';
import { operatorSession } from '../../test/support/status.ts';
import { createContactPoint } from '../modules/correspondence/contact-points.ts';

/*
 * Issue 14: every web form that takes text answers odd text — NUL, a control character, a lone surrogate, nothing
 * but spaces, too much — with the form shown again and the error next to the field (never a bare error page, never
 * a 500), and writes nothing.
 */

const ANNA = '1503851234';
const CARL = '0505654444';
const BO = '0101901235';
const SINGLE_LINE = 'Teksten indeholder linjeskift eller usynlige styretegn';
const MULTI_LINE = 'Teksten indeholder usynlige styretegn';

let kuvert: TestKuvert;
let anna: WebUser;
let staff: WebUser;
let operator: WebUser;
let contactPointId: string;
let caseworker: WebUser;
let boId: string;
let annaId: string;

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  const annaUser = await citizen(kuvert, ANNA, 'Anna Jensen');
  anna = annaUser;
  annaId = annaUser.id;
  const sender = await createSender(kuvert.services.db, 'Aarhus Kommune');
  staff = await senderStaff(kuvert, sender.id, 'Sofie Madsen');
  operator = await operatorSession(kuvert.services);
  boId = (await createResident(kuvert.services.db, BO, 'Bo Nielsen', '0101')).recipientId;
  await createResident(kuvert.services.db, CARL, 'Carl Clausen', '0101');
  const sofie = await kuvert.services.db
    .insertInto('staff_user')
    .values({ subject: 'test-sofie', name: 'Sofie Madsen', role: 'caseworker', municipality_code: '0101' })
    .returning('id')
    .executeTakeFirstOrThrow();
  caseworker = await logIn(kuvert, {
    kind: 'caseworker',
    subject: 'test-sofie',
    name: 'Sofie Madsen',
    staffId: sofie.id,
    municipalityCode: '0101',
  });
  contactPointId = (
    await createContactPoint(
      kuvert.services,
      { senderId: sender.id, apiKeyId: sender.apiKeyId },
      { name: 'Borgerservice', maxAttachments: 3, maxTotalBytes: 10_000_000, allowedMediaTypes: ['application/pdf'] },
    )
  ).id;
});
after(async () => kuvert?.stop());

const count = async (table: string) => {
  const { rows } = await kuvert.services.pool.query(`select count(*)::int as n from ${table}`);
  return rows[0].n as number;
};

interface FormSpec {
  /** The form's page path (POST target). */
  path: () => string;
  user: () => WebUser;
  /** The fields of a valid submission; `field` is replaced by each odd value. */
  valid: () => [string, string][];
  field: string;
  /** Tables whose row counts must not change. */
  tables: string[];
  /** Marks the form on the page shown again (its action). */
  formMarker: () => string;
  /** What the page says for characters, blank and too long. */
  says: { characters: string; blank: string; tooLong: string };
  max: number;
  multiline?: boolean;
  /** An optional field: blank is accepted. */
  optional?: boolean;
  /** Posted as multipart/form-data (as a form with a file input is). */
  multipart?: boolean;
  /** More odd values for this form. */
  more?: [string, string, 'characters' | 'blank' | 'tooLong'][];
  /** A file posted after the fields (multipart only). */
  file?: { field: string; name: string; type: string; bytes: Buffer };
  /** A form that asks for confirmation first: the valid submission is confirmed here (with the page's code). */
  confirmPath?: () => string;
}

const odd = (spec: FormSpec): [string, string, keyof FormSpec['says']][] => [
  ['NUL', 'Skat\u0000', 'characters'],
  ['a bell character', 'Skat\u0007', 'characters'],
  ['an escape character', '\u001b[31mSkat', 'characters'],
  ...(spec.multiline ? [] : ([['a line break', 'Skat\nog moms', 'characters']] as [string, string, 'characters'][])),
  ...(spec.optional ? [] : ([['only spaces', '   ', 'blank']] as [string, string, 'blank'][])),
  ['one character too many', 'x'.repeat(spec.max + 1), 'tooLong'],
  ...(spec.more ?? []),
];

// A lone surrogate cannot reach a form: browsers send U+FFFD, and the body parser decodes bytes as UTF-8 the same
// way. The check is shared with JSON (src/http/input-hardening.test.ts), where it can.
const encode = (fields: [string, string][]) => new URLSearchParams(fields).toString();

async function post(spec: FormSpec, fields: [string, string][]) {
  const user = spec.user();
  const all: [string, string][] = [['_csrf', user.csrf], ...fields];
  const multipart = new FormData();
  for (const [k, v] of all) multipart.append(k, v);
  if (spec.file) {
    multipart.append(spec.file.field, new Blob([spec.file.bytes], { type: spec.file.type }), spec.file.name);
  }
  const response = await fetch(`${kuvert.url}${spec.path()}`, {
    method: 'POST',
    headers: {
      cookie: user.cookie,
      ...(spec.multipart ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
    },
    body: spec.multipart ? multipart : encode(all),
    redirect: 'manual',
  });
  const html = await response.text();
  return { status: response.status, text: visibleText(html), html };
}

function formTests(name: string, spec: FormSpec) {
  describe(`${name}: odd text gets the form again with the error next to the field, and nothing is written`, () => {
    for (const [what, value, kind] of odd(spec)) {
      test(what, async () => {
        const before = await Promise.all(spec.tables.map(count));
        const fields = spec.valid().map(([k, v]): [string, string] => [k, k === spec.field ? value : v]);
        const answer = await post(spec, fields);
        assert.ok(answer.status >= 400 && answer.status < 500, `status ${answer.status}`);
        assert.ok(answer.text.includes(spec.formMarker()), 'the form is shown again');
        assert.ok(
          answer.text.includes(spec.says[kind]),
          `says "${spec.says[kind]}": ${answer.status} ${answer.text.replace(/[\s\S]*<main/, '').slice(0, 1500)}`,
        );
        assert.match(answer.text, /class="[^"]*(form-error|alert-error)[^"]*"/);
        assert.deepEqual(await Promise.all(spec.tables.map(count)), before);
      });
    }
    test('a valid text is accepted (the odd ones are refused for what they hold)', async () => {
      const before = await Promise.all(spec.tables.map(count));
      let answer = await post(spec, spec.valid());
      assert.ok(answer.status < 400, `status ${answer.status}: ${answer.text.slice(0, 300)}`);
      if (spec.confirmPath) {
        const confirmation = /name="confirmation" value="([^"]+)"/.exec(answer.html)?.[1] ?? '';
        const confirm = spec.confirmPath;
        answer = await post({ ...spec, path: confirm }, [
          ...spec.valid(),
          ['confirmation', confirmation],
          ['step', 'confirm'],
        ]);
        assert.ok(answer.status < 400, `confirmed: status ${answer.status}: ${answer.text.slice(0, 300)}`);
      }
      assert.notDeepEqual(await Promise.all(spec.tables.map(count)), before);
    });
  });
}

formTests('Creating a mailbox folder', {
  path: () => '/post/mapper',
  user: () => anna,
  valid: () => [['name', `Skat ${Math.random()}`]],
  field: 'name',
  tables: ['mailbox_folder'],
  formMarker: () => 'action="/post/mapper"',
  says: { characters: SINGLE_LINE, blank: 'Giv mappen et navn.', tooLong: 'Et mappenavn må højst have 80 tegn.' },
  max: 80,
});

formTests('Creating an API key', {
  path: () => '/afsender/api-noegler',
  user: () => staff,
  valid: () => [['label', 'Sagssystem']],
  field: 'label',
  tables: ['api_key'],
  formMarker: () => 'action="/afsender/api-noegler"',
  says: {
    characters: SINGLE_LINE,
    blank: 'Giv nøglen et navn på 1–100 tegn.',
    tooLong: 'Giv nøglen et navn på 1–100 tegn.',
  },
  max: 100,
});

formTests('Reporting an incident (title)', {
  path: () => '/drift/styring/haendelser',
  user: () => operator,
  valid: () => [
    ['title', 'Forsinkede SMS-notifikationer'],
    ['severity', 'minor'],
    ['components', 'sms'],
    ['message', 'Vi undersøger sagen.'],
  ],
  field: 'title',
  tables: ['status_incident', 'status_incident_update'],
  formMarker: () => 'action="/drift/styring/haendelser"',
  says: { characters: SINGLE_LINE, blank: 'Skriv en overskrift.', tooLong: 'Overskriften må højst være 200 tegn.' },
  max: 200,
});

formTests('Reporting an incident (message)', {
  path: () => '/drift/styring/haendelser',
  user: () => operator,
  valid: () => [
    ['title', 'Forsinkede SMS-notifikationer'],
    ['severity', 'minor'],
    ['components', 'sms'],
    ['message', 'Vi undersøger sagen.\nMere følger.'],
  ],
  field: 'message',
  tables: ['status_incident', 'status_incident_update'],
  formMarker: () => 'action="/drift/styring/haendelser"',
  says: { characters: MULTI_LINE, blank: 'Skriv en besked.', tooLong: 'Teksten må højst være 4000 tegn.' },
  max: 4000,
  multiline: true,
});

formTests('Announcing maintenance (description)', {
  path: () => '/drift/styring/vedligeholdelse',
  user: () => operator,
  valid: () => [
    ['title', 'Opdatering af databasen'],
    ['description', 'Kuvert er utilgængelig i kort tid.\r\nTak for tålmodigheden.'],
    ['components', 'email'],
    ['startsAt', '2099-12-01T10:00'],
    ['endsAt', '2099-12-01T12:00'],
  ],
  field: 'description',
  tables: ['status_maintenance'],
  formMarker: () => 'action="/drift/styring/vedligeholdelse"',
  says: { characters: MULTI_LINE, blank: '', tooLong: 'Teksten må højst være 4000 tegn.' },
  max: 4000,
  multiline: true,
  optional: true,
});

const contactPointForm = (): [string, string][] => [
  ['name', `Byggesager ${Math.random()}`],
  ['description', 'Spørgsmål om byggetilladelser.\nVi svarer inden for 10 dage.'],
  ['maxAttachments', '3'],
  ['maxTotalMb', '10'],
  ['types', 'application/pdf'],
  ['active', '1'],
];

formTests('Creating a contact point (name)', {
  path: () => '/afsender/kontaktpunkter/ny',
  user: () => staff,
  valid: contactPointForm,
  field: 'name',
  tables: ['contact_point'],
  formMarker: () => 'action="/afsender/kontaktpunkter/ny"',
  says: { characters: SINGLE_LINE, blank: 'Skriv et navn.', tooLong: 'Navnet må højst være 120 tegn.' },
  max: 120,
});

formTests('Creating a contact point (description)', {
  path: () => '/afsender/kontaktpunkter/ny',
  user: () => staff,
  valid: contactPointForm,
  field: 'description',
  tables: ['contact_point'],
  formMarker: () => 'action="/afsender/kontaktpunkter/ny"',
  says: { characters: MULTI_LINE, blank: '', tooLong: 'Beskrivelsen må højst være 1.000 tegn.' },
  max: 1000,
  multiline: true,
  optional: true,
});

const writeForm = (): [string, string][] => [
  ['subject', 'Spørgsmål om min sag'],
  ['body', 'Hej\r\n\tJeg har et spørgsmål.'],
];

for (const multipart of [true, false]) {
  const how = multipart ? 'with a file input' : 'without files';
  formTests(`Writing to an authority, ${how} (subject)`, {
    path: () => `/post/skriv/${contactPointId}`,
    user: () => anna,
    valid: writeForm,
    field: 'subject',
    tables: ['inbound_message', 'inbound_attachment'],
    formMarker: () => `action="/post/skriv/${contactPointId}"`,
    says: { characters: SINGLE_LINE, blank: 'Skriv et emne.', tooLong: 'Emnet må højst være 200 tegn.' },
    max: 200,
    multipart,
  });

  formTests(`Writing to an authority, ${how} (text)`, {
    path: () => `/post/skriv/${contactPointId}`,
    user: () => anna,
    valid: writeForm,
    field: 'body',
    tables: ['inbound_message', 'inbound_attachment'],
    formMarker: () => `action="/post/skriv/${contactPointId}"`,
    says: { characters: MULTI_LINE, blank: 'Skriv din besked.', tooLong: 'Beskeden må højst være 20.000 tegn.' },
    max: 20_000,
    multiline: true,
    multipart,
  });
}

const composeForm = (): [string, string][] => [
  ['recipient', ANNA],
  ['label', 'Afgørelse om boligstøtte'],
  ['senderReference', 'SAG-2026-0001'],
  ['notification', 'Du har fået en afgørelse'],
  ['messageUuid', randomUUID()],
];
const letterPdf = () => ({
  field: 'file',
  name: 'afgoerelse.pdf',
  type: 'application/pdf',
  bytes: Buffer.from(letterBody(ANNA).documents[0]?.content as string, 'base64'),
});

for (const [field, max, tooLong] of [
  ['label', 250, 'Emnet må højst være 250 tegn.'],
  ['senderReference', 100, 'Referencen må højst være 100 tegn.'],
  ['notification', 150, 'Adviseringsteksten må højst være 150 tegn.'],
] as const) {
  formTests(`Composing a letter in the sender portal (${field})`, {
    path: () => '/afsender/nyt-brev',
    user: () => staff,
    valid: composeForm,
    field,
    tables: ['message', 'message_document', 'document'],
    formMarker: () => 'action="/afsender/nyt-brev"',
    says: { characters: SINGLE_LINE, blank: 'Skriv et emne.', tooLong },
    max,
    optional: field !== 'label',
    multipart: true,
    file: letterPdf(),
  });
}

describe('the sender portal’s letter filter posts what was typed', () => {
  const filter = async (fields: [string, string][], user: WebUser | null = staff) => {
    const response = await fetch(`${kuvert.url}/afsender`, {
      method: 'POST',
      headers: { cookie: staff.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: encode([...(user ? [['_csrf', user.csrf] as [string, string]] : []), ...fields]),
      redirect: 'manual',
    });
    return {
      status: response.status,
      location: response.headers.get('location'),
      text: visibleText(await response.text()),
    };
  };

  test('the filter is a POST form carrying the CSRF token', async () => {
    const page = await fetch(`${kuvert.url}/afsender`, { headers: { cookie: staff.cookie } }).then((r) => r.text());
    assert.match(page, /<form method="post" action="\/afsender" class="kuvert-letter-filter"/);
    assert.ok(page.includes(`name="_csrf" value="${staff.csrf}"`));
    assert.doesNotMatch(page, /method="get"/);
  });

  test('a posted filter goes to the list’s address; a CPR number, however written, never reaches it', async () => {
    const plain = await filter([
      ['status', 'read'],
      ['q', '  Afgørelse  '],
      ['ref', 'SAG-1'],
    ]);
    assert.equal(plain.status, 303);
    assert.equal(plain.location, '/afsender?status=read&q=Afg%C3%B8relse&ref=SAG-1');
    for (const cpr of ['010190-1235', '0101901235', '01 01 90 1235', '01.01.90-1235', 'brev til 010190-1235']) {
      for (const field of ['q', 'ref']) {
        const refused = await filter([
          [field, cpr],
          [field === 'q' ? 'ref' : 'q', 'LIST-A'],
        ]);
        assert.equal(refused.status, 303, cpr);
        const location = refused.location as string;
        assert.match(location, /fejl=cpr$/, cpr);
        assert.doesNotMatch(location, /\d{4}.*\d{4}|1235/, `${cpr} left out of ${location}`);
        assert.ok(location.includes('LIST-A'), 'the other box is kept');
      }
    }
  });

  test('control characters or too long a text show the form again with the error, and nothing else happens', async () => {
    const nul = await filter([['q', 'brev\u0000']]);
    assert.equal(nul.status, 400);
    assert.ok(nul.text.includes('action="/afsender"'));
    assert.ok(nul.text.includes(SINGLE_LINE));
    const bell = await filter([['ref', 'SAG\u0007']]);
    assert.equal(bell.status, 400);
    assert.ok(bell.text.includes(SINGLE_LINE));
    const long = await filter([['q', 'x'.repeat(251)]]);
    assert.equal(long.status, 400);
    assert.ok(long.text.includes('Teksten må højst være på 250 tegn.'));
    const longRef = await filter([['ref', 'x'.repeat(101)]]);
    assert.ok(longRef.text.includes('Teksten må højst være på 100 tegn.'));
  });

  test('posting the filter without the CSRF token is refused', async () => {
    const refused = await filter([['q', 'brev']], null);
    assert.equal(refused.status, 403);
  });
});

describe('no form sends what a person types by GET', () => {
  test('every page form that remains a GET form takes no typed text', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const views = readdirSync('src', { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile() && f.name.endsWith('.tsx'))
      .map((f) => `${f.parentPath}/${f.name}`);
    const getForms = views.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/<form(?![^>]*method="post")[^>]*>([\s\S]*?)<\/form>/g)].map(
        (m) => [file, m[1] as string] as const,
      ),
    );
    assert.ok(getForms.length > 0, 'the statistics municipality picker is one');
    // A date field (the search's period) holds a date the browser checked, never free text.
    for (const [file, body] of getForms) {
      assert.doesNotMatch(body, /<input(?![^>]*type="(hidden|submit|radio|checkbox|date)")|<textarea/, file);
    }
  });
});

const INVALID_EMAIL = 'Skriv en gyldig e-mailadresse, fx navn@eksempel.dk.';
formTests('Adding an e-mail address', {
  path: () => '/indstillinger/kontakt/email',
  user: () => anna,
  valid: () => [['email', 'anna@eksempel.dk']],
  field: 'email',
  tables: ['contact_detail'],
  formMarker: () => 'action="/indstillinger/kontakt/email"',
  says: { characters: INVALID_EMAIL, blank: INVALID_EMAIL, tooLong: INVALID_EMAIL },
  max: 254,
  more: [
    ['an address followed by a line break', 'anna@eksempel.dk\r\n', 'characters'],
    ['an address with a header after it', 'anna@eksempel.dk\r\nBcc: x@y.dk', 'characters'],
    ['an address after a tab', '\tanna@eksempel.dk', 'characters'],
  ],
});

const INVALID_MOBILE = 'Skriv et gyldigt mobilnummer';
formTests('Adding a mobile number', {
  path: () => '/indstillinger/kontakt/mobil',
  user: () => anna,
  valid: () => [['mobile', '+45 12 34 56 78']],
  field: 'mobile',
  tables: ['contact_detail'],
  formMarker: () => 'action="/indstillinger/kontakt/mobil"',
  says: { characters: INVALID_MOBILE, blank: INVALID_MOBILE, tooLong: INVALID_MOBILE },
  max: 20,
  more: [
    ['a number with a tab in it', '12 34\t56 78', 'characters'],
    ['a number followed by a line break', '12345678\n', 'characters'],
  ],
});

formTests('Giving someone access to one’s mailbox (their name)', {
  path: () => '/post/adgang',
  user: () => anna,
  valid: () => [
    ['mailbox', annaId],
    ['cpr', BO],
    ['name', 'Bo Nielsen'],
    ['level', 'read'],
    ['endDate', ''],
  ],
  field: 'name',
  tables: ['mailbox_access'],
  formMarker: () => 'action="/post/adgang"',
  says: { characters: SINGLE_LINE, blank: 'Skriv personens navn.', tooLong: 'Teksten må højst være på 200 tegn.' },
  max: 200,
});

formTests('Registering a power of attorney (document reference)', {
  path: () => `/borgerservice/personer/${boId}/adgang`,
  user: () => caseworker,
  valid: () => [
    ['kind', 'power_of_attorney'],
    ['cpr', ANNA],
    ['name', 'Anna Jensen'],
    ['level', 'read'],
    ['documentReference', 'FULDMAGT-2026-17'],
    ['endDate', ''],
  ],
  field: 'documentReference',
  tables: ['mailbox_access'],
  formMarker: () => `action="/borgerservice/personer/${boId}/adgang"`,
  confirmPath: () => `/borgerservice/personer/${boId}/adgang/bekraeft`,
  says: {
    characters: SINGLE_LINE,
    blank: 'Skriv fuldmagtens dokumentreference.',
    tooLong: 'Dokumentreferencen må højst være 200 tegn.',
  },
  max: 200,
});

formTests('Registering a power of attorney (the attorney’s name)', {
  path: () => `/borgerservice/personer/${boId}/adgang`,
  user: () => caseworker,
  valid: () => [
    ['kind', 'power_of_attorney'],
    ['cpr', CARL],
    ['name', 'Carl Clausen'],
    ['level', 'read_write'],
    ['documentReference', 'FULDMAGT-2026-18'],
    ['endDate', ''],
  ],
  field: 'name',
  tables: ['mailbox_access'],
  formMarker: () => `action="/borgerservice/personer/${boId}/adgang"`,
  confirmPath: () => `/borgerservice/personer/${boId}/adgang/bekraeft`,
  says: { characters: SINGLE_LINE, blank: 'Skriv personens navn.', tooLong: 'Teksten må højst være på 200 tegn.' },
  max: 200,
});

formTests('Exempting a person from Digital Post (note)', {
  path: () => `/borgerservice/personer/${boId}/fritagelse`,
  user: () => caseworker,
  valid: () => [
    ['ground', 'no_internet'],
    ['note', 'Borgeren har ingen computer.\r\nSamtale i Borgerservice.'],
  ],
  field: 'note',
  tables: ['enrolment_change'],
  formMarker: () => `action="/borgerservice/personer/${boId}/fritagelse"`,
  says: { characters: MULTI_LINE, blank: '', tooLong: 'Bemærkningen må højst være 500 tegn.' },
  max: 500,
  multiline: true,
  optional: true,
});
