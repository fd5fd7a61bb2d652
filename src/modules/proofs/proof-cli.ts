import { readFile } from 'node:fs/promises';
import type { JSONWebKeySet } from 'jose';
import { verifyProofFile } from './verify-proof.ts';

export const proofUsage = `Usage: kuvert proof verify FILE [--keys JWKS.json] [--json]

Checks a proof downloaded from Kuvert (a PDF with its signature inside) offline: the signature must be made by one
of Kuvert's evidence keys and cover this very file.
  --keys FILE   the published key set (/.well-known/kuvert-evidence-keys.json, saved); no database is needed.
                Without it the keys are read from Kuvert's database (DATABASE_URL, or the embedded data folder).
  --json        print what the proof says as JSON
Exit code 0: valid; 1: not valid; 2: usage (no such file, unreadable key set).
`;

export interface ProofArgs {
  file: string;
  keys?: string;
  json: boolean;
}

/** Parses the arguments after `kuvert proof`; a string is the usage error. */
export function parseProofArgs(argv: string[]): ProofArgs | string {
  const [sub, ...rest] = argv;
  if (sub !== 'verify') return sub ? `Unknown proof command "${sub}".` : 'Say what to do: kuvert proof verify FILE.';
  let file: string | undefined;
  let keys: string | undefined;
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '--keys') {
      keys = rest[++i];
      if (!keys) return '--keys needs a file.';
    } else if (arg === '--json') json = true;
    else if (arg.startsWith('--')) return `Unknown option ${arg}.`;
    else if (file) return 'Give one proof file.';
    else file = arg;
  }
  if (!file) return 'Give the proof file: kuvert proof verify FILE.';
  return { file, keys, json };
}

/** `kuvert proof verify`: 0 valid, 1 not valid, 2 the file cannot be read. */
export async function runProofCommand(
  args: ProofArgs,
  keys: JSONWebKeySet,
  out: { stdout: (text: string) => void; stderr: (text: string) => void },
): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = await readFile(args.file);
  } catch (error) {
    out.stderr(`Cannot read ${args.file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const verdict = await verifyProofFile(bytes, keys);
  if (!verdict.valid) {
    const why = {
      not_a_proof: 'the file is not a Kuvert proof, or its signature was removed',
      bad_signature: "the signature matches none of Kuvert's keys",
      modified: 'the file was changed after it was signed',
    }[verdict.reason];
    if (args.json) out.stdout(`${JSON.stringify({ valid: false, reason: verdict.reason })}\n`);
    else out.stdout(`NOT VALID: ${why} (${verdict.reason}).\n`);
    return 1;
  }
  const { claims } = verdict;
  if (args.json) {
    out.stdout(`${JSON.stringify({ valid: true, kid: verdict.kid, claims }, null, 2)}\n`);
  } else {
    out.stdout(
      [
        `VALID: signed by Kuvert's evidence key ${verdict.kid}.`,
        `Fact:      ${claims.fact} (${claims.eventType}) at ${claims.occurredAt}`,
        `Letter:    ${claims.letter.id} "${claims.letter.label}"`,
        `Sender:    ${claims.sender.name}${claims.sender.cvr ? ` (CVR ${claims.sender.cvr})` : ''}`,
        `Recipient: ${claims.recipient.masked} (${claims.recipient.id})`,
        ...(claims.printBatchId ? [`Batch:     ${claims.printBatchId}`] : []),
        `Issued:    ${claims.issuedAt} by ${claims.issuer}`,
        '',
      ].join('\n'),
    );
  }
  return 0;
}
