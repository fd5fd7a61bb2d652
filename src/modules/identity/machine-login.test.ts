import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { createBusiness } from '../../../test/support/access.ts';
import { createPerson, createSender, letterBody } from '../../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import {
  clientAssertion,
  issueTestToken,
  newClientKey,
  requestToken,
  tokenForm,
} from '../../../test/support/machine-login.ts';
import { registerSystemClient, replaceKeys, revokeSystemClient } from './system-clients.ts';

const CPR = '1503851234';
const CLI = { actorKind: 'system' as const, actorId: 'test' };

let kuvert: TestKuvert;
let sender: Awaited<ReturnType<typeof createSender>>;
let audience: string;

before(async () => {
  kuvert = await startTestKuvert({ worker: false, env: { KUVERT_RATE_LIMIT_OAUTH_TOKEN: '1000/min' } });
  sender = await createSender(kuvert.services.db, 'Maskinkommune');
  await createPerson(kuvert.services.db, CPR, 'Anna Jensen');
  audience = `${kuvert.services.config.publicUrl}/oauth/token`;
});
after(async () => kuvert?.stop());

async function senderClient(scopes = ['messages:send', 'messages:read']) {
  const key = await newClientKey();
  const id = await registerSystemClient(kuvert.services, CLI, {
    name: 'Sagssystem',
    owner: { senderId: sender.id },
    keys: { jwks: { keys: [key.jwk] } },
    scopes,
  });
  return { key, id };
}

async function send(bearer: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(letterBody(CPR, { messageUuid: randomUUID() })),
  });
  return { status: response.status, body: (await response.json()) as any, headers: response.headers };
}

describe('the token endpoint', () => {
  test('issues a token for a valid assertion; it sends a letter, and both are audited as the system client', async () => {
    const { key, id } = await senderClient();
    const answer = await requestToken(kuvert.url, tokenForm(await clientAssertion(key, id, audience), 'messages:send'));
    assert.equal(answer.status, 200);
    assert.equal(answer.body.token_type, 'Bearer');
    assert.equal(answer.body.expires_in, 600);
    assert.equal(answer.body.scope, 'messages:send');
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    const sent = await send(answer.body.access_token);
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const audit = await kuvert.services.db
      .selectFrom('audit_event')
      .select(['action', 'actor_kind'])
      .where('actor_id', '=', id)
      .execute();
    assert.ok(audit.some((a) => a.action === 'system_client.token_issued' && a.actor_kind === 'system_client'));
    assert.ok(audit.some((a) => a.action !== 'system_client.token_issued' && a.actor_kind === 'system_client'));
  });

  test('the issuer URL is an accepted audience too; without scope, all the client may have is granted', async () => {
    const { key, id } = await senderClient();
    const answer = await requestToken(
      kuvert.url,
      tokenForm(await clientAssertion(key, id, kuvert.services.config.publicUrl)),
    );
    assert.equal(answer.status, 200);
    assert.equal(answer.body.scope, 'messages:send messages:read');
  });

  const refusals: [string, (a: { key: any; id: string }) => Promise<string>][] = [
    ['a wrong audience', ({ key, id }) => clientAssertion(key, id, 'https://elsewhere.example/oauth/token')],
    ['an expired assertion', ({ key, id }) => clientAssertion(key, id, audience, { iat: -400, exp: -100 })],
    ['an assertion living too long', ({ key, id }) => clientAssertion(key, id, audience, { exp: 600 })],
    [
      'an iat in the future beyond the skew',
      ({ key, id }) => clientAssertion(key, id, audience, { iat: 120, exp: 200 }),
    ],
    ['iss not the client', ({ key, id }) => clientAssertion(key, id, audience, { claims: { iss: randomUUID() } })],
    ['a key not registered', async ({ id }) => clientAssertion(await newClientKey(), id, audience)],
    [
      'a symmetric algorithm',
      ({ id }) =>
        new SignJWT({ jti: randomUUID() })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(id)
          .setSubject(id)
          .setAudience(audience)
          .setIssuedAt()
          .setExpirationTime('1m')
          .sign(new Uint8Array(32)),
    ],
  ];
  for (const [what, make] of refusals) {
    test(`refuses ${what} as invalid_client 401 (OAuth JSON, not problem+json)`, async () => {
      const client = await senderClient();
      const answer = await requestToken(kuvert.url, tokenForm(await make(client)));
      assert.equal(answer.status, 401, JSON.stringify(answer.body));
      assert.equal(answer.body.error, 'invalid_client');
      assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
    });
  }

  test('tolerates an iat within the clock skew', async () => {
    const { key, id } = await senderClient();
    const answer = await requestToken(
      kuvert.url,
      tokenForm(await clientAssertion(key, id, audience, { iat: 30, exp: 90 })),
    );
    assert.equal(answer.status, 200);
  });

  test('refuses a replayed jti, but a refused request does not burn it', async () => {
    const { key, id } = await senderClient();
    const jti = randomUUID();
    const badScope = await requestToken(
      kuvert.url,
      tokenForm(await clientAssertion(key, id, audience, { jti }), 'inbox:read'),
    );
    assert.equal(badScope.status, 400);
    assert.equal(badScope.body.error, 'invalid_scope');
    const first = await requestToken(kuvert.url, tokenForm(await clientAssertion(key, id, audience, { jti })));
    assert.equal(first.status, 200);
    const again = await requestToken(kuvert.url, tokenForm(await clientAssertion(key, id, audience, { jti })));
    assert.equal(again.status, 401);
    assert.match(again.body.error_description, /jti/);
  });

  test('refuses an unknown client, a wrong grant type and a missing assertion', async () => {
    const key = await newClientKey();
    const unknown = await requestToken(kuvert.url, tokenForm(await clientAssertion(key, randomUUID(), audience)));
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error, 'invalid_client');
    const grant = await requestToken(kuvert.url, { grant_type: 'password', username: 'x', password: 'y' });
    assert.equal(grant.status, 400);
    assert.equal(grant.body.error, 'unsupported_grant_type');
    const bare = await requestToken(kuvert.url, { grant_type: 'client_credentials' });
    assert.equal(bare.status, 401);
    assert.equal(bare.body.error, 'invalid_client');
  });
});

describe('using access tokens', () => {
  test('a revoked client gets no token, and its issued tokens stop working at once', async () => {
    const { key, id } = await senderClient();
    const { body } = await requestToken(kuvert.url, tokenForm(await clientAssertion(key, id, audience)));
    assert.equal((await send(body.access_token)).status, 201);
    assert.equal(await revokeSystemClient(kuvert.services, CLI, id), true);
    const refused = await send(body.access_token);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 'invalid_access_token');
    const again = await requestToken(kuvert.url, tokenForm(await clientAssertion(key, id, audience)));
    assert.equal(again.status, 401);
  });

  test('a token with too few scopes is 403 insufficient_scope', async () => {
    const { accessToken } = await issueTestToken(kuvert, { senderId: sender.id, scopes: ['messages:read'] });
    const refused = await send(accessToken);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'insufficient_scope');
    assert.match(refused.headers.get('www-authenticate') ?? '', /error="insufficient_scope", scope="messages:send"/);
    const reach = await fetch(`${kuvert.url}/api/v1/recipients/reachability`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ recipients: [{ cpr: CPR }] }),
    });
    assert.equal(reach.status, 403);
  });

  test('a batch submitted with a token is accepted and audited as the system client', async () => {
    const { accessToken, clientId } = await issueTestToken(kuvert, {
      senderId: sender.id,
      scopes: ['messages:send', 'messages:read'],
    });
    const response = await fetch(`${kuvert.url}/api/v1/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/x-ndjson' },
      body: `${JSON.stringify(letterBody(CPR, { messageUuid: randomUUID() }))}\n`,
    });
    const body = (await response.json()) as any;
    assert.equal(response.status, 202, JSON.stringify(body));
    const batch = await kuvert.services.db
      .selectFrom('batch')
      .select(['api_key_id', 'staff_user_id'])
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(batch, { api_key_id: null, staff_user_id: null });
    const audit = await kuvert.services.db
      .selectFrom('audit_event')
      .select(['actor_kind', 'actor_id'])
      .where('subject_id', '=', body.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(audit, { actor_kind: 'system_client', actor_id: clientId });
  });

  test('API keys still work, with every sender scope; a bad bearer is 401', async () => {
    assert.equal((await send(sender.apiKey)).status, 201);
    assert.equal((await send('kvt_nonsense')).status, 401);
    assert.equal((await send('kuv_000000000000_nonsensenonsensenonsense')).status, 401);
  });

  test('a business system gets inbox scopes only, and cannot call the sender API', async () => {
    const business = await createBusiness(kuvert.services.db, '12345678', 'Maskine ApS');
    const key = await newClientKey();
    await assert.rejects(
      registerSystemClient(kuvert.services, CLI, {
        name: 'ERP',
        owner: { businessRecipientId: business },
        keys: { jwks: { keys: [key.jwk] } },
        scopes: ['inbox:read', 'messages:send'],
      }),
      /Scopes for this kind of system/,
    );
    const { accessToken, scope } = await issueTestToken(kuvert, { businessId: business, scopes: ['inbox:read'] });
    assert.equal(scope, 'inbox:read');
    const refused = await send(accessToken);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'insufficient_scope');
  });
});

describe('key rotation', () => {
  test('an operator replaces the inline JWKS: the old key is refused, the new one accepted', async () => {
    const { key: old, id } = await senderClient();
    assert.equal((await requestToken(kuvert.url, tokenForm(await clientAssertion(old, id, audience)))).status, 200);
    const fresh = await newClientKey('RS256');
    assert.equal(await replaceKeys(kuvert.services, CLI, id, { jwks: { keys: [fresh.jwk] } }), true);
    assert.equal((await requestToken(kuvert.url, tokenForm(await clientAssertion(old, id, audience)))).status, 401);
    assert.equal((await requestToken(kuvert.url, tokenForm(await clientAssertion(fresh, id, audience)))).status, 200);
  });
});

describe('the OpenAPI document', () => {
  test('describes the token endpoint, the OAuth2 scheme with its scopes, and the scope of each sender route', async () => {
    const doc = (await (await fetch(`${kuvert.url}/api/openapi.json`)).json()) as any;
    const scheme = doc.components.securitySchemes.machineLogin;
    assert.equal(scheme.type, 'oauth2');
    assert.equal(scheme.flows.clientCredentials.tokenUrl, audience);
    assert.ok(scheme.flows.clientCredentials.scopes['messages:send']);
    assert.ok(doc.paths['/oauth/token'].post.requestBody.content['application/x-www-form-urlencoded']);
    assert.deepEqual(doc.paths['/api/v1/messages/plan'].post.security, [
      { apiKey: [] },
      { machineLogin: ['messages:send', 'recipients:reachability'] },
    ]);
    assert.deepEqual(doc.paths['/api/v1/messages'].post.security, [
      { apiKey: [] },
      { machineLogin: ['messages:send'] },
    ]);
    for (const [route, methods] of Object.entries<any>(doc.paths)) {
      if (!route.startsWith('/api/v1/')) continue;
      for (const [method, operation] of Object.entries<any>(methods)) {
        // The sender API (API keys); the print provider and the statistics scorecard have tokens of their own.
        if (!operation.security?.some((s: any) => s.apiKey)) continue;
        const oauth = operation.security?.find((s: any) => s.machineLogin);
        // One scope, or (a dry run, which also tells reachability) every scope the route needs, each a known one.
        assert.ok(oauth?.machineLogin.length >= 1, `${method} ${route} names its scope`);
        for (const scope of oauth.machineLogin) assert.ok(scheme.flows.clientCredentials.scopes[scope], scope);
      }
    }
  });
});
