import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Services } from '../../services.ts';
import { ALL_SCOPES } from './scopes.ts';
import {
  type ClientKeys,
  type ClientManager,
  listSystemClients,
  registerSystemClient,
  replaceKeys,
  revokeSystemClient,
} from './system-clients.ts';

export const systemsUsage = `Usage:
  kuvert systems add (--sender-cvr CVR | --business-cvr CVR) --name NAME (--jwks FILE | --jwks-url URL)
                     --scopes a,b [--test] [--cert-thumbprint X5T_S256]
  kuvert systems list
  kuvert systems replace-keys ID (--jwks FILE | --jwks-url URL)
  kuvert systems revoke ID

Machine clients (OAuth2 client credentials with private_key_jwt at POST /oauth/token). Scopes:
  ${ALL_SCOPES.join(', ')}
(a business's system: inbox:read and inbox:write only). Exit code 2 for usage errors, 1 when refused.
`;

export type SystemsArgs =
  | {
      command: 'add';
      owner: { senderCvr: string } | { businessCvr: string };
      name: string;
      keys: { jwksFile: string } | { jwksUrl: string };
      scopes: string[];
      test: boolean;
      certificateThumbprint: string | null;
    }
  | { command: 'list' }
  | { command: 'replace-keys'; id: string; keys: { jwksFile: string } | { jwksUrl: string } }
  | { command: 'revoke'; id: string };

/** Parses the words after `kuvert systems`; a string is a usage error. */
export function parseSystemsArgs(argv: string[]): SystemsArgs | string {
  let parsed: ReturnType<typeof parse>;
  const parse = (args: string[]) =>
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        'sender-cvr': { type: 'string' },
        'business-cvr': { type: 'string' },
        name: { type: 'string' },
        jwks: { type: 'string' },
        'jwks-url': { type: 'string' },
        scopes: { type: 'string' },
        test: { type: 'boolean' },
        'cert-thumbprint': { type: 'string' },
      },
    });
  try {
    parsed = parse(argv);
  } catch (error) {
    return (error as Error).message;
  }
  const { values, positionals } = parsed;
  const [command, id, ...rest] = positionals;
  if (rest.length > 0) return `Unexpected "${rest.join(' ')}".`;
  const keys = () => {
    if (values.jwks && !values['jwks-url']) return { jwksFile: values.jwks };
    if (values['jwks-url'] && !values.jwks) return { jwksUrl: values['jwks-url'] };
    return null;
  };
  if (command === 'list') return id ? `Unexpected "${id}".` : { command: 'list' };
  if (command === 'revoke') return id ? { command: 'revoke', id } : 'Name the client id to revoke.';
  if (command === 'replace-keys') {
    const k = keys();
    if (!id) return 'Name the client id whose keys to replace.';
    return k ? { command: 'replace-keys', id, keys: k } : 'Give exactly one of --jwks FILE and --jwks-url URL.';
  }
  if (command !== 'add') return command ? `Unknown systems command "${command}".` : 'Name a systems command.';
  if (id) return `Unexpected "${id}".`;
  const senderCvr = values['sender-cvr'];
  const businessCvr = values['business-cvr'];
  if (Boolean(senderCvr) === Boolean(businessCvr)) return 'Give exactly one of --sender-cvr and --business-cvr.';
  if (!values.name) return 'Give the system a --name.';
  const k = keys();
  if (!k) return 'Give exactly one of --jwks FILE and --jwks-url URL.';
  if (!values.scopes) return 'Give the --scopes, comma-separated.';
  return {
    command: 'add',
    owner: senderCvr ? { senderCvr } : { businessCvr: businessCvr as string },
    name: values.name,
    keys: k,
    scopes: values.scopes
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    test: values.test ?? false,
    certificateThumbprint: values['cert-thumbprint'] ?? null,
  };
}

const CLI: ClientManager = { actorKind: 'system', actorId: 'cli' };

async function clientKeys(keys: { jwksFile: string } | { jwksUrl: string }): Promise<ClientKeys> {
  if ('jwksUrl' in keys) return { jwksUrl: keys.jwksUrl };
  const json = JSON.parse(await readFile(keys.jwksFile, 'utf8')) as Record<string, unknown>;
  // A file with one JWK is taken as a JWKS of that key.
  return { jwks: Array.isArray(json.keys) ? (json as { keys: Record<string, unknown>[] }) : { keys: [json] } };
}

/** Runs `kuvert systems …`; prints to `out`, returns the exit code. */
export async function runSystemsCommand(
  services: Services,
  args: SystemsArgs,
  out: { write(text: string): unknown } = process.stdout,
): Promise<number> {
  try {
    if (args.command === 'list') {
      for (const c of await listSystemClients(services)) {
        const owner = c.senderId ? `sender ${c.senderId}` : `business ${c.businessRecipientId}`;
        const state = c.revokedAt ? `revoked ${c.revokedAt.toISOString()}` : 'active';
        const keys = c.jwksUrl ?? `${c.inlineKeys} inline key(s)`;
        const flags = `${c.test ? ' test' : ''}${c.certificateBound ? ' mtls' : ''}`;
        out.write(`${c.id}  ${c.name}  ${owner}  [${c.scopes.join(' ')}]  ${keys}  ${state}${flags}\n`);
      }
      return 0;
    }
    if (args.command === 'revoke') {
      const done = await revokeSystemClient(services, CLI, args.id);
      out.write(done ? `Revoked ${args.id}.\n` : `No active system client ${args.id}.\n`);
      return done ? 0 : 1;
    }
    if (args.command === 'replace-keys') {
      const done = await replaceKeys(services, CLI, args.id, await clientKeys(args.keys));
      out.write(done ? `Replaced the keys of ${args.id}.\n` : `No active system client ${args.id}.\n`);
      return done ? 0 : 1;
    }
    const owner = await ownerByCvr(services, args.owner);
    if (!owner) {
      out.write('No such organisation with that CVR number.\n');
      return 1;
    }
    const id = await registerSystemClient(services, CLI, {
      name: args.name,
      owner,
      keys: await clientKeys(args.keys),
      scopes: args.scopes,
      test: args.test,
      certificateThumbprint: args.certificateThumbprint,
    });
    out.write(`${id}\n`);
    return 0;
  } catch (error) {
    out.write(`${(error as Error).message}\n`);
    return 1;
  }
}

async function ownerByCvr(
  services: Services,
  owner: { senderCvr: string } | { businessCvr: string },
): Promise<{ senderId: string } | { businessRecipientId: string } | null> {
  if ('senderCvr' in owner) {
    const row = await services.db
      .selectFrom('sender')
      .select('id')
      .where('cvr', '=', owner.senderCvr)
      .executeTakeFirst();
    return row ? { senderId: row.id } : null;
  }
  const row = await services.db
    .selectFrom('recipient')
    .select('id')
    .where('kind', '=', 'business')
    .where('cvr', '=', owner.businessCvr)
    .executeTakeFirst();
  return row ? { businessRecipientId: row.id } : null;
}
