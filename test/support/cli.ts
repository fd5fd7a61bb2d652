import { spawn } from 'node:child_process';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end with `env` over this process's environment; its exit code and output. */
export function runProcess(
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs `kuvert ARGS…` as a process of its own (the real CLI, bin/kuvert.js, on this Node) with `env` over this
 * process's environment and warnings-only logs; its exit code and output.
 */
export function runKuvertCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runProcess(process.execPath, ['bin/kuvert.js', ...args], { LOG_LEVEL: 'warn', ...env });
}
