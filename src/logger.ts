import { type DestinationStream, type Logger, pino, destination as pinoDestination } from 'pino';

// Ten digits shaped like a CPR number (DDMMYY[-]SSSS with a plausible day and month).
const CPR_LIKE = /(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}-?\d{4}(?!\d)/g;

/** Masks anything that looks like a CPR number; a last line of defence behind never logging one. */
export const maskCpr = (text: string) => text.replace(CPR_LIKE, '**********');

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
