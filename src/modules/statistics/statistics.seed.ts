import type { SeedContext } from '../../seed/context.ts';

/** The statistics module's demo data; runs once, after the core seed, and must be idempotent (a crashed seed re-runs). */
export async function seedStatisticsDemo(_ctx: SeedContext): Promise<void> {}
