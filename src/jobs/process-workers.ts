/** What the status page and the metrics need to know of a job worker of this process. */
export interface WorkerState {
  /** 'restarting' after its runner died, until the database answers and a new runner is up. */
  readonly state: 'running' | 'restarting' | 'stopped';
  /** Runners started after the first one. */
  readonly restarts: number;
}

/** The job workers running in this process (none in `kuvert server`). */
export const processWorkers = new Set<WorkerState>();

/** Runners this process's job workers started after theirs died, since the process started (a metric). */
export const workerRestarts = { total: 0 };
