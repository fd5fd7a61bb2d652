/**
 * Each table is written only by the module that owns it (docs/ARCHITECTURE.md, "Dependency order", table
 * ownership): the owner is the module whose `src/modules/<module>/*.tables.ts` declares the table; the tables that
 * `Database` declares itself (src/db/schema.ts: app_setting, the document store's) are the platform's, written by
 * code outside src/modules/ and by no module. This finds every
 * write outside its owner — Kysely's insertInto/updateTable/deleteFrom/mergeInto and raw SQL `insert into`, `update …
 * set`, `delete from`, `merge into`, `truncate` — and compares them with the baseline `.table-writes-known.json`.
 *   npx tsx scripts/table-writes.ts            check: fails on a write not in the baseline and on a stale entry
 *   npx tsx scripts/table-writes.ts --list     every write outside its owner, and the tables no module declares
 *   npx tsx scripts/table-writes.ts --baseline rewrite the baseline (shrink it after moving writes to their owner)
 * Not scanned: tests, migrations (they create the tables), the demo data (src/seed.ts, src/seed/ and `*.seed.ts`: it builds a
 * world across modules once, at the top of the dependency order).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TableWrite {
  file: string;
  table: string;
  owner: string | null;
}

const sourceFile = /\.tsx?$/;
const skipped = [
  /\.test\.tsx?$/,
  /\.d\.ts$/,
  /^src\/db\/migrations\//,
  /^src\/seed\//,
  /^src\/seed\.ts$/,
  /\.seed\.tsx?$/,
];

function walk(root: string, dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((entry) => {
    const rel = `${dir}/${entry}`;
    if (statSync(path.join(root, rel)).isDirectory()) return walk(root, rel);
    return sourceFile.test(entry) ? [rel] : [];
  });
}

/** Table name → owning module, from every `interface …Tables { table: …; }` in the modules' tables files. */
export function tableOwners(root: string): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of walk(root, 'src/modules').filter((f) => f.endsWith('.tables.ts'))) {
    const module = file.split('/')[2] as string;
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const block of text.matchAll(/(?:interface|type)\s+\w*Tables\b[^{]*\{([^}]*)\}/g)) {
      for (const key of (block[1] as string).matchAll(/^\s*([a-z_][a-z0-9_]*)\??\s*:/gm)) {
        owners.set(key[1] as string, module);
      }
    }
  }
  return owners;
}

/** Comments out: a doc comment that says "insert into x" is not a write. */
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

const writePatterns = [
  /\.(?:insertInto|updateTable|deleteFrom|mergeInto|replaceInto)\(\s*['"]([a-z_][a-z0-9_]*)['"]/g,
  /\binsert\s+into\s+([a-z_][a-z0-9_]*)/gi,
  /\bdelete\s+from\s+([a-z_][a-z0-9_]*)/gi,
  /\bmerge\s+into\s+([a-z_][a-z0-9_]*)/gi,
  /\btruncate\s+(?:table\s+)?([a-z_][a-z0-9_]*)/gi,
  // `update t set` or `update t alias set`, but not `on conflict … do update set` or `for update`.
  /(?<!\bdo\s+)(?<!\bfor\s+)\bupdate\s+([a-z_][a-z0-9_]*)(?:\s+(?:as\s+)?[a-z_][a-z0-9_]*)?\s+set\b/gi,
];

export function findTableWrites(root: string): TableWrite[] {
  const owners = tableOwners(root);
  const writes = new Map<string, TableWrite>();
  for (const file of walk(root, 'src')) {
    if (skipped.some((pattern) => pattern.test(file))) continue;
    const module = /^src\/modules\/([^/]+)\//.exec(file)?.[1] ?? null;
    const text = withoutComments(readFileSync(path.join(root, file), 'utf8'));
    for (const pattern of writePatterns) {
      for (const match of text.matchAll(pattern)) {
        const table = (match[1] as string).toLowerCase();
        if (table.startsWith('pg_') || table === 'graphile_worker' || table === 'set') continue;
        const owner = owners.get(table) ?? null;
        if (owner !== null && owner === module) continue;
        // Temporary staging tables are the writer's own; graphile_worker's tables belong to the job queue; the
        // platform's own tables (declared in Database itself, not by a module) are the platform's to write.
        if (owner === null && (module === null || !isKnownTable(root, table))) continue;
        writes.set(`${file} -> ${table}`, { file, table, owner });
      }
    }
  }
  return [...writes.values()].sort((a, b) => `${a.file} ${a.table}`.localeCompare(`${b.file} ${b.table}`));
}

let knownTables: Set<string> | undefined;
/** A table the merged Database type declares (so not a temporary staging table of one statement). */
function isKnownTable(root: string, table: string): boolean {
  if (!knownTables) {
    knownTables = new Set();
    const files = ['src/db/schema.ts', ...walk(root, 'src/modules').filter((f) => f.endsWith('.tables.ts'))];
    for (const file of files) {
      if (!existsSync(path.join(root, file))) continue;
      const text = readFileSync(path.join(root, file), 'utf8');
      for (const block of text.matchAll(/(?:interface|type)\s+(?:Database|\w*Tables)\b[^{]*\{([^}]*)\}/g)) {
        for (const key of (block[1] as string).matchAll(/^\s*([a-z_][a-z0-9_]*)\??\s*:/gm)) {
          knownTables.add(key[1] as string);
        }
      }
    }
  }
  return knownTables.has(table);
}

const describeWrite = (write: TableWrite) => `${write.file} -> ${write.table}`;
const BASELINE = '.table-writes-known.json';

function main() {
  const root = process.cwd();
  const writes = findTableWrites(root);
  const owners = tableOwners(root);
  if (process.argv.includes('--list')) {
    for (const write of writes) console.log(`${describeWrite(write)} (owner: ${write.owner ?? 'none declared'})`);
    const unowned = [...new Set(writes.filter((w) => w.owner === null).map((w) => w.table))].sort();
    console.log(
      `${writes.length} writes outside the owner; ${owners.size} owned tables; unowned: ${unowned.join(', ')}`,
    );
    return;
  }
  if (process.argv.includes('--baseline')) {
    writeFileSync(path.join(root, BASELINE), `${JSON.stringify(writes.map(describeWrite), null, 2)}\n`);
    console.log(`${BASELINE}: ${writes.length} known writes outside their owner`);
    return;
  }
  const known = new Set<string>(
    existsSync(path.join(root, BASELINE)) ? JSON.parse(readFileSync(path.join(root, BASELINE), 'utf8')) : [],
  );
  const found = new Set(writes.map(describeWrite));
  const added = [...found].filter((w) => !known.has(w));
  const stale = [...known].filter((w) => !found.has(w));
  for (const write of added) {
    const owner = writes.find((w) => describeWrite(w) === write)?.owner;
    console.error(
      `table-writes: ${write}: ${owner ? `the table is ${owner}'s` : 'no module declares this table'}; call the owner's use case`,
    );
  }
  for (const write of stale) console.error(`table-writes: ${write} is fixed: drop it from ${BASELINE} (--baseline)`);
  if (added.length || stale.length) process.exit(1);
  console.log(`✔ table writes: none new (${known.size} known writes outside their owner)`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
