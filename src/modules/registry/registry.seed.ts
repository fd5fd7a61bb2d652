import { fileURLToPath } from 'node:url';
import type { SeedContext } from '../../seed/context.ts';
import { importBusinessFile } from './business-import.ts';

/** data/demo-businesses.csv: a few companies from a made-up CVR extract, one with P-units and one ceased. */
export const DEMO_BUSINESSES_CSV = fileURLToPath(new URL('../../../data/demo-businesses.csv', import.meta.url));

/** The demo's businesses, through the business import (a re-run finds the file imported and does nothing). */
export async function seedRegistry({ services, logger }: SeedContext): Promise<void> {
  const result = await importBusinessFile(services, {
    file: DEMO_BUSINESSES_CSV,
    retentionYears: services.config.registry.businessRetentionYears,
  });
  if (result.status === 'imported') logger.info({ businesses: result.counts }, 'demo businesses imported');
}
