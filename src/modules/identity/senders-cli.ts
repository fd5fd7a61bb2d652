import { parseArgs } from 'node:util';
import { loadMunicipalities } from '../../db/municipalities.ts';
import type { Services } from '../../services.ts';
import { createSender, listSenders } from './create-sender.ts';
import { identityErrors } from './identity.errors.ts';
import { type NewSenderInput, SenderInputError } from './sender-input.ts';

export const sendersUsage = `Usage: kuvert senders add --cvr CVR --name NAME --kind KIND [--municipality CODE]
                          --contact-email E [--contact-phone P] --admin-subject SUBJ --admin-name NAME
       kuvert senders list

add   creates an authority (a sender) and its first administrator, who logs in with the subject SUBJ (the
      identity provider's "sub") and then adds the rest of the staff in the sender portal (/afsender/medarbejdere).
      KIND is municipality, state, region or other; a municipality needs --municipality (its 4-digit code).
list  prints every sender: CVR, kind, administrators/staff, name.

Exit codes: 0 done, 1 refused (invalid or already used CVR or subject), 2 usage error.
`;

export type SendersArgs = { command: 'add'; input: NewSenderInput } | { command: 'list' };

const addOptions = {
  cvr: { type: 'string' },
  name: { type: 'string' },
  kind: { type: 'string' },
  municipality: { type: 'string' },
  'contact-email': { type: 'string' },
  'contact-phone': { type: 'string' },
  'admin-subject': { type: 'string' },
  'admin-name': { type: 'string' },
} as const;

/** Reads `senders add …` / `senders list` (argv after "senders"); a string is a usage error to print. */
export function parseSendersArgs(argv: string[]): SendersArgs | string {
  const [command, ...rest] = argv;
  if (command === 'list') {
    return rest.length ? `kuvert senders list: unexpected ${rest[0]}` : { command: 'list' };
  }
  if (command !== 'add') return 'kuvert senders: say "add" or "list"';
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ args: rest, options: addOptions, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return `kuvert senders add: ${(error as Error).message}`;
  }
  const required = ['cvr', 'name', 'kind', 'contact-email', 'admin-subject', 'admin-name'] as const;
  const missing = required.filter((key) => !values[key]);
  if (missing.length) return `kuvert senders add: missing ${missing.map((m) => `--${m}`).join(', ')}`;
  return {
    command: 'add',
    input: {
      cvr: values.cvr as string,
      name: values.name as string,
      kind: values.kind as string,
      municipalityCode: values.municipality,
      contactEmail: values['contact-email'] as string,
      contactPhone: values['contact-phone'],
      adminSubject: values['admin-subject'] as string,
      adminName: values['admin-name'] as string,
    },
  };
}

const flagOf: Record<string, string> = {
  cvr: '--cvr',
  name: '--name',
  kind: '--kind',
  municipalityCode: '--municipality',
  contactEmail: '--contact-email',
  contactPhone: '--contact-phone',
  adminSubject: '--admin-subject',
  adminName: '--admin-name',
};

/** Runs `kuvert senders …` against the database; what it did on stdout, refusals on stderr; the exit code. */
export async function runSendersCommand(
  services: Services,
  args: SendersArgs,
  out: { write(text: string): unknown } = process.stdout,
  err: { write(text: string): unknown } = process.stderr,
): Promise<number> {
  await loadMunicipalities(services.db);
  if (args.command === 'list') {
    const senders = await listSenders(services.db);
    for (const s of senders) {
      out.write(`${s.cvr ?? '-       '}  ${s.kind.padEnd(12)}  ${`${s.admins}/${s.staff}`.padEnd(5)}  ${s.name}\n`);
    }
    if (senders.length === 0) out.write('No senders yet. Add one with "kuvert senders add".\n');
    return 0;
  }
  try {
    const created = await createSender(services.db, args.input, { kind: 'cli' });
    out.write(
      `Created sender ${args.input.name.trim()} (CVR ${args.input.cvr.trim()}), id ${created.senderId}.\n` +
        `Its administrator logs in with subject "${args.input.adminSubject.trim()}" at /afsender.\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof SenderInputError) {
      for (const problem of error.problems) {
        err.write(
          `kuvert senders add: ${flagOf[problem.field] ?? problem.field}: ${identityErrors[problem.code].en}\n`,
        );
      }
      return 1;
    }
    throw error;
  }
}
