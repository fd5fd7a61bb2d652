/**
 * A small, paced load through the load balancer for the multinode drill: a few concurrent clients, each sending a
 * letter (with its own messageUuid, retried with the same one until it is accepted, as a sender's system does) or
 * reading the inbox with a session, in turn. Every HTTP attempt is counted in the phase it started in; an attempt
 * fails on a network error, a timeout or any answer other than the expected one.
 */
import { randomUUID } from 'node:crypto';

export interface PhaseFigures {
  name: string;
  requests: number;
  failed: number;
  /** Failed attempts by request and cause: an HTTP status, or an error code such as UND_ERR_SOCKET or timeout. */
  causes: Record<string, number>;
}

export interface LoadOptions {
  url: string;
  apiKey: string;
  cprs: string[];
  /** A citizen's session cookie, for the inbox reads. */
  cookie: string;
  body: (cpr: string, messageUuid: string) => unknown;
  concurrency?: number;
  /** Each client's pause between operations: it keeps the load small (about 10 to 15 requests a second). */
  pauseMs?: number;
  /** A bound on the whole run, whatever happens. */
  maxRequests?: number;
}

const SEND_ATTEMPTS = 12;

export class Load {
  private readonly options: Required<LoadOptions>;
  private readonly phases: PhaseFigures[] = [];
  private current: PhaseFigures = { name: '', requests: 0, failed: 0, causes: {} };
  private running = false;
  private loops: Promise<void>[] = [];
  private operations = 0;
  private requests = 0;
  private readonly acceptedLetters = new Map<string, string>();
  /** Sends answered 200 "duplicate": an earlier attempt had stored the letter, but its answer was lost. */
  replayed = 0;
  /** Sends still not accepted after every attempt. */
  gaveUp = 0;

  constructor(options: LoadOptions) {
    this.options = { concurrency: 3, pauseMs: 200, maxRequests: 2000, ...options };
  }

  start(phase: string): void {
    this.phase(phase);
    this.running = true;
    this.loops = Array.from({ length: this.options.concurrency }, (_, i) => this.loop(i));
  }

  /** Counts the attempts from now on in a new phase. */
  phase(name: string): void {
    this.current = { name, requests: 0, failed: 0, causes: {} };
    this.phases.push(this.current);
  }

  /** Resolves once `count` more operations (sends or reads) have finished. */
  async settle(count: number): Promise<void> {
    const target = this.operations + count;
    const deadline = Date.now() + 120_000;
    while (this.operations < target) {
      if (!this.running) throw new Error('the load has stopped');
      if (Date.now() > deadline) throw new Error(`the load did not make ${count} operations in time`);
      await pause(50);
    }
  }

  /** `count` sends at once, beside the paced clients (counted like theirs); resolves once all are accepted or given up. */
  async burst(count: number): Promise<void> {
    await Promise.all(Array.from({ length: count }, () => this.send()));
  }

  /** Stops the clients; resolves once their operations in progress (with their retries) have finished. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Accepted letters: messageUuid → id. */
  accepted(): ReadonlyMap<string, string> {
    return this.acceptedLetters;
  }

  figures(): PhaseFigures[] {
    return this.phases.filter((p) => p.requests > 0);
  }

  private async loop(client: number): Promise<void> {
    for (let turn = client; this.running && this.requests < this.options.maxRequests; turn++) {
      if (turn % 3 === 2) await this.read();
      else await this.send();
      this.operations++;
      await pause(this.options.pauseMs);
    }
    this.running = false;
  }

  private async send(): Promise<void> {
    const messageUuid = randomUUID();
    const cpr = this.options.cprs[Math.floor(Math.random() * this.options.cprs.length)] as string;
    const body = JSON.stringify(this.options.body(cpr, messageUuid));
    for (let attempt = 1; attempt <= SEND_ATTEMPTS; attempt++) {
      const answer = await this.attempt('/api/v1/messages', {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.apiKey}`, 'content-type': 'application/json' },
        body,
      });
      if (answer.status === 201 || answer.status === 200) {
        if (answer.status === 200) this.replayed++;
        this.acceptedLetters.set(messageUuid, (JSON.parse(answer.text) as { id: string }).id);
        return;
      }
      await pause(250);
    }
    this.gaveUp++;
  }

  private async read(): Promise<void> {
    await this.attempt('/post', { headers: { cookie: this.options.cookie }, redirect: 'manual' });
  }

  /** One HTTP attempt, counted in the current phase; failed unless 200 or 201. */
  private async attempt(path: string, init: RequestInit): Promise<{ status: number; text: string }> {
    const phase = this.current;
    phase.requests++;
    this.requests++;
    let cause: string;
    try {
      const response = await fetch(`${this.options.url}${path}`, { ...init, signal: AbortSignal.timeout(60_000) });
      const text = await response.text();
      if (response.status === 200 || response.status === 201) return { status: response.status, text };
      cause = String(response.status);
    } catch (error) {
      const e = error as { name?: string; cause?: { code?: string }; code?: string };
      cause = e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.code ?? 'network');
    }
    phase.failed++;
    cause = `${init.method ?? 'GET'} ${path}: ${cause}`;
    phase.causes[cause] = (phase.causes[cause] ?? 0) + 1;
    return { status: 0, text: '' };
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
