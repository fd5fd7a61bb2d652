import type { Logger } from 'pino';
import type { Services } from '../services.ts';

/** Seeds the demo data once, on an empty database (placeholder; replaced by the seed work). */
export async function seedDemoData(_services: Services, _logger: Logger): Promise<void> {}
