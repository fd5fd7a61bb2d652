import { type DestinationStream, type Logger, pino, destination as pinoDestination } from 'pino';

// Ten digits shaped like a CPR number (DDMMYY[-]SSSS with a plausible day and month). A UUID is matched first and
// kept whole: the last group of a letter id (12 hex digits) can hold ten decimal digits in a row, and masking them
// would garble the id in the log (a real CPR number cannot sit inside a UUID's 8-4-4-4-12 groups).
const CPR_LIKE =
  /(\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b)|(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}-?\d{4}(?!\d)/g;

/** Masks anything that looks like a CPR number; a last line of defence behind never logging one. */
export const maskCpr = (text: string) =>
  text.replace(CPR_LIKE, (match, uuid: string | undefined) => (uuid ? match : '**********'));

/**
 * Standard output written asynchronously (sonic-boom: lines written while a write is in flight are joined into the
 * next one) instead of a blocking write per line; whatever is still buffered is written out when the process exits.
 */
function asyncStdout(): DestinationStream {
  const destination = pinoDestination({ dest: 1, sync: false });
  process.once('exit', () => {
    try {
      destination.flushSync();
    } catch {
      // Nothing more can be done about a failing stdout at exit.
    }
  });
  return destination;
}

/** JSON logs to stdout (or the given sink), with CPR-like numbers masked and credentials redacted. */
export function createLogger(level: string, sink?: { write(line: string): void }): Logger {
  const out = sink ?? asyncStdout();
  return pino(
    {
      level,
      base: { service: 'kuvert' },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
    },
    { write: (line: string) => out.write(maskCpr(line)) },
  );
}
