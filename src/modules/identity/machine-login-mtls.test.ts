import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createPerson, createSender, letterBody } from '../../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { clientAssertion, newClientKey, requestToken, tokenForm } from '../../../test/support/machine-login.ts';
import { JWKS_COOLDOWN_MS } from './client-assertion.ts';
import { certificateThumbprint } from './client-certificate.ts';
import { registerSystemClient } from './system-clients.ts';
import { parseSystemsArgs, runSystemsCommand } from './systems-cli.ts';

const CPR = '1503851234';
const CLI = { actorKind: 'system' as const, actorId: 'test' };
const HEADER = 'x-ssl-client-cert';

let kuvert: TestKuvert;
let sender: Awaited<ReturnType<typeof createSender>>;
let audience: string;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kuvert-mtls-'));

/** A self-signed certificate made by openssl, as nginx would pass it: PEM, URL-encoded. */
function makeCertificate(name: string): { pem: string; header: string } {
  const pem = execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1'].concat([
      '-keyout',
      path.join(tmp, `${name}.key`),
      '-subj',
      `/CN=${name}`,
    ]),
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return { pem, header: encodeURIComponent(pem) };
}

before(async () => {
  kuvert = await startTestKuvert({
    worker: false,
    env: { TLS_CLIENT_CERT_HEADER: HEADER.toUpperCase(), KUVERT_RATE_LIMIT_OAUTH_TOKEN: '1000/min' },
  });
  sender = await createSender(kuvert.services.db, 'Certifikatkommune');
  await kuvert.services.db.updateTable('sender').set({ cvr: '29189846' }).where('id', '=', sender.id).execute();
  await createPerson(kuvert.services.db, CPR, 'Anna Jensen');
  audience = `${kuvert.services.config.publicUrl}/oauth/token`;
});
after(async () => {
  await kuvert?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

async function send(bearer: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(letterBody(CPR, { messageUuid: randomUUID() })),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('certificate-bound tokens (RFC 8705 behind a proxy)', () => {
  test('a client with a thumbprint needs its certificate for the token and for every call', async () => {
    const mine = makeCertificate('mine');
    const other = makeCertificate('other');
    const key = await newClientKey('EdDSA');
    const id = await registerSystemClient(kuvert.services, CLI, {
      name: 'Bundet system',
      owner: { senderId: sender.id },
      keys: { jwks: { keys: [key.jwk] } },
      scopes: ['messages:send'],
      certificateThumbprint: certificateThumbprint(mine.pem),
    });
    const without = await requestToken(kuvert.url, tokenForm(await clientAssertion(key, id, audience)));
    assert.equal(without.status, 401);
    assert.equal(without.body.error, 'invalid_client');
    const wrong = await requestToken(kuvert.url, tokenForm(await clientAssertion(key, id, audience)), {
      [HEADER]: other.header,
    });
    assert.equal(wrong.status, 401);
    const granted = await requestToken(kuvert.url, tokenForm(await clientAssertion(key, id, audience)), {
      [HEADER]: mine.header,
    });
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    const token = granted.body.access_token;
    assert.equal((await send(token)).status, 401);
    assert.equal((await send(token, { [HEADER]: other.header })).status, 401);
    assert.equal((await send(token, { [HEADER]: 'not a certificate' })).status, 401);
    assert.equal((await send(token, { [HEADER]: mine.header })).status, 201);
  });
});

describe('a JWKS URL', () => {
  let jwks: { keys: Record<string, unknown>[] } = { keys: [] };
  let server: Server;
  let fetches = 0;
  before(async () => {
    server = createServer((_request, response) => {
      fetches++;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('is fetched and cached; a rotated key is picked up and the dropped one refused', async () => {
    const first = await newClientKey('PS256');
    jwks = { keys: [first.jwk] };
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    const id = await registerSystemClient(kuvert.services, CLI, {
      name: 'Fjernnøgler',
      owner: { senderId: sender.id },
      keys: { jwksUrl: url },
      scopes: ['messages:send'],
    });
    assert.equal((await requestToken(kuvert.url, tokenForm(await clientAssertion(first, id, audience)))).status, 200);
    assert.equal((await requestToken(kuvert.url, tokenForm(await clientAssertion(first, id, audience)))).status, 200);
    assert.equal(fetches, 1, 'the JWKS is cached');
    // The client rotates: publishes the new key, drops the old one.
    const second = await newClientKey('ES256');
    jwks = { keys: [second.jwk] };
    await new Promise((resolve) => setTimeout(resolve, JWKS_COOLDOWN_MS + 200));
    const rotated = await requestToken(kuvert.url, tokenForm(await clientAssertion(second, id, audience)));
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    assert.equal(fetches, 2);
    assert.equal((await requestToken(kuvert.url, tokenForm(await clientAssertion(first, id, audience)))).status, 401);
  });
});

describe('kuvert systems', () => {
  test('parses its arguments and refuses bad ones', () => {
    assert.deepEqual(parseSystemsArgs(['list']), { command: 'list' });
    assert.deepEqual(parseSystemsArgs(['revoke', 'abc']), { command: 'revoke', id: 'abc' });
    const add = parseSystemsArgs([
      'add',
      '--sender-cvr',
      '1',
      '--name',
      'N',
      '--jwks-url',
      'https://x/j',
      '--scopes',
      'a, b',
      '--test',
    ]);
    assert.equal(typeof add, 'object');
    assert.deepEqual((add as any).scopes, ['a', 'b']);
    assert.equal((add as any).test, true);
    for (const bad of [
      ['add', '--name', 'N', '--jwks-url', 'https://x', '--scopes', 'a'],
      ['add', '--sender-cvr', '1', '--business-cvr', '2', '--name', 'N', '--jwks-url', 'u', '--scopes', 'a'],
      ['add', '--sender-cvr', '1', '--name', 'N', '--jwks', 'f', '--jwks-url', 'u', '--scopes', 'a'],
      ['revoke'],
      ['frobnicate'],
      ['list', '--bogus'],
    ]) {
      assert.equal(typeof parseSystemsArgs(bad), 'string', bad.join(' '));
    }
  });

  test('adds, lists and revokes a client by CVR, audited', async () => {
    const key = await newClientKey();
    const file = path.join(tmp, 'jwks.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, JSON.stringify(key.jwk)));
    let output = '';
    const out = { write: (text: string) => (output += text) };
    const args = parseSystemsArgs([
      'add',
      '--sender-cvr',
      '29189846',
      '--name',
      'ESDH',
      '--jwks',
      file,
      '--scopes',
      'messages:read',
    ]);
    assert.equal(typeof args, 'object');
    assert.equal(await runSystemsCommand(kuvert.services, args as any, out), 0);
    const id = output.trim();
    const token = await requestToken(kuvert.url, tokenForm(await clientAssertion(key, id, audience)));
    assert.equal(token.body.scope, 'messages:read');
    output = '';
    assert.equal(await runSystemsCommand(kuvert.services, { command: 'list' }, out), 0);
    assert.match(output, new RegExp(`${id}  ESDH .*\\[messages:read\\].*active`));
    assert.equal(await runSystemsCommand(kuvert.services, { command: 'revoke', id }, out), 0);
    assert.equal(await runSystemsCommand(kuvert.services, { command: 'revoke', id }, out), 1);
    assert.equal(await runSystemsCommand(kuvert.services, { command: 'revoke', id: 'not-an-id' }, out), 1);
    assert.match(output, /No active system client not-an-id/);
    const bad = parseSystemsArgs([
      'add',
      '--sender-cvr',
      '29189846',
      '--name',
      'X',
      '--jwks',
      file,
      '--scopes',
      'inbox:read',
    ]);
    assert.equal(await runSystemsCommand(kuvert.services, bad as any, out), 1);
    const actions = await kuvert.services.db
      .selectFrom('audit_event')
      .select('action')
      .where('subject_id', '=', id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      actions.map((a) => a.action),
      ['system_client.registered', 'system_client.token_issued', 'system_client.revoked'],
    );
  });
});
