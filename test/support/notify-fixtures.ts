import type { Db } from '../../src/db/database.ts';
import { deliverMessage } from '../../src/modules/messages/deliver-message.ts';
import { createPerson } from './fixtures.ts';
import { postLetter, type TestKuvert } from './kuvert.ts';

let serial = 0;

/** A fresh valid-looking CPR number (unique within the run). */
export function nextCpr(): string {
  serial++;
  const day = String(10 + (serial % 18)).padStart(2, '0');
  const month = String(1 + (Math.floor(serial / 18) % 12)).padStart(2, '0');
  return `${day}${month}80${String(1000 + (serial % 9000)).padStart(4, '0')}`;
}

/** A person with confirmed contact details (confirmed the day before `at`). */
export async function personWithContacts(
  db: Db,
  contacts: { email?: string; mobile?: string },
  at: Date,
  name = 'Test Testesen',
) {
  const person = await createPerson(db, nextCpr(), name);
  const confirmed = new Date(at.getTime() - 86_400_000);
  const ids: { email?: string; mobile?: string } = {};
  for (const kind of ['email', 'mobile'] as const) {
    const value = contacts[kind];
    if (!value) continue;
    const row = await db
      .insertInto('contact_detail')
      .values({
        recipient_id: person.id,
        kind,
        value,
        created_at: confirmed,
        confirmed_at: confirmed,
        last_confirmed_at: confirmed,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[kind] = row.id;
  }
  return { ...person, contactIds: ids };
}

/** Sends a letter through the API and routes it at `at` (the test drives the clock; no worker). */
export async function sendAndDeliver(
  kuvert: TestKuvert,
  apiKey: string,
  cpr: string,
  at: Date,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const id = await postLetter(kuvert, apiKey, cpr, overrides);
  await deliverMessage(kuvert.services, { messageId: id }, at);
  return id;
}

export const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);
export const days = (at: Date, n: number) => new Date(at.getTime() + n * 86_400_000);
