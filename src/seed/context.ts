import type { Logger } from 'pino';
import type { Actor } from '../kernel/actor.ts';
import type { DemoSenderKey } from '../modules/identity/index.ts';
import type { recordRead } from '../modules/mailbox/index.ts';
import type { Services } from '../services.ts';

/** What module seeds get once the core demo data (senders, personas, letters) exists. */
export interface SeedContext {
  services: Services;
  logger: Logger;
  /** The moment the demo "happens"; date demo data relative to it. */
  anchor: Date;
  /** Demo sender ids by key. */
  senders: Record<DemoSenderKey, string>;
  /**
   * Opens a letter as a citizen would on the letter page (READ event, audit entry): the mailbox's use case, handed in
   * by src/seed.ts so that seeds of modules below the mailbox (access) can show a read without importing it.
   */
  openLetter: (actor: Extract<Actor, { kind: 'citizen' }>, letter: Parameters<typeof recordRead>[2]) => Promise<void>;
}
