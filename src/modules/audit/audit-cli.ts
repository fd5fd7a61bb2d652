import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { JSONWebKeySet } from 'jose';
import type { Db } from '../../db/database.ts';
import { publicEvidenceKeys, readKeySet } from './evidence-key.ts';
import { verifyAuditExport } from './export-audit.ts';
import { type AuditFinding, verifyAudit } from './verify-audit.ts';

export const auditUsage = `Usage:
  kuvert audit verify [--mailbox RECIPIENT_ID] [--keys JWKS_FILE]
  kuvert audit verify --file EXPORT.json [--keys JWKS_FILE]

Checks the audit log: every hourly checkpoint's signature and link, and every chain (or one mailbox's, "-" for
events about no mailbox) event by event against the checkpoints, in bounded memory. With --file it checks a signed
export downloaded from a mailbox's activity page, offline when --keys names a saved copy of
/.well-known/kuvert-evidence-keys.json (keys in the export itself are never trusted; without --keys the database's
published keys are used). Exit code 0 when intact, 1 when tampering is found, 2 for usage errors.
`;

export interface AuditArgs {
  command: 'verify';
  mailbox?: string;
  file?: string;
  keys?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Parses the words after `kuvert audit`; a string is a usage error. */
export function parseAuditArgs(argv: string[]): AuditArgs | string {
  let parsed: ReturnType<typeof parse>;
  const parse = (args: string[]) =>
    parseArgs({
      args,
      allowPositionals: true,
      options: { mailbox: { type: 'string' }, file: { type: 'string' }, keys: { type: 'string' } },
    });
  try {
    parsed = parse(argv);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const { positionals, values } = parsed;
  if (positionals[0] !== 'verify' || positionals.length > 1) return 'Say "kuvert audit verify".';
  if (values.mailbox !== undefined && values.mailbox !== '-' && !UUID.test(values.mailbox)) {
    return '--mailbox takes a recipient id (a UUID) or "-".';
  }
  if (values.mailbox !== undefined && values.file !== undefined) return 'Give --mailbox or --file, not both.';
  return { command: 'verify', mailbox: values.mailbox, file: values.file, keys: values.keys };
}

const describe = (f: AuditFinding) =>
  [
    `  ${f.kind}`,
    f.chain ? `chain ${f.chain}` : '',
    f.id ? `event ${f.id}` : '',
    f.checkpoint ? `checkpoint ${f.checkpoint}` : '',
    `— ${f.reason}`,
  ]
    .filter(Boolean)
    .join(' ');

/** Runs `kuvert audit verify`; `db` may be null when runsOffline(args). Returns the exit code (0, 1 or 2). */
export async function runAuditCommand(
  db: Db | null,
  args: AuditArgs,
  out: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
  const keys: JSONWebKeySet | string = args.keys
    ? await readKeySet(args.keys)
    : db
      ? await publicEvidenceKeys(db)
      : 'Give the published key set with --keys to check an export without a database.';
  if (typeof keys === 'string') {
    out(`kuvert audit: ${keys}\n`);
    return 2;
  }
  let findings: AuditFinding[];
  if (args.file) {
    let data: unknown;
    try {
      data = JSON.parse(await readFile(args.file, 'utf8'));
    } catch (error) {
      out(`kuvert audit: cannot read ${args.file}: ${(error as Error).message}\n`);
      return 2;
    }
    findings = await verifyAuditExport(data, keys);
    const events = Array.isArray((data as { events?: unknown[] })?.events)
      ? (data as { events: unknown[] }).events
      : [];
    if (!findings.length) out(`The export is intact: ${events.length} events, signed by Kuvert.\n`);
  } else {
    if (!db) return 2;
    const report = await verifyAudit(db, { mailbox: args.mailbox, keys });
    findings = report.findings;
    if (!findings.length) {
      out(
        `The audit log is intact: ${report.chains} chains, ${report.rows} events, ${report.checkpoints} checkpoints.\n`,
      );
    }
  }
  if (!findings.length) return 0;
  out(
    `Tampering found (${findings.length}${findings.length >= 100 ? '+' : ''}):\n${findings.map(describe).join('\n')}\n`,
  );
  return 1;
}
