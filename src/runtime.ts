import type { Logger } from 'pino';
import { type App, createApp } from './app.ts';
import type { Config } from './config.ts';
import { type Db, openDatabase } from './db/database.ts';
import { type EmbeddedDatabase, lockDataDir, startEmbeddedPostgres } from './db/embedded.ts';
import { migrate } from './db/migrate.ts';
import { drainAndClose } from './http/drain.ts';
import { stopMemoValidator } from './modules/messages/index.ts';
import { seedDemoData } from './seed.ts';
import { createServices, type Services } from './services.ts';
import { startWorker, type Worker } from './worker.ts';

export interface Running {
  services: Services;
  app?: App;
  worker?: Worker;
  url?: string;
  /** The demo API key this start generated (shown once), if it did. */
  generatedApiKey?: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  server: boolean;
  worker: boolean;
  seed: boolean;
}

/** Opens the database (the embedded one when DATABASE_URL is unset), migrates, seeds, and starts the roles asked for. */
export async function startKuvert(config: Config, logger: Logger, options: StartOptions): Promise<Running> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.error({ err: error }, 'error during shutdown');
      }
    }
    cleanups.length = 0;
  };
  // Last of all (cleanups run in reverse): the MeMo validator thread, which the server and the worker both use.
  cleanups.push(() => stopMemoValidator());
  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      cleanups.push(lockDataDir(config.dataDir));
      logger.info({ dataDir: config.dataDir }, 'Starting PostgreSQL…');
      const embedded: EmbeddedDatabase = await startEmbeddedPostgres(config.dataDir, {
        port: config.embeddedPgPort,
        log: (line) => logger.debug({ postgres: line }),
      });
      cleanups.push(() => embedded.stop());
      databaseUrl = embedded.url;
    }
    const { db, pool } = openDatabase(databaseUrl, 20);
    cleanups.push(async () => {
      await db.destroy();
      if (options.server || options.worker) logger.info('database pool closed');
    });
    logger.info('Migrating…');
    const applied = await migrate(db, pool);
    if (applied.length) {
      logger.debug({ migrations: applied }, 'migrations applied');
      logger.info(
        { count: applied.length, latest: applied.at(-1) },
        `${applied.length} migration${applied.length === 1 ? '' : 's'} applied`,
      );
    }
    const services = createServices(config, db, pool);
    cleanups.push(() => services.reads.close());
    // Closed after the worker and server have stopped (cleanups run in reverse): the SMTP pool and SMPP binds.
    cleanups.push(() => services.notifications.close());
    cleanups.push(() => services.pageImages.stop());
    const seeded = options.seed && config.seedDemoData ? await seedDemoData(services, logger) : null;

    const running: Running = { services, stop: stopAll };
    if (seeded?.generatedApiKey) running.generatedApiKey = seeded.generatedApiKey;
    if (options.worker) {
      running.worker = await startWorker(services, logger);
      const worker = running.worker;
      cleanups.push(async () => {
        logger.info('stopping the job worker: jobs in progress finish, no new ones are taken');
        await worker.stop();
        logger.info('job worker stopped');
      });
    }
    if (options.server) {
      const app = await createApp(services, logger);
      // First to stop (cleanups run in reverse): drain, then close, before the worker and the pool.
      cleanups.push(() => drainAndClose(app, { ...config.shutdown, logger }));
      await app.listen({ port: config.port, host: config.host });
      running.app = app;
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      running.url = `http://localhost:${port}`;
    }
    return running;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export type { Db };
