import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import { formatLsn, type Lsn, maxLsn, parseLsn, type ReplicaRouter } from '../db/replica-router.ts';

/**
 * Read-your-writes and monotonic reads across the replica (docs/ARCHITECTURE.md, "Replica reads"). Every response to
 * a reader Kuvert can follow (a web session, an API caller, or anyone who sent the header) carries the highest WAL
 * position that reader has seen or written: web sessions keep it in a signed cookie, API clients get it as the
 * `Kuvert-Read-After` header and send it back. A lag-tolerant read goes to the replica only once the replica has
 * replayed that position, so nothing a reader has seen or done ever goes back.
 */
export const READ_AFTER_HEADER = 'kuvert-read-after';
export const READ_AFTER_COOKIE = 'kuvert_read_after';
/** Outside production: which database answered the request's lag-tolerant reads (`replica` or `primary`). */
export const READ_SOURCE_HEADER = 'kuvert-read-source';

/** The lag-tolerant reads of one request, routed by the reader's position. */
export class RequestReads {
  readonly #router: ReplicaRouter;
  /** The position this reader must see (the cookie's or the header's, the higher). */
  readonly required: Lsn | null;
  /** Where this request's lag-tolerant reads went: null before the first; `primary` once any went there. */
  servedBy: 'replica' | 'primary' | null = null;
  /** The lowest replay position of the replica reads (what the reader has been shown at least). */
  replicaSeen: Lsn | null = null;

  constructor(router: ReplicaRouter, required: Lsn | null) {
    this.#router = router;
    this.required = required;
  }

  /** Runs a read that tolerates lag on the replica when it is far enough along for this reader, else the primary. */
  async lagTolerant<T>(work: (db: Db) => Promise<T>): Promise<T> {
    const { value, target } = await this.#router.read(this.required, work);
    if (!target.replica) this.servedBy = 'primary';
    else {
      this.servedBy ??= 'replica';
      this.replicaSeen =
        this.replicaSeen === null || target.replay < this.replicaSeen ? target.replay : this.replicaSeen;
    }
    return value;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's lag-tolerant reads (src/http/read-after.ts); set for every request. */
    reads: RequestReads;
  }
}

const untracked = /^\/(assets\/|healthz|readyz|metrics|idp\/|\.well-known\/)/;

/**
 * Gives every request its `reads` and, with a replica configured, records the reader's new position on the
 * response (after the cookie plugin, so that cookies are parsed; the cookie lives as long as a session).
 */
export function installReadAfter(
  app: FastifyInstance,
  router: ReplicaRouter,
  options: { secureCookie: boolean; maxAgeSeconds: number; exposeSource: boolean },
): void {
  app.decorateRequest('reads', null as unknown as RequestReads);
  app.addHook('onRequest', async (request) => {
    request.reads = new RequestReads(router, router.enabled ? presentedPosition(request) : null);
  });
  // Without a replica nothing is recorded: every read is the primary's anyway.
  if (!router.enabled) return;
  app.addHook('onSend', async (request, reply, payload) => {
    const reads = request.reads;
    if (options.exposeSource && reads?.servedBy) reply.header(READ_SOURCE_HEADER, reads.servedBy);
    // A refused or failed request changed nothing (its transaction rolled back), and must not cost a query: a flood
    // of refused calls would otherwise each ask the primary for its position.
    if (!reads || reply.statusCode >= 400 || untracked.test(request.url) || !followed(request)) return payload;
    // Read only from the replica: the reader saw at least its replay position. Anything else may have written or
    // shown the primary's newest state (a letter page marks the letter read), so the primary's position now.
    const seen = reads.servedBy === 'replica' ? reads.replicaSeen : await router.primaryPosition();
    const position = maxLsn(reads.required, seen);
    if (position === null) return payload;
    reply.header(READ_AFTER_HEADER, formatLsn(position));
    if (request.actor && position !== reads.required) {
      reply.setCookie(READ_AFTER_COOKIE, formatLsn(position), {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookie,
        signed: true,
        maxAge: options.maxAgeSeconds,
      });
    }
    return payload;
  });
}

/** A reader whose position is kept: a web session, an API caller, or a client that sends the header. */
function followed(request: FastifyRequest): boolean {
  return (
    request.actor !== null ||
    request.headers.authorization !== undefined ||
    request.headers[READ_AFTER_HEADER] !== undefined ||
    request.cookies?.[READ_AFTER_COOKIE] !== undefined
  );
}

/** The position the request carries: the signed cookie's or the header's, whichever is further. */
function presentedPosition(request: FastifyRequest): Lsn | null {
  const header = request.headers[READ_AFTER_HEADER];
  const fromHeader = typeof header === 'string' ? parseLsn(header) : null;
  const cookie = request.cookies?.[READ_AFTER_COOKIE];
  let fromCookie: Lsn | null = null;
  if (cookie) {
    const unsigned = request.unsignCookie(cookie);
    if (unsigned.valid) fromCookie = parseLsn(unsigned.value);
  }
  return maxLsn(fromHeader, fromCookie);
}
