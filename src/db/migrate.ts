import { runMigrations as runWorkerMigrations } from 'graphile-worker';
import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type pg from 'pg';
import type { Db } from './database.ts';
import * as foundation from './migrations/2026-11-24-0001-foundation.ts';
import * as registry from './migrations/2026-11-24-0002-registry.ts';
import * as eventFeed from './migrations/2026-11-24-0006-event-feed.ts';

// Listed explicitly (not read from the folder) so migrations work the same from source and from a bundle.
const migrations: Record<string, Migration> = {
  '2026-11-24-0001-foundation': foundation,
  '2026-11-24-0002-registry': registry,
  '2026-11-24-0006-event-feed': eventFeed,
};

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/** Applies Kuvert's migrations and graphile-worker's own schema; safe to run concurrently and repeatedly. */
export async function migrate(db: Db, pool: pg.Pool): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${(error as Error).message ?? error}`);
  }
  await runWorkerMigrations({ pgPool: pool });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
