import type { ErrorCode } from '../../../http/errors.ts';

/**
 * Telling a bad line from a bad moment. A chunk's transaction that PostgreSQL refuses with a data exception
 * (SQLSTATE class 22) or an integrity violation (class 23) was refused for what some line holds: doing it again
 * fails again, so the line is isolated and reported. Anything else (connection lost, server shutting down, out of
 * resources, a bug) is not the line's fault: the chunk is rolled back and the job is retried with backoff.
 */
export function isDataFailure(error: unknown): boolean {
  const code = sqlState(error);
  return code !== null && (code.startsWith('22') || code.startsWith('23'));
}

/** The code a line gets when it passed validation but the database refused it. */
export const LINE_FAILED = 'line_failed' satisfies ErrorCode;

/**
 * Why the database refused a line, in words safe to show the sender: by SQLSTATE only, never the server's
 * message (it names tables, constraints and may quote the values, CPR numbers included).
 */
export function lineFailedDetail(error: unknown): string {
  const code = sqlState(error) ?? '';
  const why =
    code === '22P05' || code === '22021'
      ? 'a text holds a character that cannot be stored (such as a NUL character)'
      : code === '22008' || code === '22007' || code === '22009'
        ? 'a date or time is out of range'
        : code === '22001'
          ? 'a value is too long'
          : code === '22003'
            ? 'a number is out of range'
            : code.startsWith('23')
              ? 'a value breaks a rule of the register'
              : 'a value cannot be stored';
  return `This item could not be stored: ${why}. The other items were not affected.`;
}

function sqlState(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** Node's codes for a peer or a resource that is gone for now (the database's socket, the disk). */
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOSPC',
  'EMFILE',
  'ENFILE',
  'EIO',
]);

/**
 * True for a failure that is no fault of the item being read: the database unreachable or going away (SQLSTATE
 * class 08 connection exception, 53 insufficient resources, 57 operator intervention, 58 system error, 40
 * transaction rollback), a socket or disk error, or an error marked `transient` (the MeMo validator thread dying).
 * Such a failure fails the job, and graphile-worker retries it; any other throw while an item is read, parsed or
 * built is that item's error.
 */
export function isTransientFailure(error: unknown): boolean {
  if ((error as { transient?: unknown } | null)?.transient === true) return true;
  const code = sqlState(error);
  if (code !== null && ['08', '40', '53', '57', '58'].includes(code.slice(0, 2))) return true;
  const nodeCode = (error as { code?: unknown } | null)?.code;
  if (typeof nodeCode === 'string' && TRANSIENT_NODE_CODES.has(nodeCode)) return true;
  // node-postgres and its pool say so in words only.
  const message = (error as { message?: unknown } | null)?.message;
  return (
    typeof message === 'string' &&
    /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(
      message,
    )
  );
}

/** What a sender reads when an item could not be built for a reason our checks did not foresee. */
export const ITEM_FAILED_DETAIL =
  'This item could not be processed: it holds a value Kuvert could not handle. The other items were not affected.';
