import { createHash } from 'node:crypto';

/**
 * A stable, valid UUID (version 5 layout) named by `name`, for a piece of demo data (a letter's messageUuid, a
 * reply), so a re-run of the seed finds it instead of creating it twice. The name says which demo it belongs to.
 */
export function demoUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex').slice(0, 32);
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  const h = `${hex.slice(0, 12)}5${hex.slice(13, 16)}${variant}${hex.slice(17)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
