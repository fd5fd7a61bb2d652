import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { describe, test } from 'node:test';
import { citizen } from '../../test/support/correspondence.ts';
import { createSender } from '../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../test/support/kuvert.ts';
import { type App, createApp } from '../app.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { createServices } from '../services.ts';
import { loadRateLimitConfig, parseLimit } from './rate-limit.config.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A real HTTP request, from `from` (another loopback address stands for another client). */
function call(
  url: string,
  options: { method?: string; headers?: Record<string, string>; from?: string; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      localAddress: options.from ?? '127.0.0.1',
    });
    request.on('error', reject);
    request.on('response', async (response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of response) chunks.push(chunk as Buffer);
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() });
    });
    request.end(options.body);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function assertRateLimited(answer: Answer, kind: 'problem' | 'page') {
  assert.equal(answer.status, 429, answer.body.slice(0, 300));
  const retryAfter = Number(answer.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After: ${answer.headers['retry-after']}`);
  if (kind === 'problem') {
    assert.match(String(answer.headers['content-type']), /^application\/problem\+json/);
    const problem = JSON.parse(answer.body);
    assert.equal(problem.code, 'rate_limited');
    assert.equal(problem.status, 429);
  } else {
    assert.match(String(answer.headers['content-type']), /^text\/html/);
    assert.match(answer.body, /for mange forespørgsler/);
    assert.match(answer.body, /429 rate_limited/);
  }
}

async function withKuvert(env: Record<string, string>, run: (kuvert: TestKuvert) => Promise<void>) {
  const kuvert = await startTestKuvert({ worker: false, env });
  try {
    await run(kuvert);
  } finally {
    await kuvert.stop();
  }
}

describe('rate limits', () => {
  test('limits are read from KUVERT_RATE_LIMIT_*; a bad value stops start-up naming the variable', () => {
    assert.deepEqual(parseLimit('X', '20/min'), { max: 20, windowMs: 60_000 });
    assert.deepEqual(parseLimit('X', '30/10min'), { max: 30, windowMs: 600_000 });
    assert.deepEqual(parseLimit('X', '100/hour'), { max: 100, windowMs: 3_600_000 });
    assert.deepEqual(parseLimit('X', '5/s'), { max: 5, windowMs: 1000 });
    const config = loadRateLimitConfig({});
    assert.equal(config.enabled, true);
    assert.equal(config.store, 'memory');
    assert.deepEqual(config.limits.api, { max: 6000, windowMs: 60_000 });
    for (const [name, value] of [
      ['KUVERT_RATE_LIMIT_LOGIN', '20'],
      ['KUVERT_RATE_LIMIT_LOGIN', '0/min'],
      ['KUVERT_RATE_LIMIT_API', '10/fortnight'],
      ['KUVERT_RATE_LIMIT_STORE', 'redis'],
      ['KUVERT_RATE_LIMIT', 'yes'],
    ] as const) {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (error: unknown) => error instanceof ConfigError && error.variable === name,
        `${name}=${value}`,
      );
    }
  });

  test('login, the persona picker and the callback are limited per address; the window starts again', async () => {
    await withKuvert({ KUVERT_RATE_LIMIT_LOGIN: '3/5s' }, async (kuvert) => {
      for (let i = 0; i < 3; i++) assert.equal((await call(`${kuvert.url}/login`)).status, 303);
      const refused = await call(`${kuvert.url}/login`, { headers: { 'accept-language': 'da' } });
      assertRateLimited(refused, 'page');
      // Another client is not held back by it.
      assert.equal((await call(`${kuvert.url}/login`, { from: '127.0.0.2' })).status, 303);
      // Each step of the login counts on its own: the callback still answers (400: no login was started).
      assert.equal((await call(`${kuvert.url}/auth/callback`)).status, 400);
      for (let i = 0; i < 3; i++) assert.notEqual((await call(`${kuvert.url}/idp-login/unknown`)).status, 429);
      assertRateLimited(await call(`${kuvert.url}/idp-login/unknown`), 'page');
      await sleep(Number(refused.headers['retry-after']) * 1000 + 100);
      assert.equal((await call(`${kuvert.url}/login`)).status, 303, 'a new window');
    });
  });

  test('a valid API key is not slowed by refused keys from another address, which are limited', async () => {
    await withKuvert(
      { KUVERT_RATE_LIMIT_API_KEY_FAILURES: '3/min', KUVERT_RATE_LIMIT_API: '4/min' },
      async (kuvert) => {
        const sender = await createSender(kuvert.services.db);
        const status = (key: string, from: string) =>
          call(`${kuvert.url}/api/v1/messages/${randomUUID()}`, { headers: { authorization: `Bearer ${key}` }, from });
        const wrong = 'x'.repeat(40);
        for (let i = 0; i < 3; i++) assert.equal((await status(wrong, '127.0.0.2')).status, 401);
        assertRateLimited(await status(wrong, '127.0.0.2'), 'problem');
        assertRateLimited(await status(sender.apiKey, '127.0.0.2'), 'problem');
        // From its own address the good key works, up to its own limit per key.
        for (let i = 0; i < 4; i++) assert.equal((await status(sender.apiKey, '127.0.0.1')).status, 404);
        assertRateLimited(await status(sender.apiKey, '127.0.0.3'), 'problem');
        // Another sender's key has its own count.
        const other = await createSender(kuvert.services.db);
        assert.equal((await status(other.apiKey, '127.0.0.1')).status, 404);
      },
    );
  });

  test('a person may send only so many messages to authorities and replies', async () => {
    await withKuvert({ KUVERT_RATE_LIMIT_CITIZEN_WRITES: '2/hour' }, async (kuvert) => {
      const anna = await citizen(kuvert, '1503851234', 'Anna');
      const bo = await citizen(kuvert, '0101901235', 'Bo');
      const write = (who: { cookie: string; csrf: string }, path: string) =>
        call(`${kuvert.url}${path}`, {
          method: 'POST',
          headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: who.csrf, subject: 'Hej', body: 'Tekst' }).toString(),
        });
      assert.notEqual((await write(anna, `/post/skriv/${randomUUID()}`)).status, 429);
      assert.notEqual((await write(anna, `/post/${randomUUID()}/svar`)).status, 429);
      assertRateLimited(await write(anna, `/post/skriv/${randomUUID()}`), 'page');
      assert.notEqual((await write(bo, `/post/skriv/${randomUUID()}`)).status, 429, 'Bo has his own count');
    });
  });

  test('with the PostgreSQL store, two Kuvert nodes on one database share the count', async () => {
    const env = { KUVERT_RATE_LIMIT_STORE: 'postgres', KUVERT_RATE_LIMIT_LOGIN: '3/5s' };
    await withKuvert(env, async (kuvert) => {
      const config = loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'warn', PUBLIC_URL: kuvert.url });
      const services = createServices(config, kuvert.database.db, kuvert.database.pool);
      const second: App = await createApp(services, createLogger('warn', process.stderr));
      try {
        await second.listen({ port: 0, host: '127.0.0.1' });
        const secondUrl = `http://127.0.0.1:${(second.server.address() as { port: number }).port}`;
        assert.equal((await call(`${kuvert.url}/login`)).status, 303);
        assert.equal((await call(`${secondUrl}/login`)).status, 303);
        assert.equal((await call(`${kuvert.url}/login`)).status, 303);
        const refused = await call(`${secondUrl}/login`);
        assertRateLimited(refused, 'page');
        assertRateLimited(await call(`${kuvert.url}/login`), 'page');
        const rows = await kuvert.database.db
          .selectFrom('rate_limit_hit' as never)
          .select(['key' as never, 'count' as never])
          .execute();
        assert.equal(rows.length, 1, JSON.stringify(rows));
        await sleep(Number(refused.headers['retry-after']) * 1000 + 100);
        assert.equal((await call(`${secondUrl}/login`)).status, 303, 'a new window');
      } finally {
        await second.close();
        await services.notifications.close();
      }
    });
  });
});
