/** The status module's tables (migration in src/db/migrations); merged into Database in src/db/schema.ts. */
// biome-ignore lint/complexity/noBannedTypes: filled in as the module grows
export type StatusTables = {};
