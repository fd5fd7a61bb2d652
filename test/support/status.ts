import type { App } from '../../src/app.ts';
import type { Actor } from '../../src/kernel/actor.ts';
import { createSession } from '../../src/modules/identity/session.ts';
import type { Services } from '../../src/services.ts';
import type { TestDatabase } from './database.ts';
import { startTestKuvert } from './kuvert.ts';
import { freePort } from './ports.ts';

export interface StatusKuvert {
  services: Services;
  database: TestDatabase;
  app: App;
  url: string;
  stop(): Promise<void>;
}

/** A real Kuvert as test/support/kuvert.ts starts it, without a worker unless asked for. */
export async function startStatusKuvert(
  options: { env?: Record<string, string>; worker?: boolean } = {},
): Promise<StatusKuvert> {
  return startTestKuvert({ ...(options.env ? { env: options.env } : {}), worker: options.worker ?? false });
}

/** A free TCP port with nothing listening on it (for "unreachable" peers). */
export const closedPort = freePort;

let counter = 0;

/** An operator staff user with a live session: the cookie header and the session's CSRF token. */
export async function operatorSession(services: Services, name = 'Ole Kristensen') {
  const subject = `test-operator-${++counter}-${Date.now()}`;
  const staff = await services.db
    .insertInto('staff_user')
    .values({ subject, name, role: 'operator' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { staffId: staff.id, ...(await sessionFor(services, { kind: 'operator', subject, name, staffId: staff.id })) };
}

/** A session for any actor: the cookie header and the CSRF token. */
export async function sessionFor(services: Services, actor: Actor) {
  const { sessionId, csrfToken } = await createSession(services.db, actor, null);
  return { cookie: `kuvert_session=${sessionId}`, csrf: csrfToken };
}

/** Posts a form as a browser would (urlencoded; repeated keys for lists); does not follow redirects. */
export async function postForm(url: string, cookie: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  return fetch(url, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body,
    redirect: 'manual',
  });
}
