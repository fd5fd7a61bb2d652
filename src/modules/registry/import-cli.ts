import type { Services } from '../../services.ts';
import { runBusinessImport } from './business-cli.ts';
import { type ImportArgs, runPopulationImport } from './population-cli.ts';

/** `kuvert import KIND FILE`: the population file or the business file; the exit code. */
export function runImport(services: Services, args: ImportArgs): Promise<number> {
  return args.kind === 'businesses' ? runBusinessImport(services, args) : runPopulationImport(services, args);
}
