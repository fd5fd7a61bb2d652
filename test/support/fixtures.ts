import type { Db } from '../../src/db/database.ts';
import { loadMunicipalities } from '../../src/db/municipalities.ts';
import { createApiKey } from '../../src/modules/identity/api-keys.ts';
import { personas } from '../../src/modules/identity/personas.ts';
import type { MemoFile } from '../../src/modules/messages/memo/index.ts';

let counter = 0;

/** A sender with a live API key. */
export async function createSender(db: Db, name = `Testkommune ${++counter}`) {
  const sender = await db
    .insertInto('sender')
    .values({ name, kind: 'municipality' })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
  const key = await createApiKey(db, sender.id, 'test');
  return { ...sender, apiKey: key.key, apiKeyId: key.id };
}

/** A person with the given CPR number (valid by the date rules), enrolled unless told otherwise. */
export async function createPerson(
  db: Db,
  cpr: string,
  name = 'Test Testesen',
  enrolment: 'automatic' | 'voluntary' | 'exempted' | 'closed' | 'not_enrolled' = 'automatic',
) {
  return db
    .insertInto('recipient')
    .values({ kind: 'person', cpr, name, enrolment, exemption_ground: enrolment === 'exempted' ? 'other' : null })
    .returning(['id', 'name', 'cpr'])
    .executeTakeFirstOrThrow();
}

/** The smallest well-formed PDF (one empty page), for tests that need a real PDF file. */
export const tinyPdf = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

export function letterBody(cpr: string, overrides: Record<string, unknown> = {}) {
  return {
    recipient: { cpr },
    label: 'Afgørelse om boligstøtte',
    senderReference: 'SAG-2026-0001',
    documents: [
      {
        title: 'Afgørelse',
        filename: 'afgoerelse.pdf',
        mediaType: 'application/pdf',
        content: tinyPdf.toString('base64'),
      },
    ],
    ...overrides,
  };
}

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** Real content for each file of an official MeMo example, whose files all say "This is a test" whatever their type. */
export function realMemoFile(file: MemoFile): MemoFile {
  switch (file.encodingFormat) {
    case 'application/pdf':
      return { ...file, content: tinyPdf };
    case 'application/msword':
      return { ...file, encodingFormat: 'image/png', filename: 'oplysninger.png', content: PNG };
    case 'text/xml':
      return { ...file, encodingFormat: 'text/plain', filename: 'teknisk.txt' };
    default:
      return file;
  }
}

/** The demo caseworker, Sofie Madsen, as a staff user of her municipality (the municipalities loaded first). */
export async function addDemoCaseworker(db: Db): Promise<void> {
  const sofie = personas.find((p) => p.name === 'Sofie Madsen');
  if (sofie?.role !== 'caseworker') throw new Error('the demo caseworker is missing');
  await loadMunicipalities(db);
  await db
    .insertInto('staff_user')
    .values({ subject: sofie.subject, name: sofie.name, role: 'caseworker', municipality_code: sofie.municipalityCode })
    .execute();
}
