import type { Db } from '../../src/db/database.ts';
import type { Actor } from '../../src/kernel/actor.ts';
import { birthDateFromCpr } from '../../src/kernel/identifiers.ts';
import { createSession } from '../../src/modules/identity/session.ts';
import { deliverMessage } from '../../src/modules/messages/deliver-message.ts';
import { sendMessage } from '../../src/modules/messages/send-message.ts';
import type { Services } from '../../src/services.ts';
import { createSender } from './fixtures.ts';

export type Citizen = Extract<Actor, { kind: 'citizen' }>;

/** A person with a birth date from their CPR number, living in `municipalityCode` (municipalities must be loaded). */
export async function createResident(db: Db, cpr: string, name: string, municipalityCode = '0101'): Promise<Citizen> {
  const row = await db
    .insertInto('recipient')
    .values({
      kind: 'person',
      cpr,
      name,
      birth_date: birthDateFromCpr(cpr),
      municipality_code: municipalityCode,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { kind: 'citizen', subject: `test-${cpr}`, name, recipientId: row.id };
}

export async function createBusiness(db: Db, cvr: string, name: string): Promise<string> {
  const row = await db
    .insertInto('recipient')
    .values({ kind: 'business', cvr, name, municipality_code: '0101' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A valid CPR number of someone who is `years` old (and ten days) at `now`. */
export function cprAged(years: number, now: Date, serial = '4321'): string {
  const birth = new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate() - 10));
  const dd = String(birth.getUTCDate()).padStart(2, '0');
  const mm = String(birth.getUTCMonth() + 1).padStart(2, '0');
  const yy = String(birth.getUTCFullYear() % 100).padStart(2, '0');
  // 7th digit 4: born 2000–2036 (or 1937–1999 for yy > 36), by the CPR century rules.
  const century = birth.getUTCFullYear() >= 2000 ? '4' : '0';
  return `${dd}${mm}${yy}${century}${serial.slice(1)}`;
}

/** A session for `actor`: the Cookie header and the session's CSRF token. */
export async function sessionFor(db: Db, actor: Actor): Promise<{ cookie: string; csrf: string }> {
  const { sessionId, csrfToken } = await createSession(db, actor, null);
  return { cookie: `kuvert_session=${sessionId}`, csrf: csrfToken };
}

/** A delivered letter in `recipientId`'s mailbox, through the real sending use case. */
export async function deliverLetter(
  services: Services,
  recipient: { cpr: string } | { cvr: string },
  label: string,
): Promise<string> {
  const sender = await createSender(services.db);
  const result = await sendMessage(
    services,
    { senderId: sender.id, apiKeyId: sender.apiKeyId },
    {
      recipient,
      label,
      documents: [
        {
          title: `Dokument til ${label}`,
          filename: 'brev.txt',
          mediaType: 'text/plain',
          content: Buffer.from(`Indhold af ${label}`, 'utf8').toString('base64'),
        },
      ],
    },
  );
  await deliverMessage(services, { messageId: result.id });
  return result.id;
}

export interface Page {
  status: number;
  headers: Headers;
  text: string;
}

export async function getPage(base: string, path: string, cookie?: string): Promise<Page> {
  const response = await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

export async function postForm(
  base: string,
  path: string,
  cookie: string,
  form: Record<string, string>,
): Promise<Page> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
