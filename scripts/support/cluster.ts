/**
 * Several Kuvert nodes, one service: HAProxy in front of N `kuvert server` processes, and M `kuvert worker`
 * processes, all on one PostgreSQL database, as a scaled-out deployment runs them. Used by `scripts/multinode.ts`
 * (an operator's trial run) and `test/multinode.test.ts`.
 *
 * Every port is chosen by the kernel (CI runs two copies of the suite on one machine): each node listens on port 0
 * and logs its address; HAProxy gets a socket this process bound to port 0, inherited as its fd 3 (`bind fd@3`). A
 * node started again comes up on a new port, and HAProxy is pointed at it through its runtime API.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, type WriteStream, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const KUVERT_DIR = fileURLToPath(new URL('../..', import.meta.url));

export interface ClusterNode {
  /** s1, s2, … for servers, w1, w2, … for workers; a restarted node keeps its name. */
  name: string;
  role: 'server' | 'worker';
  child: ChildProcess;
  pid: number;
  /** A server's own address, bypassing HAProxy. */
  url?: string;
  /** The exit code (null after a signal), once it has exited. */
  exited: Promise<number | null>;
  /** The end of its log, for error messages. */
  tail(): string;
}

export interface ClusterOptions {
  databaseUrl: string;
  servers: number;
  workers: number;
  /** KUVERT_SHUTDOWN_DRAIN_MS for the servers: longer than HAProxy takes to see a node go (inter 500 ms, fall 1). */
  drainMs?: number;
  /** More environment for every node (NODE_ENV, LOG_LEVEL, …). */
  env?: Record<string, string>;
  /** Environment for the workers only (e.g. LOG_LEVEL=debug, which logs each job's completion). */
  workerEnv?: Record<string, string>;
  /** Every log line of every node, as it comes. */
  onLine?: (node: ClusterNode, line: string) => void;
  /** Where HAProxy listens: 127.0.0.1 unless told otherwise. */
  host?: string;
}

export interface Cluster {
  /** HAProxy's address: what users and senders use. */
  url: string;
  /** The temporary folder with HAProxy's configuration, its socket, the nodes' data folders and their logs. */
  dir: string;
  servers: ClusterNode[];
  workers: ClusterNode[];
  haproxy: ChildProcess;
  /** Starts server `name` again (after it has exited) and points HAProxy at its new port; resolves once it is UP. */
  restartServer(name: string): Promise<ClusterNode>;
  /** HAProxy's own log so far (its warnings: "Server kuvert/s2 is DOWN, reason: …"). */
  haproxyLog(): string[];
  /** Resolves once HAProxy's health check says `state` ("UP", "DOWN") for the server. */
  waitForServer(name: string, state: 'UP' | 'DOWN', timeoutMs?: number): Promise<void>;
  /** SIGTERM (graceful) or SIGKILL every process still running, HAProxy last; then removes the folder. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/** Starts the servers and workers, then HAProxy over the servers; resolves once every server is UP behind it. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-multinode-'));
  const host = options.host ?? '127.0.0.1';
  const listener = net.createServer();
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, host, resolve);
  });
  const lbPort = (listener.address() as net.AddressInfo).port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${lbPort}`;
  const servers: ClusterNode[] = [];
  const workers: ClusterNode[] = [];
  let haproxy: ChildProcess | undefined;
  const logs: WriteStream[] = [];
  const haproxyLines: string[] = [];

  const startNode = async (role: 'server' | 'worker', name: string): Promise<ClusterNode> => {
    const log = createWriteStream(path.join(dir, `${name}.log`), { flags: 'a' });
    logs.push(log);
    const child = spawn(process.execPath, [path.join(KUVERT_DIR, 'bin', 'kuvert.js'), role], {
      cwd: KUVERT_DIR,
      // Its own process group: a Ctrl-C at the terminal reaches the script alone, which stops the nodes in order.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'development',
        KUVERT_SEED: 'false',
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        ...options.env,
        ...(role === 'worker' ? options.workerEnv : {}),
        DATABASE_URL: options.databaseUrl,
        // No shared folder: documents, sessions and rate limits live in the database.
        KUVERT_DOCUMENT_STORE: 'postgres',
        KUVERT_RATE_LIMIT_STORE: 'postgres',
        KUVERT_DATA_DIR: path.join(dir, name),
        KUVERT_SHUTDOWN_DRAIN_MS: String(options.drainMs ?? 3000),
        PUBLIC_URL: url,
        HOST: '127.0.0.1',
        PORT: '0',
      },
    });
    let lines: string[] = [];
    let partial = '';
    let ready: ((url?: string) => void) | undefined;
    const node: ClusterNode = {
      name,
      role,
      child,
      pid: child.pid as number,
      exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
      tail: () => lines.slice(-40).join('\n'),
    };
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (lines.length > 400) lines = lines.slice(-200);
        options.onLine?.(node, line);
        if (!ready) continue;
        const address = /Kuvert is running at http:\/\/localhost:(\d+)/.exec(line)?.[1];
        if (address) ready(`http://127.0.0.1:${address}`);
        else if (role === 'worker' && line.includes('the job worker is running')) ready();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const started = new Promise<string | undefined>((resolve) => {
      ready = resolve;
    });
    const exitedEarly = node.exited.then((code) => {
      throw new Error(`${name} (kuvert ${role}) exited with ${code} while starting:\n${node.tail()}`);
    });
    // Generous: on a CI machine running another test file beside this one, a start has taken over a minute.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${name} did not start in time:\n${node.tail()}`)), 180_000);
    });
    try {
      const address = await Promise.race([started, exitedEarly, timeout]);
      if (address) node.url = address;
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    } finally {
      clearTimeout(timer);
      exitedEarly.catch(() => {});
      ready = undefined;
    }
    return node;
  };

  const admin = (command: string) => haproxyCommand(path.join(dir, 'admin.sock'), command);
  const waitForServer = async (name: string, state: 'UP' | 'DOWN', timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Until HAProxy has made its socket, there is nothing to ask.
      const stat = await admin('show stat').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') return '';
        throw error;
      });
      const [header, ...rows] = stat.split('\n').map((l) => l.replace(/^# /, '').split(','));
      const column = header?.indexOf('status') ?? -1;
      const row = rows.find((r) => r[0] === 'kuvert' && r[1] === name);
      // "UP 1/2" while rising, "DOWN 1/1" while falling: only the settled state counts.
      if (row?.[column] === state) return;
      if (Date.now() > deadline) throw new Error(`HAProxy did not see ${name} ${state} in time (${row?.[column]})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    const nodes = [...servers, ...workers];
    await Promise.all(nodes.map((node) => stopProcess(node.child, signal)));
    if (haproxy) await stopProcess(haproxy, signal);
    listener.close();
    for (const log of logs) log.end();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
    servers.push(...(await Promise.all(names('s', options.servers).map((name) => startNode('server', name)))));
    workers.push(...(await Promise.all(names('w', options.workers).map((name) => startNode('worker', name)))));
    const config = path.join(dir, 'haproxy.cfg');
    writeFileSync(config, haproxyConfig(dir, servers));
    haproxy = spawn('/usr/sbin/haproxy', ['-db', '-f', config], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe', (listener as unknown as { _handle: { fd: number } })._handle.fd],
    });
    haproxy.stderr?.on('data', (chunk) => {
      haproxyLines.push(...String(chunk).split('\n').filter(Boolean));
    });
    // HAProxy has its own copy of the socket now: ours must not accept connections beside it.
    listener.close();
    const proxy = haproxy;
    await Promise.race([
      Promise.all(servers.map((s) => waitForServer(s.name, 'UP', 120_000))),
      new Promise((_, reject) =>
        proxy.once('exit', (code) => reject(new Error(`haproxy exited with ${code}:\n${haproxyLines.join('\n')}`))),
      ),
    ]);
  } catch (error) {
    await stop('SIGKILL');
    throw error;
  }

  const replace = (list: ClusterNode[], node: ClusterNode) => {
    const i = list.findIndex((n) => n.name === node.name);
    if (i < 0) throw new Error(`no node ${node.name}`);
    list[i] = node;
  };
  const restartable = (list: ClusterNode[], name: string) => {
    const old = list.find((n) => n.name === name);
    if (!old) throw new Error(`no node ${name}`);
    if (old.child.exitCode === null && old.child.signalCode === null) throw new Error(`${name} is still running`);
  };
  return {
    url,
    dir,
    servers,
    workers,
    haproxy: haproxy as ChildProcess,
    haproxyLog: () => [...haproxyLines],
    waitForServer,
    async restartServer(name) {
      restartable(servers, name);
      const node = await startNode('server', name);
      replace(servers, node);
      const port = new URL(node.url as string).port;
      await admin(`set server kuvert/${name} addr 127.0.0.1 port ${port}`);
      await waitForServer(name, 'UP');
      return node;
    },
    stop,
  };
}

/**
 * Round robin over the servers, each checked every 500 ms on /readyz: one failed check takes a server out (a draining
 * node answers 503 at once), two good ones bring it back. What is retried on another server:
 * - a request that could not be sent (connection refused: the node is gone) — always safe, nothing reached a node;
 * - one a node dropped without an answer, or answered 503 (closing), only for GET and HEAD. Kuvert's sending API is
 *   idempotent by messageUuid, but HAProxy cannot tell a send with one from a form post without: senders retry
 *   their own POSTs, with the same messageUuid.
 */
function haproxyConfig(dir: string, servers: ClusterNode[]): string {
  return `global
  stats socket ${path.join(dir, 'admin.sock')} mode 600 level admin
  maxconn 2000

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  # A check that takes longer fails; without this, "inter" (500 ms) is the limit, which a busy machine can exceed.
  timeout check 5s
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response 503

frontend lb
  bind fd@3
  http-request disable-l7-retry unless METH_GET
  default_backend kuvert

backend kuvert
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server check inter 500ms fall 1 rise 2
${servers.map((s) => `  server ${s.name} 127.0.0.1:${new URL(s.url as string).port}`).join('\n')}
`;
}

/** One command on HAProxy's runtime API (its stats socket); resolves with the answer. */
function haproxyCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const connection = net.createConnection(socket);
    let answer = '';
    connection.on('data', (chunk) => {
      answer += chunk;
    });
    connection.on('end', () => resolve(answer));
    connection.on('error', reject);
    connection.end(`${command}\n`);
  });
}

/** Signals a process (by its PID) unless it has ended; waits for its exit, with SIGKILL after 30 s. */
async function stopProcess(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}
