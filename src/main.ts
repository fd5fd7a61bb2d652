import { ConfigError, loadConfig } from './config.ts';
import { DataDirInUseError } from './db/embedded.ts';
import { isDatabaseUnavailable } from './db/unavailable.ts';
import {
  type DocumentsArgs,
  documentsUsage,
  parseDocumentsArgs,
  runDocumentsCommand,
} from './documents/migrate-documents.ts';
import { chooseLogFormat, createLogger } from './logger.ts';
import {
  type AuditArgs,
  auditUsage,
  parseAuditArgs,
  publicEvidenceKeys,
  readKeySet,
  runAuditCommand,
} from './modules/audit/index.ts';
import {
  demoSenders,
  type Persona,
  parseSendersArgs,
  parseSystemsArgs,
  personas,
  runSendersCommand,
  runSystemsCommand,
  type SendersArgs,
  type SystemsArgs,
  sendersUsage,
  systemsUsage,
} from './modules/identity/index.ts';
import { stopMemoValidator } from './modules/messages/index.ts';
import { type ProofArgs, parseProofArgs, proofUsage, runProofCommand } from './modules/proofs/index.ts';
import { type ImportArgs, importUsage, parseImportArgs, runImport } from './modules/registry/index.ts';
import { startKuvert } from './runtime.ts';
import './strings.ts';

const usage = `Usage: kuvert <command>

Commands:
  start     run the web server and the job worker in one process (default)
  server    run the web server only
  worker    run the job worker only
  migrate   apply database migrations and exit
  seed      add the demo data (municipalities, authorities, personas, letters) and exit
  import population FILE [--again]
            apply a population file (CSV or NDJSON); exit code 1 if lines were rejected, 2 for usage errors
            ("kuvert import --help" tells more)
  import businesses FILE [--again]
            apply a business file from the CVR register (companies and P-units, CSV or NDJSON); same exit codes
  senders add --cvr CVR --name NAME --kind KIND [--municipality CODE] --contact-email E [--contact-phone P]
              --admin-subject SUBJ --admin-name NAME
            create an authority and its first administrator; exit code 1 if refused, 2 for usage errors
  senders list
            list the senders ("kuvert senders --help" tells more)
  systems add|list|replace-keys|revoke ...
            manage the machine clients that get OAuth access tokens ("kuvert systems --help" tells more)
  proof verify FILE [--keys JWKS.json] [--json]
            check a downloaded proof offline; exit code 0 valid, 1 not valid, 2 usage ("kuvert proof --help")
  audit verify [--mailbox RECIPIENT_ID] [--file EXPORT] [--keys JWKS]
            check the audit log (or a signed export) against the signed checkpoints; exit code 1 if tampered,
            2 for usage errors ("kuvert audit --help" tells more)
  documents migrate --to postgres|file
            copy the documents into the other store (KUVERT_DOCUMENT_STORE) and check every named one is there;
            exit code 1 if some are missing, 2 for usage errors ("kuvert documents --help" tells more)
`;

async function main(argv: string[]): Promise<number> {
  const command = argv[0] ?? 'start';
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage);
    return 0;
  }
  let importArgs: ImportArgs | undefined;
  if (command === 'import') {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(importUsage);
      return 0;
    }
    const parsed = parseImportArgs(argv.slice(1));
    if (typeof parsed === 'string') {
      process.stderr.write(`${parsed}\n\n${importUsage}`);
      return 2;
    }
    importArgs = parsed;
  }
  let sendersArgs: SendersArgs | undefined;
  if (command === 'senders') {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(sendersUsage);
      return 0;
    }
    const parsed = parseSendersArgs(argv.slice(1));
    if (typeof parsed === 'string') {
      process.stderr.write(`${parsed}\n\n${sendersUsage}`);
      return 2;
    }
    sendersArgs = parsed;
  }
  let systemsArgs: SystemsArgs | undefined;
  if (command === 'systems') {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(systemsUsage);
      return 0;
    }
    const parsed = parseSystemsArgs(argv.slice(1));
    if (typeof parsed === 'string') {
      process.stderr.write(`${parsed}\n\n${systemsUsage}`);
      return 2;
    }
    systemsArgs = parsed;
  }
  let proofArgs: ProofArgs | undefined;
  if (command === 'proof') {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(proofUsage);
      return 0;
    }
    const parsed = parseProofArgs(argv.slice(1));
    if (typeof parsed === 'string') {
      process.stderr.write(`${parsed}\n\n${proofUsage}`);
      return 2;
    }
    proofArgs = parsed;
    // With a saved key set the check needs no database at all.
    if (proofArgs.keys) {
      const keys = await readKeySet(proofArgs.keys);
      if (typeof keys === 'string') {
        process.stderr.write(`${keys}\n`);
        return 2;
      }
      return runProofCommand(proofArgs, keys, cliOutput);
    }
  }
  let auditArgs: AuditArgs | undefined;
  if (command === 'audit') {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(auditUsage);
      return 0;
    }
    const parsed = parseAuditArgs(argv.slice(1));
    if (typeof parsed === 'string') {
      process.stderr.write(`${parsed}\n\n${auditUsage}`);
      return 2;
    }
    // An export checked against a saved key set needs no database.
    if (parsed.file !== undefined && parsed.keys !== undefined) return runAuditCommand(null, parsed);
    auditArgs = parsed;
  }
  let documentsArgs: DocumentsArgs | undefined;
  if (command === 'documents') {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(documentsUsage);
      return 0;
    }
    const parsed = parseDocumentsArgs(argv.slice(1));
    if (typeof parsed === 'string') {
      process.stderr.write(`${parsed}\n\n${documentsUsage}`);
      return 2;
    }
    documentsArgs = parsed;
  }
  const roles: Record<string, { server: boolean; worker: boolean; seed: boolean; exit: boolean }> = {
    start: { server: true, worker: true, seed: true, exit: false },
    server: { server: true, worker: false, seed: false, exit: false },
    worker: { server: false, worker: true, seed: false, exit: false },
    migrate: { server: false, worker: false, seed: false, exit: true },
    seed: { server: false, worker: false, seed: true, exit: true },
    import: { server: false, worker: false, seed: false, exit: true },
    senders: { server: false, worker: false, seed: false, exit: true },
    systems: { server: false, worker: false, seed: false, exit: true },
    proof: { server: false, worker: false, seed: false, exit: true },
    audit: { server: false, worker: false, seed: false, exit: true },
    documents: { server: false, worker: false, seed: false, exit: true },
  };
  const role = roles[command];
  if (!role) {
    process.stderr.write(`Unknown command "${command}".\n\n${usage}`);
    return 2;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const format = chooseLogFormat({
    isTTY: process.stdout.isTTY,
    env: config.env,
    requested: process.env.LOG_FORMAT,
  });
  const logger = createLogger(config.logLevel, undefined, format);
  guardProcess(logger);
  // Signals are handled from the start: one that arrives while Kuvert is still starting (migrating, seeding) stops it
  // in order once it has started, instead of killing the process halfway.
  let stopRequested: ((signal: string) => void) | undefined;
  const stop = role.exit
    ? undefined
    : new Promise<string>((resolve) => {
        stopRequested = resolve;
      });
  // A second signal (a second Ctrl-C, or a supervisor that will not wait for the drain) ends the process at once.
  let signals = 0;
  const onSignal = (signal: string) => () => {
    if (++signals === 1) return stopRequested?.(signal);
    if (signals > 2) process.exit(1);
    logger.warn({ signal }, 'second signal: exiting now, without finishing the shutdown');
    // Even now the MeMo validator thread ends by itself first (a second at most): Node 24 can crash (SIGTRAP) when
    // it is torn down from outside at exit (see src/runtime.ts).
    void stopMemoValidator(1000).finally(() => process.exit(1));
  };
  if (stop) for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal(signal));
  let running: Awaited<ReturnType<typeof startKuvert>>;
  try {
    running = await startKuvert(config, logger, {
      server: role.server,
      worker: role.worker && config.runWorker,
      seed: role.seed,
    });
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      process.stderr.write(`kuvert: ${error.message}\n`);
      return 3;
    }
    logger.fatal({ err: error }, 'kuvert could not start');
    return 1;
  }
  if (importArgs) {
    try {
      return await runImport(running.services, importArgs);
    } finally {
      await running.stop();
    }
  }
  if (sendersArgs) {
    try {
      return await runSendersCommand(running.services, sendersArgs);
    } finally {
      await running.stop();
    }
  }
  if (systemsArgs) {
    try {
      return await runSystemsCommand(running.services, systemsArgs);
    } finally {
      await running.stop();
    }
  }
  if (proofArgs) {
    try {
      return await runProofCommand(proofArgs, await publicEvidenceKeys(running.services.db), cliOutput);
    } finally {
      await running.stop();
    }
  }
  if (auditArgs) {
    try {
      return await runAuditCommand(running.services.db, auditArgs);
    } finally {
      await running.stop();
    }
  }
  if (documentsArgs) {
    try {
      return await runDocumentsCommand(running.services, documentsArgs, cliOutput);
    } finally {
      await running.stop();
    }
  }
  if (!stop) {
    await running.stop();
    return 0;
  }
  if (!running.url && running.worker) logger.info('the job worker is running');
  if (running.url) {
    logger.info({ url: running.url }, `Kuvert is running at ${running.url}`);
    if (format === 'pretty' && role.seed && config.seedDemoData) {
      process.stdout.write(
        startBanner(running.url, {
          apiKey: config.demoApiKey ?? running.generatedApiKey,
          generated: !config.demoApiKey,
        }),
      );
    }
  }
  const signal = await stop;
  logger.info({ signal }, 'shutting down');
  await running.stop();
  logger.info('stopped');
  return 0;
}

const cliOutput = {
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
};

/** The front page's button for each kind of persona, and where it leads. */
const entries: Record<Persona['role'], string> = {
  citizen: '"Log ind som borger" → /post',
  business: '"Log ind som borger" → /post (MitID Erhverv)',
  caseworker: '"Log ind som sagsbehandler" → /borgerservice',
  sender_staff: '"Log ind som afsender" → /afsender',
  operator: '"Log ind som driftsansvarlig" → /drift/styring',
};

const senderName = (key: string) => demoSenders.find((s) => s.key === key)?.name ?? key;

/** A persona in a few words: "Citizen, 41, Copenhagen", "Caseworker, Københavns Kommune". */
function about(p: Persona): string {
  if (p.role === 'citizen' || p.role === 'business') return p.description.en;
  if (p.role === 'caseworker') {
    const municipality = demoSenders.find(
      (s) => s.kind === 'municipality' && s.municipalityCode === p.municipalityCode,
    );
    return `Caseworker, ${municipality?.name ?? `municipality ${p.municipalityCode}`}`;
  }
  if (p.role === 'sender_staff') return `Sender staff, ${senderName(p.senderKey)}`;
  return 'Operator';
}

/**
 * What a person at a terminal needs after `npm start` with demo data: where to go, whom to log in as, and the demo
 * API key (when this start generated it, or KUVERT_DEMO_API_KEY set it). Demo CPR numbers are in the README, not here.
 */
function startBanner(url: string, demo: { apiKey?: string; generated: boolean }): string {
  const pad = (text: string, width: number) => text.padEnd(width);
  const nameWidth = Math.max(...personas.map((p) => p.name.length)) + 2;
  const aboutWidth = Math.max(...personas.map((p) => about(p).length)) + 2;
  const lines = [
    '',
    `  Kuvert is running at ${url}`,
    '',
    '  Log in as (demo login, no password; choose the button on the front page, then the person):',
    ...personas.map((p) => `    ${pad(p.name, nameWidth)}${pad(about(p), aboutWidth)}${entries[p.role]}`),
    '',
  ];
  if (demo.apiKey) {
    const note = demo.generated ? ' (shown once; set KUVERT_DEMO_API_KEY to fix it)' : ' (KUVERT_DEMO_API_KEY)';
    lines.push(`  Demo API key, Københavns Kommune${note}:`, `    ${demo.apiKey}`, '');
  }
  lines.push(
    `  API docs ${url}/api/docs · e-mail and SMS outbox ${url}/udvikling/udbakke`,
    '  Stop with Ctrl-C.',
    '',
    '',
  );
  return lines.join('\n');
}

/**
 * The last line of defence, for faults that no code path caught: an error that only says the database cannot be
 * reached right now (a stray query of a library while PostgreSQL restarts) is logged and Kuvert keeps serving, as
 * the code paths that do catch it answer 503 and retry. Anything else is a bug: it is logged and the process ends,
 * as Node would end it, so that a supervisor starts a clean one.
 */
function guardProcess(logger: ReturnType<typeof createLogger>) {
  const onFault = (kind: string) => (error: unknown) => {
    if (isDatabaseUnavailable(error)) {
      logger.warn({ err: error }, `${kind} while the database is unreachable; Kuvert carries on`);
      return;
    }
    logger.fatal({ err: error }, kind);
    process.exit(1);
  };
  process.on('unhandledRejection', onFault('unhandled promise rejection'));
  process.on('uncaughtException', onFault('uncaught exception'));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`kuvert: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
