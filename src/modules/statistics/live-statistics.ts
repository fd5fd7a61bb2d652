import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Lang } from '../../web/i18n.ts';
import type { Figure } from './figure.ts';
import { loadStatisticsFigures } from './statistics-figures.ts';
import { copenhagenDay, insertSnapshotFigures, notificationTableExists } from './take-snapshot.ts';

export interface LiveFigures {
  asOf: string;
  countedAt: Date;
  figures: Figure[];
}

class Rollback extends Error {}

const FRESH_MS = 60_000;
let cached: { at: number; byLang: Record<Lang, LiveFigures> } | null = null;
let running: Promise<Record<Lang, LiveFigures>> | null = null;

/**
 * Today's figures on demand: the nightly computation run inside a transaction that is rolled back, so nothing is
 * stored. One computation at a time, reused for a minute, however many people ask.
 */
export async function liveStatisticsFigures(db: Db, lang: Lang, now = new Date()): Promise<LiveFigures> {
  if (cached && Date.now() - cached.at < FRESH_MS) return cached.byLang[lang];
  running ??= computeLive(db, now).finally(() => {
    running = null;
  });
  const byLang = await running;
  cached = { at: Date.now(), byLang };
  return byLang[lang];
}

/** Forgets the cached live figures (tests). */
export function forgetLiveFigures(): void {
  cached = null;
}

async function computeLive(db: Db, now: Date): Promise<Record<Lang, LiveFigures>> {
  const asOf = copenhagenDay(now);
  const withNotifications = await notificationTableExists(db);
  let result: Record<Lang, LiveFigures> | null = null;
  try {
    await db.transaction().execute(async (trx) => {
      await sql`set local work_mem = '128MB'`.execute(trx);
      await sql`delete from stats_snapshot where as_of = ${asOf}::date and not demo`.execute(trx);
      const { rows } = await sql<{ id: string }>`
        insert into stats_snapshot (as_of, taken_at) values (${asOf}::date, ${now}) returning id`.execute(trx);
      await insertSnapshotFigures(trx, Number(rows[0]?.id), asOf, withNotifications);
      const [da, en] = await Promise.all([loadStatisticsFigures(trx, 'da'), loadStatisticsFigures(trx, 'en')]);
      result = {
        da: { asOf, countedAt: now, figures: da?.figures ?? [] },
        en: { asOf, countedAt: now, figures: en?.figures ?? [] },
      };
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  if (!result) throw new Error('live statistics: nothing computed');
  return result;
}
