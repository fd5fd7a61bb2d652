import { sql } from 'kysely';
import type { Db } from './database.ts';

/**
 * Where lag-tolerant reads go (docs/ARCHITECTURE.md, "Replica reads"): the streaming replica of DATABASE_REPLICA_URL
 * when it has replayed at least the WAL position the reader must see, else the primary. The one home of that rule.
 *
 * Positions are PostgreSQL LSNs as bigints. One poller per process asks the replica for its replay position every
 * `pollMs`; requests only read the cached value. An unknown, stale or failed position means the primary, never an
 * error: a replica that cannot be reached is retried by the poller, and a read that fails on the replica runs again
 * on the primary.
 */
export type Lsn = bigint;

const LSN_RE = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** `16/B374D848` as a number; null for anything else. */
export function parseLsn(text: string | null | undefined): Lsn | null {
  const match = text ? LSN_RE.exec(text.trim()) : null;
  if (!match) return null;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** A position in PostgreSQL's own notation (`16/B374D848`). */
export function formatLsn(lsn: Lsn): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

export const maxLsn = (a: Lsn | null, b: Lsn | null): Lsn | null => (a === null ? b : b === null ? a : a > b ? a : b);

/** A lag-tolerant read: runs `work` on the database the router chose (a request's `reads.lagTolerant`). */
export type ReadWith = <T>(work: (db: Db) => Promise<T>) => Promise<T>;

/** What the poller last learnt about the replica. */
export interface ReplicaPosition {
  /** pg_last_wal_replay_lsn(); null when the server is not a standby (promoted, or not a replica at all). */
  replay: Lsn | null;
  /** Seconds since the last replayed transaction committed on the primary; null when unknown. */
  lagSeconds: number | null;
}

/** A read's database: the replica (with the position it had replayed when chosen) or the primary. */
export type ReadTarget = { db: Db; replica: true; replay: Lsn } | { db: Db; replica: false };

export interface ReplicaRouterOptions {
  /** How often the poller asks the replica (ms). */
  pollMs?: number;
  /** A position older than this (ms) is not trusted: the primary until the poller answers again. */
  staleMs?: number;
  /** After a read failed on the replica, how long reads skip it (ms); the poller keeps asking meanwhile. */
  backoffMs?: number;
  /** How the replica's position is read (tests replace it). */
  readPosition?: (replica: Db) => Promise<ReplicaPosition>;
  /** Closes the replica's pool (on `close()`). */
  closeReplica?: () => Promise<void>;
  /** The clock (tests move it). */
  now?: () => number;
}

/** Counters for /metrics and tests. */
export interface ReplicaStats {
  replicaReads: number;
  primaryReads: number;
  /** Reads that failed on the replica and were answered by the primary. */
  fallbacks: number;
  replay: Lsn | null;
  lagSeconds: number | null;
  /** The last poll answered in time. */
  healthy: boolean;
}

async function readReplicaPosition(replica: Db): Promise<ReplicaPosition> {
  const { rows } = await sql<{ replay: string | null; lag: string | number | null }>`
    select pg_last_wal_replay_lsn()::text as replay,
           extract(epoch from now() - pg_last_xact_replay_timestamp()) as lag
    where pg_is_in_recovery()`.execute(replica);
  const row = rows[0];
  return { replay: parseLsn(row?.replay), lagSeconds: row?.lag == null ? null : Number(row.lag) };
}

export class ReplicaRouter {
  readonly primary: Db;
  readonly replica: Db | null;
  readonly #pollMs: number;
  readonly #staleMs: number;
  readonly #backoffMs: number;
  readonly #readPosition: (replica: Db) => Promise<ReplicaPosition>;
  readonly #closeReplica: (() => Promise<void>) | undefined;
  readonly #now: () => number;
  #position: ReplicaPosition | null = null;
  #polledAt = 0;
  #skipUntil = 0;
  #timer: NodeJS.Timeout | null = null;
  #polling: Promise<void> | null = null;
  #closed = false;
  readonly #stats = { replicaReads: 0, primaryReads: 0, fallbacks: 0 };

  constructor(primary: Db, replica: Db | null, options: ReplicaRouterOptions = {}) {
    this.primary = primary;
    this.replica = replica;
    this.#pollMs = options.pollMs ?? 200;
    this.#staleMs = options.staleMs ?? 3_000;
    this.#backoffMs = options.backoffMs ?? 1_000;
    this.#readPosition = options.readPosition ?? readReplicaPosition;
    this.#closeReplica = options.closeReplica;
    this.#now = options.now ?? Date.now;
    if (replica) this.#schedule(0);
  }

  /** Whether a replica is configured at all (without one every read is the primary's and nothing is recorded). */
  get enabled(): boolean {
    return this.replica !== null;
  }

  /** The replica if it has replayed `required` (null: the reader needs nothing in particular), else the primary. */
  choose(required: Lsn | null): ReadTarget {
    const replay = this.#usableReplay();
    if (this.replica && replay !== null && (required === null || replay >= required)) {
      return { db: this.replica, replica: true, replay };
    }
    return { db: this.primary, replica: false };
  }

  /**
   * Runs a lag-tolerant read on the database `choose(required)` gives. A read that fails on the replica (it went
   * away, or cancelled the statement for a recovery conflict) runs again on the primary, and the replica is skipped
   * for `backoffMs`. Returns the value and where it was read.
   */
  async read<T>(required: Lsn | null, work: (db: Db) => Promise<T>): Promise<{ value: T; target: ReadTarget }> {
    const target = this.choose(required);
    if (!target.replica) {
      this.#stats.primaryReads++;
      return { value: await work(target.db), target };
    }
    try {
      const value = await work(target.db);
      this.#stats.replicaReads++;
      return { value, target };
    } catch (error) {
      if (isOwnError(error)) throw error;
      this.#stats.fallbacks++;
      this.#skipUntil = this.#now() + this.#backoffMs;
      const primary: ReadTarget = { db: this.primary, replica: false };
      this.#stats.primaryReads++;
      return { value: await work(this.primary), target: primary };
    }
  }

  /**
   * The primary's WAL insert position now: at least the commit record of every transaction that has committed, so
   * a reader who must see those waits for exactly this much replay. Null if the primary cannot say.
   */
  async primaryPosition(): Promise<Lsn | null> {
    try {
      const { rows } = await sql<{ lsn: string }>`select pg_current_wal_insert_lsn()::text as lsn`.execute(
        this.primary,
      );
      return parseLsn(rows[0]?.lsn);
    } catch {
      return null;
    }
  }

  /** The position the poller last saw, if it is fresh enough to route by. */
  #usableReplay(): Lsn | null {
    const now = this.#now();
    if (!this.#position || now - this.#polledAt > this.#staleMs || now < this.#skipUntil) return null;
    return this.#position.replay;
  }

  stats(): ReplicaStats {
    const replay = this.#usableReplay();
    return {
      ...this.#stats,
      replay,
      lagSeconds: replay === null ? null : (this.#position?.lagSeconds ?? null),
      healthy: replay !== null,
    };
  }

  /** Asks the replica once (the poller's step; tests call it to not wait for the timer). */
  poll(): Promise<void> {
    const replica = this.replica;
    if (!replica || this.#closed) return Promise.resolve();
    // One question at a time: a replica that hangs is not asked again until it answers (its position goes stale).
    this.#polling ??= this.#readPosition(replica)
      .then((position) => {
        this.#position = position;
        this.#polledAt = this.#now();
      })
      .catch(() => {
        this.#position = null;
      })
      .finally(() => {
        this.#polling = null;
      });
    return this.#polling;
  }

  #schedule(delay: number): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      void this.poll().finally(() => this.#schedule(this.#pollMs));
    }, delay);
    // The poller alone never keeps a process (a CLI command) alive.
    this.#timer.unref();
  }

  /** Stops the poller and closes the replica's pool (the primary's is its owner's to close). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#polling;
    await this.#closeReplica?.();
  }
}

/** The application's own refusals (AppError and the like carry an HTTP status) are answers, not replica trouble. */
function isOwnError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}
