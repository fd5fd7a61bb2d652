import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPrintLetter, type PrintTestContext, startPrintServices } from '../../../test/support/print.ts';
import { type App, createApp } from '../../app.ts';
import { createLogger } from '../../logger.ts';
import { buildPrintBatches } from './build-print-batch.ts';
import { printPlugin } from './print.routes.ts';

const TOKEN = 'print-provider-token-0123456789-abcdefghij';

/** The real app, with the print routes (registered here until src/app.ts does it). */
async function printApp(ctx: PrintTestContext): Promise<App> {
  const app = await createApp(ctx.services, createLogger('warn', process.stderr));
  if (!app.hasRoute({ method: 'POST', url: '/api/v1/print/batches/:id/confirmation' })) {
    await app.register(printPlugin, { services: ctx.services });
  }
  await app.ready();
  return app;
}

describe('the print provider API', () => {
  let ctx: PrintTestContext;
  let app: App;
  before(async () => {
    ctx = await startPrintServices({ KUVERT_PRINT_PROVIDER_TOKEN: TOKEN });
    app = await printApp(ctx);
  });
  after(async () => {
    await app?.close();
    await ctx?.stop();
  });
  const auth = { authorization: `Bearer ${TOKEN}` };

  test('a wrong or missing token is refused with 401', async () => {
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}x` }, { authorization: TOKEN }]) {
      const list = await app.inject({ method: 'GET', url: '/api/v1/print/batches?state=ready', headers });
      assert.equal(list.statusCode, 401);
      assert.match(String(list.headers['content-type']), /application\/problem\+json/);
      assert.equal(list.json().code, 'invalid_print_provider_token');
      const confirm = await app.inject({
        method: 'POST',
        url: '/api/v1/print/batches/6f1c0b9e-8a0e-4d4c-9a55-3b1f0c2d7e11/confirmation',
        headers,
      });
      assert.equal(confirm.statusCode, 401);
    }
  });

  test('the provider lists ready batches and confirms one; confirming again is harmless', async () => {
    const letter = await createPrintLetter(ctx.services, {
      documents: [{ title: 'Brev', mediaType: 'text/plain', bytes: Buffer.from('Kære modtager, æøå.') }],
    });
    const [batch] = (await buildPrintBatches(ctx.services)).batches;
    assert.ok(batch);

    const ready = await app.inject({ method: 'GET', url: '/api/v1/print/batches?state=ready', headers: auth });
    assert.equal(ready.statusCode, 200);
    const listed = ready.json().batches.find((b: any) => b.id === batch.id);
    assert.equal(listed.state, 'ready');
    assert.equal(listed.letters, 1);
    assert.equal(listed.folder, `print/outbox/${batch.id}`);

    const url = `/api/v1/print/batches/${batch.id}/confirmation`;
    const first = await app.inject({ method: 'POST', url, headers: auth });
    assert.equal(first.statusCode, 200);
    assert.equal(first.json().newlySent, 1);
    const second = await app.inject({ method: 'POST', url, headers: auth });
    assert.equal(second.statusCode, 200);
    assert.equal(second.json().newlySent, 0);
    assert.equal(second.json().confirmedAt, first.json().confirmedAt);
    const events = await ctx.services.db
      .selectFrom('message_event_expanded')
      .select('type')
      .where('message_id', '=', letter.id)
      .where('type', '=', 'PHYSICAL_LETTER_SENT')
      .execute();
    assert.equal(events.length, 1);

    const readyAfter = await app.inject({ method: 'GET', url: '/api/v1/print/batches', headers: auth });
    assert.ok(!readyAfter.json().batches.some((b: any) => b.id === batch.id), 'no longer ready');
    const confirmed = await app.inject({ method: 'GET', url: '/api/v1/print/batches?state=confirmed', headers: auth });
    assert.ok(confirmed.json().batches.some((b: any) => b.id === batch.id && b.confirmedAt));
  });

  test('an unknown batch is 404 problem+json', async () => {
    for (const id of ['6f1c0b9e-8a0e-4d4c-9a55-3b1f0c2d7e11', 'nope']) {
      const res = await app.inject({ method: 'POST', url: `/api/v1/print/batches/${id}/confirmation`, headers: auth });
      assert.equal(res.statusCode, 404);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      assert.equal(res.json().code, 'print_batch_not_found');
    }
  });

  test('the print routes are in the OpenAPI document, under the print provider token alone', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.deepEqual(doc.paths['/api/v1/print/batches'].get.security, [{ printProviderToken: [] }]);
    assert.deepEqual(doc.paths['/api/v1/print/batches/{id}/confirmation'].post.security, [{ printProviderToken: [] }]);
    assert.equal(doc.components.securitySchemes.printProviderToken.scheme, 'bearer');
  });

  test('a bad state filter is 400', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/print/batches?state=building', headers: auth });
    assert.equal(res.statusCode, 400);
  });
});

describe('without a print provider token configured', () => {
  let ctx: PrintTestContext;
  let app: App;
  before(async () => {
    ctx = await startPrintServices();
    app = await printApp(ctx);
  });
  after(async () => {
    await app?.close();
    await ctx?.stop();
  });

  test('the print provider API answers 404, whatever the token', async () => {
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }]) {
      const list = await app.inject({ method: 'GET', url: '/api/v1/print/batches?state=ready', headers });
      assert.equal(list.statusCode, 404);
      assert.match(String(list.headers['content-type']), /application\/problem\+json/);
      const confirm = await app.inject({
        method: 'POST',
        url: '/api/v1/print/batches/6f1c0b9e-8a0e-4d4c-9a55-3b1f0c2d7e11/confirmation',
        headers,
      });
      assert.equal(confirm.statusCode, 404);
    }
  });
});
