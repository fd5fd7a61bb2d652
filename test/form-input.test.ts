import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createContactPoint } from '../src/modules/correspondence/contact-points.ts';
import { citizen, senderStaff, visibleText, type WebUser } from './support/correspondence.ts';
import { createSender } from './support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from './support/kuvert.ts';
import { operatorSession } from './support/status.ts';

/*
 * Issue 14: every web form that takes text answers odd text — NUL, a control character, a lone surrogate, nothing
 * but spaces, too much — with the form shown again and the error next to the field (never a bare error page, never
 * a 500), and writes nothing.
 */

const ANNA = '1503851234';
const SINGLE_LINE = 'Teksten indeholder linjeskift eller usynlige styretegn';
const MULTI_LINE = 'Teksten indeholder usynlige styretegn';

let kuvert: TestKuvert;
let anna: WebUser;
let staff: WebUser;
let operator: WebUser;
let contactPointId: string;

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  anna = await citizen(kuvert, ANNA, 'Anna Jensen');
  const sender = await createSender(kuvert.services.db, 'Aarhus Kommune');
  staff = await senderStaff(kuvert, sender.id, 'Sofie Madsen');
  operator = await operatorSession(kuvert.services);
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
}

const odd = (spec: FormSpec): [string, string, keyof FormSpec['says']][] => [
  ['NUL', 'Skat\u0000', 'characters'],
  ['a bell character', 'Skat\u0007', 'characters'],
  ['an escape character', '\u001b[31mSkat', 'characters'],
  ...(spec.multiline ? [] : ([['a line break', 'Skat\nog moms', 'characters']] as [string, string, 'characters'][])),
  ...(spec.optional ? [] : ([['only spaces', '   ', 'blank']] as [string, string, 'blank'][])),
  ['one character too many', 'x'.repeat(spec.max + 1), 'tooLong'],
];

// A lone surrogate cannot reach a form: browsers send U+FFFD, and the body parser decodes bytes as UTF-8 the same
// way. The check is shared with JSON (test/input-hardening.test.ts), where it can.
const encode = (fields: [string, string][]) => new URLSearchParams(fields).toString();

async function post(spec: FormSpec, fields: [string, string][]) {
  const user = spec.user();
  const all: [string, string][] = [['_csrf', user.csrf], ...fields];
  const multipart = new FormData();
  for (const [k, v] of all) multipart.append(k, v);
  const response = await fetch(`${kuvert.url}${spec.path()}`, {
    method: 'POST',
    headers: {
      cookie: user.cookie,
      ...(spec.multipart ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
    },
    body: spec.multipart ? multipart : encode(all),
    redirect: 'manual',
  });
  return { status: response.status, text: visibleText(await response.text()) };
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
      const answer = await post(spec, spec.valid());
      assert.ok(answer.status < 400, `status ${answer.status}: ${answer.text.slice(0, 300)}`);
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
