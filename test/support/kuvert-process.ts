import { type ChildProcess, spawn } from 'node:child_process';
import { eventually } from './kuvert.ts';

/**
 * `kuvert start` as a child process, as operators run it, on `databaseUrl` with no demo seed, on a port it chooses
 * itself (PORT=0): a port picked here and freed could be taken by another test file's server first, which would then
 * answer instead. Resolves once it answers /readyz at the address it logs; a start that fails is never left running.
 */
export async function startKuvertProcess(options: {
  databaseUrl: string;
  dataDir: string;
  env?: Record<string, string>;
}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['bin/kuvert.js', 'start'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: options.databaseUrl,
      KUVERT_SEED: 'false',
      KUVERT_DATA_DIR: options.dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let url = null as string | null;
  child.stdout?.on('data', (chunk) => {
    if (url) return;
    out += chunk;
    url = /Kuvert is running at (http:\/\/localhost:\d+)/.exec(out)?.[1] ?? null;
  });
  // Generous: on a CI machine running other test files beside this one, a start has taken over a minute.
  try {
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`kuvert exited with ${child.exitCode}`);
      if (!url) return false;
      return fetch(`${url}/readyz`)
        .then((r) => r.ok)
        .catch(() => false);
    }, 180_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, url: url ?? '' };
}
