import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openDatabase } from '../src/db/database.ts';
import { sha256Hex } from '../src/documents/document-store.ts';
import { runKuvertCli } from './support/cli.ts';
import { createPerson, createSender, letterBody, tinyPdf } from './support/fixtures.ts';
import { eventually } from './support/kuvert.ts';
import { startKuvertProcess } from './support/kuvert-process.ts';
import {
  initCluster,
  type RunningCluster,
  run,
  serverFolder,
  startCluster,
  stopCluster,
} from './support/pg-cluster.ts';

// Issue 19, item 6: the operator's backup scripts (deploy/backup/) on a PostgreSQL 15 cluster of this test's own,
// with WAL archiving, and a real Kuvert sending letters through its API; then a point-in-time restore into a second
// cluster and a Kuvert on it, which must hold exactly the letters sent before the moment, with all their documents.

const scripts = path.resolve('deploy/backup');
const temp = mkdtempSync(path.join(os.tmpdir(), 'kuvert-backup-'));
chmodSync(temp, 0o755); // PostgreSQL (the postgres user when we are root) works in folders below it
const sockets = serverFolder(path.join(temp, 'sockets'));
const sourcePg = serverFolder(path.join(temp, 'source-pg'));
const restoredPg = path.join(temp, 'restored-pg');
const backupDir = path.join(temp, 'backup');
const walArchive = serverFolder(path.join(backupDir, 'wal'));
const sourceData = path.join(temp, 'source-data');
const restoredData = path.join(temp, 'restored-data');
const kuverts: ChildProcess[] = [];

after(async () => {
  for (const child of kuverts) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await stopCluster(restoredPg);
  await stopCluster(sourcePg);
  rmSync(temp, { recursive: true, force: true });
});

/** Stops a Kuvert as its supervisor would (SIGTERM), and waits for it to end. */
async function stopKuvert(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

interface Sent {
  id: string;
  documents: string[];
}

/** Sends `count` letters through the API, each with two documents of its own (a PDF and a text); their ids. */
async function sendLetters(url: string, apiKey: string, cpr: string, group: string, count: number): Promise<Sent[]> {
  const sent: Sent[] = [];
  for (let i = 1; i <= count; i++) {
    const tag = `${group}-${i}-${Date.now()}`;
    const pdf = Buffer.concat([tinyPdf.subarray(0, 9), Buffer.from(`%${tag}\n`), tinyPdf.subarray(9)]);
    const text = Buffer.from(`Brev ${tag}\n`);
    const body = letterBody(cpr, {
      label: `Brev ${group} ${i}`,
      documents: [
        {
          title: 'Afgørelse',
          filename: 'afgoerelse.pdf',
          mediaType: 'application/pdf',
          content: pdf.toString('base64'),
        },
        { title: 'Bilag', filename: 'bilag.txt', mediaType: 'text/plain', content: text.toString('base64') },
      ],
    });
    const response = await fetch(`${url}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as { id: string };
    assert.equal(response.status, 201, JSON.stringify(answer));
    sent.push({ id: answer.id, documents: [sha256Hex(pdf), sha256Hex(text)].sort() });
  }
  return sent;
}

/** The SHA-256 of every file of a letter, from its MeMo export (which reads them from the document store). */
async function documentsThroughApi(url: string, apiKey: string, id: string): Promise<string[]> {
  const response = await fetch(`${url}/api/v1/messages/${id}/memo`, { headers: { authorization: `Bearer ${apiKey}` } });
  const xml = await response.text();
  assert.equal(response.status, 200, xml);
  return [...xml.matchAll(/<memo:content>([^<]*)<\/memo:content>/g)]
    .map((match) => sha256Hex(Buffer.from(match[1] as string, 'base64')))
    .sort();
}

test('a point-in-time restore holds exactly the letters sent before the moment, with all their documents', async (t) => {
  const started = performance.now();
  const mark = (what: string) => t.diagnostic(`${what} at ${Math.round(performance.now() - started)} ms`);
  await initCluster(sourcePg, {
    wal_level: 'replica',
    archive_mode: 'on',
    archive_command: `${scripts}/kuvert-archive-wal ${walArchive} %p %f`,
    fsync: 'off',
    shared_buffers: '32MB',
  });
  let source: RunningCluster | null = await startCluster(sourcePg, sockets);
  await source.query('postgres', 'create database kuvert');
  const databaseUrl = source.url('kuvert');
  const first = await startKuvertProcess({ databaseUrl, dataDir: sourceData });
  kuverts.push(first.child);
  mark('source cluster and Kuvert started');

  const { db } = openDatabase(databaseUrl, 2);
  const sender = await createSender(db, 'Backup Kommune');
  const cpr = '1111701111';
  await createPerson(db, cpr, 'Kim Backup');
  await db.destroy();

  const beforeBackup = await sendLetters(first.url, sender.apiKey, cpr, 'before-backup', 3);
  await run(`${scripts}/kuvert-basebackup`, [
    '-d',
    `host=127.0.0.1 port=${source.port} user=postgres`,
    '-k',
    sourceData,
    backupDir,
  ]);
  mark('base backup taken');
  const afterBackup = await sendLetters(first.url, sender.apiKey, cpr, 'after-backup', 3);
  // The moment to restore to: after every commit of the letters above, before any of those below.
  const [moment] = await source.query<{ at: string }>('postgres', 'select clock_timestamp()::text as at');
  const tooLate = await sendLetters(first.url, sender.apiKey, cpr, 'too-late', 3);
  // The documents backup, as the timer runs it: it must have run after the moment for the restore to find them.
  await run(`${scripts}/kuvert-copy-documents`, [
    path.join(sourceData, 'documents'),
    path.join(backupDir, 'documents'),
  ]);
  await stopKuvert(first.child);
  // Every WAL file up to the last letter in the archive, then the source is gone.
  const [switched] = await source.query<{ wal: string }>('postgres', 'select pg_walfile_name(pg_switch_wal()) as wal');
  await eventually(async () => {
    const [archiver] = await (source as RunningCluster).query<{ last: string | null; failed: string | null }>(
      'postgres',
      'select last_archived_wal as last, last_failed_wal as failed from pg_stat_archiver',
    );
    if (archiver?.failed) throw new Error(`archive_command failed on ${archiver.failed} (see ${sockets}/*.log)`);
    return archiver?.last && archiver.last >= (switched?.wal as string);
  }, 60_000);
  await source.stop();
  source = null;
  mark('source archived and stopped');

  const [base] = readdirSync(path.join(backupDir, 'base')).filter((name) => !name.startsWith('.'));
  await run(`${scripts}/kuvert-restore`, [
    '-t',
    moment?.at as string,
    path.join(backupDir, 'base', base as string),
    walArchive,
    restoredPg,
    path.join(backupDir, 'documents'),
    path.join(restoredData, 'documents'),
  ]);
  // A trial restore must not archive into the source's archive: archive_mode off for it.
  const restored = await startCluster(restoredPg, sockets, { archive_mode: 'off' });
  await eventually(async () => {
    const [state] = await restored.query<{ recovering: boolean }>(
      'postgres',
      'select pg_is_in_recovery() as recovering',
    );
    return state?.recovering === false;
  }, 60_000);
  mark('restored and promoted');

  const expected = [...beforeBackup, ...afterBackup];
  const letters = await restored.query<{ id: string }>(
    'kuvert',
    'select id from message where sender_id = $1 order by id',
    [sender.id],
  );
  assert.deepEqual(
    letters.map((row) => row.id),
    expected.map((letter) => letter.id).sort(),
    'exactly the letters sent before the moment',
  );

  const second = await startKuvertProcess({ databaseUrl: restored.url('kuvert'), dataDir: restoredData });
  kuverts.push(second.child);
  mark('Kuvert started on the restored database');
  for (const letter of expected) {
    assert.deepEqual(await documentsThroughApi(second.url, sender.apiKey, letter.id), letter.documents, letter.id);
  }
  for (const letter of tooLate) {
    const response = await fetch(`${second.url}/api/v1/messages/${letter.id}`, {
      headers: { authorization: `Bearer ${sender.apiKey}` },
    });
    assert.equal(response.status, 404, `${letter.id}, sent after the moment, is not there`);
  }
  await stopKuvert(second.child);

  // The checks docs/operations.md gives for a restored installation: the audit log, and every named document there.
  const env = { DATABASE_URL: restored.url('kuvert'), KUVERT_DATA_DIR: restoredData, NODE_ENV: 'test' };
  const [audit, documents] = await Promise.all([
    runKuvertCli(['audit', 'verify'], env),
    runKuvertCli(['documents', 'migrate', '--to', 'file'], env),
  ]);
  assert.equal(audit.code, 0, audit.stdout + audit.stderr);
  assert.equal(documents.code, 0, documents.stdout + documents.stderr);
  assert.match(documents.stdout, /Every named document is in the file store/);
  mark('audit log and documents verified');
});
