import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { initCluster, type RunningCluster, runPg, serverFolder, startCluster, stopCluster } from './pg-cluster.ts';

/**
 * A real PostgreSQL 15 primary and a streaming replica of it (pg_basebackup -R, a replication slot), for tests of
 * replica reads; built on pg-cluster.ts (free ports, the `postgres` OS user when we are root, stop by PID). Every
 * server started is stopped, even when a start failed halfway.
 */
export interface Server {
  url: string;
  dataDir: string;
}

export interface ReplicaCluster {
  primary: Server;
  replica: Server;
  /** Runs one statement on a server (its own short connection). */
  query<T = Record<string, unknown>>(server: Server, text: string): Promise<T[]>;
  /** Stops the replica (fast shutdown, as `pg_ctl stop` does). */
  stopReplica(): Promise<void>;
  /** Stops both servers (immediate) and removes their folders. */
  destroy(): Promise<void>;
}

const server = (running: RunningCluster, dataDir: string): Server => ({ url: running.url('postgres'), dataDir });

/**
 * A primary (wal_level replica, one physical slot) and a hot standby that applies each commit `applyDelay` after it
 * was made (recovery_min_apply_delay), so the lag is real.
 */
export async function startReplicaCluster(options: { applyDelay: string }): Promise<ReplicaCluster> {
  const root = serverFolder(mkdtempSync(path.join(os.tmpdir(), 'kuvert-replica-')));
  const sockets = serverFolder(path.join(root, 'sockets'));
  const primaryDir = path.join(root, 'primary');
  const replicaDir = path.join(root, 'replica');
  const stopAll = async () => {
    // A start that failed halfway may have left a postmaster: both folders are looked at.
    await Promise.all([stopCluster(replicaDir), stopCluster(primaryDir)]);
    rmSync(root, { recursive: true, force: true });
  };
  const query = async <T>(target: Server, text: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 10_000 });
    client.on('error', () => {});
    await client.connect();
    try {
      return (await client.query(text)).rows as T[];
    } finally {
      await client.end().catch(() => {});
    }
  };
  try {
    await initCluster(primaryDir, {
      wal_level: 'replica',
      max_wal_senders: '4',
      max_replication_slots: '4',
      fsync: 'off',
    });
    const primary = server(await startCluster(primaryDir, sockets), primaryDir);
    await query(primary, "select pg_create_physical_replication_slot('kuvert_test_replica')");
    await runPg('pg_basebackup', [
      ...['-d', primary.url, '-D', replicaDir, '-R', '-S', 'kuvert_test_replica'],
      ...['-X', 'stream', '-c', 'fast', '--no-sync'],
    ]);
    const replica = server(
      await startCluster(replicaDir, sockets, {
        hot_standby: 'on',
        hot_standby_feedback: 'on',
        recovery_min_apply_delay: options.applyDelay,
      }),
      replicaDir,
    );
    return {
      primary,
      replica,
      query,
      async stopReplica() {
        await runPg('pg_ctl', ['stop', '-w', '-t', '60', '-m', 'fast', '-D', replicaDir]).catch(() =>
          stopCluster(replicaDir),
        );
      },
      destroy: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
