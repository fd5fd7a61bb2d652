import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** data/municipalities.csv in the repository (shipped with the app; the running app never reads ../shared). */
const MUNICIPALITIES_CSV = fileURLToPath(new URL('../../data/municipalities.csv', import.meta.url));

export interface MunicipalityRow {
  code: string;
  name: string;
  region_code: string;
  region_name: string;
}

/** Parses data/municipalities.csv (kommunekode,navn,regionskode,region; UTF-8, no quoted fields). */
export function readMunicipalities(file = MUNICIPALITIES_CSV): MunicipalityRow[] {
  const lines = readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  const header = lines.shift()?.trim();
  if (header !== 'kommunekode,navn,regionskode,region') throw new Error(`${file}: unexpected header "${header}"`);
  return lines
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const [code, name, regionCode, regionName, ...rest] = line.split(',').map((f) => f.trim());
      if (!code || !name || !regionCode || !regionName || rest.length || !/^\d{3,4}$/.test(code)) {
        throw new Error(`${file}:${i + 2}: expected kommunekode,navn,regionskode,region`);
      }
      return { code: code.padStart(4, '0'), name, region_code: regionCode.padStart(4, '0'), region_name: regionName };
    });
}

/** Loads the 98 municipalities (reference data); existing rows are left alone. Returns how many were added. */
export async function loadMunicipalities(db: Kysely<Database>): Promise<number> {
  const rows = readMunicipalities();
  const result = await db
    .insertInto('municipality')
    .values(rows)
    .onConflict((oc) => oc.column('code').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}
