import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, citizen, getPage, postForm, senderStaff, visibleText } from '../../../test/support/correspondence.ts';
import { createSender } from '../../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';

let kuvert: TestKuvert;
let kk: Awaited<ReturnType<typeof createSender>>;
let other: Awaited<ReturnType<typeof createSender>>;

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  kk = await createSender(kuvert.services.db, 'Københavns Kommune');
  other = await createSender(kuvert.services.db, 'Skattestyrelsen');
});
after(async () => kuvert?.stop());

const borgerservice = {
  name: 'Borgerservice',
  description: 'Spørgsmål om pas, kørekort og flytning',
  maxAttachments: 3,
  maxTotalBytes: 10 * 1024 * 1024,
  allowedMediaTypes: ['application/pdf', 'image/jpeg'],
};

const countPoints = async () =>
  Number(
    (
      await kuvert.services.db
        .selectFrom('contact_point')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('contact points through the API', () => {
  test('a sender creates, lists, reads and changes its contact points; the changes are audited', async () => {
    const created = await api(kuvert, kk.apiKey, 'POST', '/api/v1/contact-points', borgerservice);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.headers.get('location'), `/api/v1/contact-points/${created.body.id}`);
    assert.equal(created.body.name, 'Borgerservice');
    assert.equal(created.body.active, true);
    assert.deepEqual(created.body.allowedMediaTypes, ['application/pdf', 'image/jpeg']);

    const list = await api(kuvert, kk.apiKey, 'GET', '/api/v1/contact-points');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.contactPoints.map((c: { name: string }) => c.name),
      ['Borgerservice'],
    );

    const changed = await api(kuvert, kk.apiKey, 'PATCH', `/api/v1/contact-points/${created.body.id}`, {
      active: false,
      maxAttachments: 0,
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.active, false);
    assert.equal(changed.body.maxAttachments, 0);
    assert.equal(changed.body.name, 'Borgerservice', 'fields left out stay');

    const one = await api(kuvert, kk.apiKey, 'GET', `/api/v1/contact-points/${created.body.id}`);
    assert.equal(one.body.active, false);

    const audits = await kuvert.services.db
      .selectFrom('audit_event')
      .select(['action', 'actor_kind', 'actor_id'])
      .where('subject_id', '=', created.body.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(audits, [
      { action: 'contact_point.create', actor_kind: 'sender_api', actor_id: kk.apiKeyId },
      { action: 'contact_point.update', actor_kind: 'sender_api', actor_id: kk.apiKeyId },
    ]);
  });

  test('another sender’s contact point is not found, and cannot be changed', async () => {
    const created = await api(kuvert, kk.apiKey, 'POST', '/api/v1/contact-points', {
      ...borgerservice,
      name: 'Byggesag',
    });
    const read = await api(kuvert, other.apiKey, 'GET', `/api/v1/contact-points/${created.body.id}`);
    assert.equal(read.status, 404);
    assert.equal(read.body.code, 'not_found');
    const patch = await api(kuvert, other.apiKey, 'PATCH', `/api/v1/contact-points/${created.body.id}`, {
      name: 'Mine',
    });
    assert.equal(patch.status, 404);
    const list = await api(kuvert, other.apiKey, 'GET', '/api/v1/contact-points');
    assert.deepEqual(list.body.contactPoints, []);
  });

  test('bad input is refused as problem+json naming the field, and nothing is created', async () => {
    const before = await countPoints();
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ ...borgerservice, maxAttachments: 50 }, 400, 'invalid_field', '/maxAttachments'],
      [{ ...borgerservice, allowedMediaTypes: ['application/zip'] }, 400, 'invalid_field', '/allowedMediaTypes/0'],
      [{ ...borgerservice, name: '   ' }, 400, 'name_required', '/name'],
      [{ ...borgerservice, allowedMediaTypes: [] }, 400, 'media_types_required', '/allowedMediaTypes'],
      [{ ...borgerservice, colour: 'red' }, 400, 'unknown_field', '/colour'],
      [{ ...borgerservice, maxTotalBytes: 500 * 1024 * 1024 }, 400, 'invalid_field', '/maxTotalBytes'],
    ];
    for (const [body, status, code, field] of cases) {
      const response = await api(kuvert, kk.apiKey, 'POST', '/api/v1/contact-points', body);
      assert.equal(response.status, status, JSON.stringify(response.body));
      assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal(response.body.code, code, JSON.stringify(response.body));
      assert.equal(response.body.errors?.[0]?.field, field, JSON.stringify(response.body));
    }
    const noKey = await fetch(`${kuvert.url}/api/v1/contact-points`);
    assert.equal(noKey.status, 401);
    assert.equal(await countPoints(), before);
  });
});

test('the OpenAPI document describes the contact point and inbound endpoints', async () => {
  const doc = (await (await fetch(`${kuvert.url}/api/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { tags?: string[] }>>;
  };
  assert.deepEqual(doc.paths['/api/v1/contact-points']?.post?.tags, ['contact points']);
  assert.ok(doc.paths['/api/v1/contact-points/{id}']?.patch);
  for (const path of ['/api/v1/inbound', '/api/v1/inbound/{id}', '/api/v1/inbound/{id}/attachments/{position}']) {
    assert.deepEqual(doc.paths[path]?.get?.tags, ['inbound'], path);
  }
  assert.ok(doc.paths['/api/v1/inbound/{id}/acknowledge']?.post);
  assert.equal(doc.paths['/post/{id}/svar'], undefined, 'pages are not in the API document');
});

describe('contact points in the sender portal', () => {
  test('sender staff create a contact point with the form; a mistake keeps what they typed and saves nothing', async () => {
    const lars = await senderStaff(kuvert, other.id, 'Lars Andersen');
    const empty = await getPage(kuvert, '/afsender/kontaktpunkter', lars);
    assert.equal(empty.status, 200);
    assert.match(empty.text, /I har ingen kontaktpunkter endnu/);
    assert.match(empty.text, /href="\/afsender\/henvendelser" aria-current="page"|href="\/afsender\/henvendelser"/);

    const before = await countPoints();
    const wrong = await postForm(kuvert, '/afsender/kontaktpunkter/ny', lars, [
      ['name', 'Skat – spørgsmål om forskudsopgørelse'],
      ['maxAttachments', '2'],
      ['maxTotalMb', 'ti'],
      ['types', 'application/pdf'],
      ['active', '1'],
    ]);
    assert.equal(wrong.status, 400);
    assert.match(wrong.text, /Skriv den samlede størrelse i MB/);
    assert.match(visibleText(wrong.text), /value="Skat – spørgsmål om forskudsopgørelse"/);
    assert.equal(await countPoints(), before, 'nothing saved');

    const saved = await postForm(kuvert, '/afsender/kontaktpunkter/ny', lars, [
      ['name', 'Skat – spørgsmål om forskudsopgørelse'],
      ['description', 'Skriv til os om din forskudsopgørelse'],
      ['maxAttachments', '2'],
      ['maxTotalMb', '5'],
      ['types', 'application/pdf'],
      ['types', 'image/png'],
      ['active', '1'],
    ]);
    assert.equal(saved.status, 303, saved.text.slice(0, 500));
    assert.equal(saved.headers.get('location'), '/afsender/kontaktpunkter?gemt=1');
    const row = await kuvert.services.db
      .selectFrom('contact_point')
      .selectAll()
      .where('sender_id', '=', other.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(row.max_total_bytes), 5 * 1024 * 1024);
    assert.deepEqual(row.allowed_media_types, ['application/pdf', 'image/png']);
    const audit = await kuvert.services.db
      .selectFrom('audit_event')
      .select(['actor_kind', 'actor_id'])
      .where('subject_id', '=', row.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(audit, { actor_kind: 'sender_staff', actor_id: lars.id });

    const list = await getPage(kuvert, '/afsender/kontaktpunkter?gemt=1', lars);
    assert.match(list.text, /Kontaktpunktet er gemt/);
    assert.match(visibleText(list.text), /Skat – spørgsmål om forskudsopgørelse/);

    // Deactivate: the checkbox left out.
    const edit = await getPage(kuvert, `/afsender/kontaktpunkter/${row.id}`, lars);
    assert.equal(edit.status, 200);
    const off = await postForm(kuvert, `/afsender/kontaktpunkter/${row.id}`, lars, [
      ['name', row.name],
      ['maxAttachments', '2'],
      ['maxTotalMb', '5'],
      ['types', 'application/pdf'],
    ]);
    assert.equal(off.status, 303);
    const after = await kuvert.services.db
      .selectFrom('contact_point')
      .select(['active', 'allowed_media_types'])
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(after, { active: false, allowed_media_types: ['application/pdf'] });
  });

  test('staff of another authority cannot see or change a contact point; citizens cannot use the portal', async () => {
    const created = await api(kuvert, kk.apiKey, 'POST', '/api/v1/contact-points', {
      ...borgerservice,
      name: 'Parkering',
    });
    const stranger = await senderStaff(kuvert, other.id, 'Ole Fremmed');
    assert.equal((await getPage(kuvert, `/afsender/kontaktpunkter/${created.body.id}`, stranger)).status, 404);
    const post = await postForm(kuvert, `/afsender/kontaktpunkter/${created.body.id}`, stranger, [
      ['name', 'Overtaget'],
      ['maxAttachments', '1'],
      ['maxTotalMb', '1'],
      ['types', 'application/pdf'],
    ]);
    assert.equal(post.status, 404);
    const still = await api(kuvert, kk.apiKey, 'GET', `/api/v1/contact-points/${created.body.id}`);
    assert.equal(still.body.name, 'Parkering');
    const anna = await citizen(kuvert, '1503851234', 'Anna Jensen');
    assert.equal((await getPage(kuvert, '/afsender/kontaktpunkter', anna)).status, 403);
  });
});
