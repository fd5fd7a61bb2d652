import { type DestinationStream, type Logger, pino, destination as pinoDestination } from 'pino';
import { prettyFactory } from 'pino-pretty';

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

export type LogFormat = 'json' | 'pretty';

/**
 * How logs are written: readable lines (pino-pretty) for a person at a terminal, JSON for everything else. Pretty only
 * when standard output is a TTY and NODE_ENV is not production; LOG_FORMAT=json|pretty overrides the choice.
 */
export function chooseLogFormat(options: { isTTY: boolean | undefined; env: string; requested?: string }): LogFormat {
  if (options.requested === 'json' || options.requested === 'pretty') return options.requested;
  return options.isTTY === true && options.env !== 'production' ? 'pretty' : 'json';
}

/** Loggers that write readable lines; the HTTP app then logs one line per request instead of two. */
const prettyLoggers = new WeakSet<object>();
export const isPrettyLogger = (logger: object) => prettyLoggers.has(logger);

/** pino-pretty's formatter, in the main thread (no worker transport): time, level and message on one line. */
function prettyLines(out: { write(line: string): void }, colorize: boolean): { write(line: string): void } {
  const format = prettyFactory({
    colorize,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service,reqId',
    singleLine: true,
  });
  return { write: (line: string) => out.write(format(line)) };
}

/**
 * Logs to stdout (or the given sink), with CPR-like numbers masked and credentials redacted: JSON lines by default,
 * readable lines with `format: 'pretty'` (see chooseLogFormat). Masking runs on the JSON line, before prettifying.
 */
export function createLogger(level: string, sink?: { write(line: string): void }, format: LogFormat = 'json'): Logger {
  // Pretty lines go to a terminal synchronously, so they keep their order with the start banner written beside them.
  const destination = sink ?? (format === 'pretty' ? pinoDestination({ dest: 1, sync: true }) : asyncStdout());
  const out =
    format === 'pretty' ? prettyLines(destination, sink === undefined && process.stdout.isTTY === true) : destination;
  const logger = pino(
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
  if (format === 'pretty') prettyLoggers.add(logger);
  return logger;
}
