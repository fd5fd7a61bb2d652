/**
 * A closed-loop HTTP load generator on undici: C workers, each a logged-in session with its own cookie, each sending
 * its next request as soon as the previous answer is read in full (keep-alive, no pipelining), for a fixed time.
 * Latency is measured per request from send to the last body byte. Alongside, it samples CPU use of this process,
 * the server process and the whole machine, the server's RSS, and optional probes (e.g. lock waits).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Pool } from 'undici';

export interface LoadSession {
  cookie: string;
}

export interface PhaseResult {
  name: string;
  seconds: number;
  concurrency: number;
  requests: number;
  requestsPerSecond: number;
  /** Answers that were not the expected status (by status; "error" for transport errors). */
  failures: Record<string, number>;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  meanResponseBytes: number;
  cpu: {
    /** Cores used (1.0 = one full core) by each, averaged over the phase. */
    loadGenerator: number;
    server: number | null;
    machineBusy: number;
    machineCores: number;
  };
  serverRssMiB: { max: number; end: number } | null;
  /** CPU milliseconds per request: the server process, and the whole machine (everything running on it). */
  cpuMsPerRequest: { server: number | null; machine: number };
  probes: Record<string, number>;
  /** Per-request deltas of the `counters` (e.g. database transactions per request). */
  perRequest: Record<string, number>;
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** utime + stime of a process, in seconds (Linux /proc). */
function processCpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

export function processRssMiB(pid: number): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : null;
  } catch {
    return null;
  }
}

/** Busy and total jiffies of the whole machine (Linux /proc/stat). */
export function machineJiffies(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.split(/\s+/).slice(1).map(Number) ?? [];
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  return { busy: total - idle, total };
}

export interface PhaseOptions {
  name: string;
  /** One server, or several (processes behind a load balancer): session `w` talks to origin `w mod n`. */
  origin: string | string[];
  sessions: LoadSession[];
  /** The next path worker `worker` requests (its `n`-th request). */
  nextPath: (worker: number, n: number) => string;
  durationMs: number;
  expectStatus?: number;
  /** The server process (or processes): their CPU is summed, their RSS reported for the largest. */
  serverPid?: number | number[];
  /** Sampled every 100 ms; the result holds each probe's mean. */
  probes?: Record<string, () => Promise<number>>;
  /** Read before and after the phase; the result holds each counter's increase per request. */
  counters?: () => Promise<Record<string, number>>;
}

export async function runPhase(options: PhaseOptions): Promise<PhaseResult> {
  const concurrency = options.sessions.length;
  const origins = Array.isArray(options.origin) ? options.origin : [options.origin];
  const pools = origins.map(
    (origin, i) =>
      new Pool(origin, {
        // Each origin gets as many connections as sessions talk to it.
        connections: Math.ceil((concurrency - i) / origins.length),
        pipelining: 1,
        keepAliveTimeout: 30_000,
      }),
  );
  const pids =
    options.serverPid === undefined ? [] : Array.isArray(options.serverPid) ? options.serverPid : [options.serverPid];
  const serverCpuSeconds = () => {
    if (pids.length === 0) return null;
    let sum = 0;
    for (const pid of pids) {
      const seconds = processCpuSeconds(pid);
      if (seconds === null) return null;
      sum += seconds;
    }
    return sum;
  };
  const serverRss = () => Math.max(0, ...pids.map((pid) => processRssMiB(pid) ?? 0));
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let bytes = 0;
  const expect = options.expectStatus ?? 200;
  const probeSums: Record<string, number> = {};
  let probeSamples = 0;
  let rssMax = 0;
  let stopped = false;
  const sampler = (async () => {
    while (!stopped) {
      await new Promise((r) => setTimeout(r, 100));
      if (pids.length > 0) rssMax = Math.max(rssMax, serverRss());
      if (options.probes) {
        const values = await Promise.all(Object.values(options.probes).map((probe) => probe().catch(() => 0)));
        Object.keys(options.probes).forEach((key, i) => {
          probeSums[key] = (probeSums[key] ?? 0) + (values[i] ?? 0);
        });
        probeSamples++;
      }
    }
  })();
  const counters0 = options.counters ? await options.counters() : {};
  const cpu0 = process.cpuUsage();
  const server0 = serverCpuSeconds();
  const machine0 = machineJiffies();
  const started = performance.now();
  const deadline = started + options.durationMs;
  await Promise.all(
    options.sessions.map(async (session, worker) => {
      for (let n = 0; performance.now() < deadline; n++) {
        const t0 = performance.now();
        try {
          const response = await (pools[worker % pools.length] as Pool).request({
            path: options.nextPath(worker, n),
            method: 'GET',
            headers: { cookie: session.cookie },
          });
          for await (const chunk of response.body) bytes += (chunk as Buffer).length;
          if (response.statusCode !== expect) {
            failures[response.statusCode] = (failures[response.statusCode] ?? 0) + 1;
          }
        } catch {
          failures.error = (failures.error ?? 0) + 1;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  stopped = true;
  await sampler;
  const cpu = process.cpuUsage(cpu0);
  const server1 = serverCpuSeconds();
  const machine1 = machineJiffies();
  await Promise.all(pools.map((pool) => pool.close()));
  const perRequest: Record<string, number> = {};
  if (options.counters) {
    // Backends report their statistics at most once a second: give the last second time to arrive.
    await new Promise((r) => setTimeout(r, 1500));
    const counters1 = await options.counters();
    for (const [key, value] of Object.entries(counters1)) {
      perRequest[key] = round((value - (counters0[key] ?? 0)) / Math.max(1, latencies.length), 2);
    }
  }
  const serverCpu = server0 !== null && server1 !== null ? server1 - server0 : null;
  const machineCpu =
    ((machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total)) * os.cpus().length * elapsed;
  const sorted = Float64Array.from(latencies).sort();
  const mean = latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length);
  const probes: Record<string, number> = {};
  for (const [key, sum] of Object.entries(probeSums)) probes[key] = round(sum / Math.max(1, probeSamples), 2);
  return {
    name: options.name,
    seconds: round(elapsed),
    concurrency,
    requests: latencies.length,
    requestsPerSecond: Math.round(latencies.length / elapsed),
    failures,
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted[sorted.length - 1] ?? 0),
      mean: round(mean),
    },
    meanResponseBytes: Math.round(bytes / Math.max(1, latencies.length)),
    cpu: {
      loadGenerator: round((cpu.user + cpu.system) / 1e6 / elapsed, 2),
      server: server0 !== null && server1 !== null ? round((server1 - server0) / elapsed, 2) : null,
      machineBusy: round(
        ((machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total)) * os.cpus().length,
        2,
      ),
      machineCores: os.cpus().length,
    },
    serverRssMiB: pids.length > 0 ? { max: round(rssMax), end: round(serverRss()) } : null,
    cpuMsPerRequest: {
      server: serverCpu === null ? null : round((serverCpu * 1000) / Math.max(1, latencies.length), 2),
      machine: round((machineCpu * 1000) / Math.max(1, latencies.length), 2),
    },
    probes,
    perRequest,
  };
}

/** Milliseconds of machine CPU (all cores, every process) that `work` took; /proc/stat counts in 10 ms jiffies. */
export async function withMachineCpu<T>(work: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const before = machineJiffies().busy;
  const result = await work();
  return { result, cpuMs: (machineJiffies().busy - before) * 10 };
}
