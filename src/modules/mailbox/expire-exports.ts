import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import { exportBuildingDir, exportsDir } from './build-export.ts';
import { expireDueExports, liveExportFiles } from './mailbox-export.repository.ts';

/** A file in exports/ that no ready export names is deleted once it is this old (a crash between rename and commit). */
const ORPHAN_GRACE_MS = 60 * 60 * 1000;

/**
 * Cron 'mailbox.export-expire': deletes the zips of exports past their 7 days and marks them expired (audited), then
 * tidies what crashes left: building files of exports no longer queued or running, and finished zips that no ready
 * export names (older than an hour, so a build between its rename and its commit is left alone).
 */
export async function expireMailboxExports(
  services: Services,
  now = new Date(),
): Promise<{ expired: number; orphans: number }> {
  const expired = await services.db.transaction().execute(async (trx) => {
    const rows = await expireDueExports(trx, now);
    for (const row of rows) {
      await recordAudit(trx, {
        actorKind: 'system',
        actorId: 'mailbox.export-expire',
        action: 'mailbox.export.expire',
        subjectType: 'mailbox_export',
        subjectId: row.id,
        mailboxRecipientId: row.mailboxId,
      });
    }
    return rows;
  });
  for (const row of expired) await rm(path.join(exportsDir(services), row.fileName), { force: true });

  let orphans = 0;
  const live = await liveExportFiles(services.db);
  const building = exportBuildingDir(services);
  for (const name of await readdir(building).catch(() => [] as string[])) {
    if (live.building.has(name.split('.')[0] ?? '')) continue;
    await rm(path.join(building, name), { force: true });
    orphans++;
  }
  const done = exportsDir(services);
  for (const name of await readdir(done).catch(() => [] as string[])) {
    if (!name.endsWith('.zip') || live.ready.has(name)) continue;
    const file = path.join(done, name);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile() || now.getTime() - info.mtime.getTime() < ORPHAN_GRACE_MS) continue;
    await rm(file, { force: true });
    orphans++;
  }
  return { expired: expired.length, orphans };
}
