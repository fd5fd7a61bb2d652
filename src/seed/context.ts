import type { Logger } from 'pino';
import type { DemoSenderKey } from '../modules/identity/index.ts';
import type { Services } from '../services.ts';

/** What module seeds get once the core demo data (senders, personas, letters) exists. */
export interface SeedContext {
  services: Services;
  logger: Logger;
  /** The moment the demo "happens"; date demo data relative to it. */
  anchor: Date;
  /** Demo sender ids by key. */
  senders: Record<DemoSenderKey, string>;
}
