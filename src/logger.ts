import { type DestinationStream, type Logger, pino, destination as pinoDestination } from 'pino';

// Ten digits shaped like a CPR number (DDMMYY SSSS with a plausible day and month), however written: run together, or
// with a dash, space, dot or slash between the groups (`150385-1234`, `150385 1234`, `15.03.85-1234`), also as they
// appear URL-encoded in a logged request URL (`150385+1234`, `150385%201234`, a no-break space `%C2%A0`), and with
// the serial number in two pairs (`15 03 85 12 34`). A UUID is matched first and kept
// whole: the last group of a letter id (12 hex digits) can hold ten decimal digits in a row, and masking them would
// garble the id in the log (a real CPR number cannot sit inside a UUID's 8-4-4-4-12 groups).
// Dots only as in a written date (`15.03.85`): a single dot would mask a float in a log line (`"ms":15.03123456`).
const SEP = '(?:[- +/\u00a0]|%20|%2[dDfF]|%[cC]2%[aA]0)?';
const DAY = String.raw`(?:0[1-9]|[12]\d|3[01])`;
const MONTH = '(?:0[1-9]|1[0-2])';
const CPR_LIKE = new RegExp(
  String.raw`(\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b)|(?<![\d.])(?:` +
    String.raw`${DAY}${SEP}${MONTH}${SEP}\d{2}${SEP}|${DAY}\.${MONTH}\.\d{2}(?:\.|${SEP}))\d{2}${SEP}\d{2}(?![\d])`,
  'g',
);

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
