import type { FastifyInstance } from 'fastify';
import type { CronItem, TaskList } from 'graphile-worker';
import type { ErrorCatalogue } from '../http/errors.ts';
import type { SeedContext } from '../seed/context.ts';
import type { Services } from '../services.ts';

/** A module's Fastify plugin: registered by the composition root (src/app.ts) with the services. */
export type ModulePlugin = (app: FastifyInstance, opts: { services: Services }) => Promise<void>;

/**
 * One module's seams, in one object: its manifest `src/modules/<module>/<module>.module.ts`. The composition root
 * iterates the list in src/modules/index.ts: src/app.ts registers the plugins, src/worker.ts merges the tasks
 * and cron entries, src/seed.ts runs the seeds. Every field but `name` is optional: a module has only the seams
 * it needs.
 *
 * The type seams are merged without the list, so that the wiring types do not import the modules' code: job
 * payloads by interface merging (each `<module>.jobs.ts` extends `JobPayloads` in src/jobs/queue.ts with
 * `declare module`); the tables (`<module>.tables.ts`, re-exported by the manifest) and config sections
 * (`<module>.config.ts`) are named by src/db/schema.ts and src/config.ts.
 */
export interface KuvertModule {
  /** The module's folder name under src/modules/. */
  name: string;
  /** Registered in list order, each with `{ services }`. */
  plugins?: readonly ModulePlugin[];
  /** Job handlers by name (`<module>.jobs.ts`); their payloads are in JobPayloads. */
  tasks?: (services: Services) => TaskList;
  /** Recurring jobs (UTC cron; see cronItems in src/worker.ts for the conventions). */
  cron?: readonly CronItem[];
  /**
   * The module's UI strings (`<module>.i18n.ts`), Danish first; English has the same keys. The translator
   * (src/web/i18n.ts) merges the string files by name, not from this list: strings are platform data (they import
   * nothing; rule `strings-are-data` in .dependency-cruiser.cjs), and `MessageKey` must know every key at type-check
   * time. A test checks that every manifest's strings are the translator's.
   */
  strings?: { da: Readonly<Record<string, string>>; en: Readonly<Record<string, string>> };
  /** The module's error codes with their Danish and English texts (`<module>.errors.ts`), registered at start. */
  errors?: ErrorCatalogue;
  /** Demo data (`<module>.seed.ts`), run after the core seed (see src/seed.ts for the order). */
  seed?: (context: SeedContext) => Promise<void>;
}
