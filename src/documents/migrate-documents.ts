import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { type DocumentStore, sha256Hex } from './document-store.ts';
import { openDocumentStore } from './open-document-store.ts';

export type StoreKind = 'file' | 'postgres';

export interface DocumentsArgs {
  command: 'migrate';
  to: StoreKind;
}

export const documentsUsage = `Usage: kuvert documents migrate --to postgres|file

Copies every document of the other store into the named one (the file store is KUVERT_DATA_DIR/documents, the
postgres store the database's document_blob), checking each one's SHA-256 on the way, then checks that every document
a letter, reply or batch names is in the target. The source is left as it was. Safe to run again, and while Kuvert
runs: documents are content-addressed and never change, and a second run copies only what the first did not.

To move a running installation: run it once while Kuvert serves (the bulk), stop the nodes (or their intake), run it
again (only what arrived since), set KUVERT_DOCUMENT_STORE to the target on every node, start them.

Exit code 0: every document named is in the target; 1: some are missing or damaged (listed); 2: usage error.
`;

export function parseDocumentsArgs(argv: readonly string[]): DocumentsArgs | string {
  const [command, ...rest] = argv;
  if (command !== 'migrate') return command ? `Unknown documents command "${command}".` : 'Name a command: migrate.';
  let to: StoreKind | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = arg === '--to' ? rest[++i] : arg?.startsWith('--to=') ? arg.slice('--to='.length) : undefined;
    if (value === undefined) return `Unknown argument "${arg}".`;
    if (value !== 'file' && value !== 'postgres') return `--to takes file or postgres, not "${value}".`;
    to = value;
  }
  if (!to) return 'Name the target store: --to postgres or --to file.';
  return { command: 'migrate', to };
}

export interface MigrateOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface MigrateSummary {
  copied: number;
  present: number;
  damaged: string[];
  missing: string[];
}

const PROGRESS_EVERY = 1000;
const CHECK_PAGE = 1000;

/** `kuvert documents migrate --to KIND`: the whole copy and the check after it; the exit code. */
export async function runDocumentsCommand(
  services: { db: Db; config: Pick<Config, 'dataDir'> },
  args: DocumentsArgs,
  out: MigrateOutput,
): Promise<number> {
  const fromKind: StoreKind = args.to === 'postgres' ? 'file' : 'postgres';
  const from = openDocumentStore(fromKind, services.config.dataDir, services.db);
  const to = openDocumentStore(args.to, services.config.dataDir, services.db);
  out.stdout(`Copying documents from the ${fromKind} store to the ${args.to} store.\n`);
  const summary = await migrateDocuments(services.db, from, to, (s) =>
    out.stdout(`… ${s.copied} copied, ${s.present} already there\n`),
  );
  out.stdout(`${summary.copied} copied, ${summary.present} already there, ${summary.damaged.length} damaged.\n`);
  for (const sha of summary.damaged) out.stderr(`damaged in the ${fromKind} store (not copied): ${sha}\n`);
  for (const sha of summary.missing) out.stderr(`named by a document row but not in the ${args.to} store: ${sha}\n`);
  if (summary.damaged.length || summary.missing.length) {
    out.stderr(`${summary.missing.length} named documents are missing from the ${args.to} store.\n`);
    return 1;
  }
  out.stdout(`Every named document is in the ${args.to} store: set KUVERT_DOCUMENT_STORE=${args.to} on every node.\n`);
  return 0;
}

/**
 * Copies every document `from` holds that `to` does not, each checked against its name (its SHA-256) first, then lists
 * the documents a `document` row names that `to` still lacks. Bounded memory: one document at a time.
 */
export async function migrateDocuments(
  db: Db,
  from: DocumentStore,
  to: DocumentStore,
  progress: (summary: MigrateSummary) => void = () => {},
): Promise<MigrateSummary> {
  const summary: MigrateSummary = { copied: 0, present: 0, damaged: [], missing: [] };
  // A document put while this runs may be passed over: the check below finds it, and a second run copies it.
  for await (const sha256 of from.list()) {
    if (await to.has(sha256)) summary.present++;
    else {
      const bytes = await from.get(sha256);
      if (sha256Hex(bytes) !== sha256) summary.damaged.push(sha256);
      else {
        await to.put(bytes);
        summary.copied++;
      }
    }
    if ((summary.copied + summary.present) % PROGRESS_EVERY === 0) progress(summary);
  }
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('document')
      .select('sha256')
      .where('sha256', '>', after)
      .orderBy('sha256')
      .limit(CHECK_PAGE)
      .execute();
    for (const { sha256 } of rows) {
      const name = sha256.trim();
      if (!(await to.has(name))) summary.missing.push(name);
    }
    if (rows.length < CHECK_PAGE) break;
    after = (rows.at(-1) as { sha256: string }).sha256;
  }
  return summary;
}
