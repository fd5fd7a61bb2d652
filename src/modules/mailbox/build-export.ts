import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { csvLine } from '../../kernel/csv.ts';
import type { Services } from '../../services.ts';
import { translator } from '../../web/i18n.ts';
import { activityForExport } from '../access/index.ts';
import { exportAuditChain, recordAudit } from '../audit/index.ts';
import { dayOf, LineFile, UniqueNames, ZipFileSink } from './export-zip.ts';
import { downloadableHtml } from './html-document.ts';
import {
  countExportLetters,
  type ExportDocumentRow,
  type ExportLetterRow,
  exportDocuments,
  exportLetterPage,
  findExport,
  findExportOwner,
  markExportFailed,
  markExportReady,
  setExportProgress,
  startExport,
} from './mailbox-export.repository.ts';

/** How long a finished export can be downloaded. */
export const EXPORT_KEEP_DAYS = 7;
/** Letters read (and written into the zip) per page; progress is saved after each page. */
export const EXPORT_PAGE_SIZE = 200;

export const exportsDir = (services: Services) => path.join(services.config.dataDir, 'exports');
export const exportBuildingDir = (services: Services) => path.join(exportsDir(services), 'building');
/** The finished zip's file name under exportsDir. */
export const exportFileName = (id: string) => `${id}.zip`;

/** Removes whatever an earlier try at building this export left in the building folder. */
export async function removeBuildingFiles(services: Services, exportId: string): Promise<void> {
  const dir = exportBuildingDir(services);
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.filter((n) => n.startsWith(`${exportId}.`)).map((n) => rm(path.join(dir, n), { force: true })),
  );
}

const INDEX_CSV_HEADER = [
  'letter_id',
  'sender',
  'sender_reference',
  'subject',
  'received_at',
  'available_at',
  'first_read_at',
  'folder',
  'read',
  'legal_notification',
  'documents_withheld',
  'document_position',
  'document_title',
  'document_file',
  'document_media_type',
  'document_size_bytes',
  'document_sha256',
];

const ACTIVITY_CSV_HEADER = ['id', 'occurred_at', 'who', 'what', 'kind', 'letter_id'];

interface Built {
  letters: number;
}

/**
 * Job 'mailbox.export-build': builds the zip of export `exportId` (see docs/ARCHITECTURE.md, "Mailbox export"):
 * every letter of the mailbox with its documents under `letters/<folder>/<date> <subject> <id>/`, index.json and
 * index.csv, the activity log as activity.json and activity.csv, and README.txt. Streamed: letters by keyset pages,
 * documents from the store into the zip, the index files to disk beside it; progress saved after every page.
 *
 * Crash-safe: everything is written in `exports/building/` under the export's id; only a complete, fsynced zip is
 * renamed to `exports/<id>.zip`, and only then is the row marked ready. A try that dies (or throws) leaves a
 * 'running' row: the next try (graphile-worker retries the job; a dead worker's jobs are unlocked) starts over from
 * nothing, after deleting what the dead try left. The last try's failure marks the export failed.
 */
export async function buildMailboxExport(
  services: Services,
  exportId: string,
  options: { lastAttempt?: boolean; pageSize?: number; afterPage?: (done: number) => Promise<void> } = {},
): Promise<'ready' | 'skipped'> {
  const existing = await findExport(services.db, exportId);
  if (!existing || (existing.state !== 'queued' && existing.state !== 'running')) return 'skipped';
  const total = await countExportLetters(services.db, existing.mailboxId);
  const row = await startExport(services.db, exportId, total);
  if (!row) return 'skipped';
  const building = exportBuildingDir(services);
  await mkdir(building, { recursive: true });
  await removeBuildingFiles(services, exportId);
  try {
    const part = path.join(building, `${exportId}.zip.part`);
    const built = await writeExportZip(services, row, part, options.pageSize ?? EXPORT_PAGE_SIZE, options.afterPage);
    const { size } = await stat(part);
    const finalName = exportFileName(exportId);
    await rename(part, path.join(exportsDir(services), finalName));
    const marked = await services.db.transaction().execute(async (trx) => {
      const ok = await markExportReady(
        trx,
        exportId,
        { name: finalName, sizeBytes: size, letters: built.letters },
        EXPORT_KEEP_DAYS,
      );
      if (ok) {
        await recordAudit(trx, {
          actorKind: 'system',
          actorId: 'mailbox.export-build',
          action: 'mailbox.export.ready',
          subjectType: 'mailbox_export',
          subjectId: exportId,
          mailboxRecipientId: row.mailboxId,
          details: { letters: built.letters, sizeBytes: size },
        });
      }
      return ok;
    });
    // Expired or failed meanwhile (not running any more): the file is nobody's.
    if (!marked) await rm(path.join(exportsDir(services), finalName), { force: true });
    return marked ? 'ready' : 'skipped';
  } catch (error) {
    if (options.lastAttempt) await markExportFailed(services.db, exportId, (error as Error).message ?? String(error));
    throw error;
  } finally {
    await removeBuildingFiles(services, exportId);
  }
}

async function writeExportZip(
  services: Services,
  row: { id: string; mailboxId: string; lang: 'da' | 'en' },
  file: string,
  pageSize: number,
  afterPage?: (done: number) => Promise<void>,
): Promise<Built> {
  const { db, documents } = services;
  const tr = translator(row.lang);
  const owner = await findExportOwner(db, row.mailboxId);
  if (!owner) throw new Error(`mailbox ${row.mailboxId} does not exist`);
  const now = new Date();
  const base = path.join(path.dirname(file), row.id);
  const zip = new ZipFileSink(file);
  const indexJson = new LineFile(`${base}.index.json.part`);
  const indexCsv = new LineFile(`${base}.index.csv.part`);
  const activityJson = new LineFile(`${base}.activity.json.part`);
  const activityCsv = new LineFile(`${base}.activity.csv.part`);
  const lineFiles = [indexJson, indexCsv, activityJson, activityCsv];
  try {
    await indexJson.write(
      `{"format":"kuvert-mailbox-export/1","exportId":${JSON.stringify(row.id)},"exportedAt":${JSON.stringify(now.toISOString())},` +
        `"mailbox":${JSON.stringify({ id: owner.id, name: owner.name, kind: owner.kind })},"letters":[\n`,
    );
    await indexCsv.write(`\ufeff${csvLine(INDEX_CSV_HEADER)}`);

    // Folders as directories: one unique directory name per folder (a user folder may be called "Inbox" too).
    const folderDirs = new UniqueNames();
    const folderDirOf = new Map<string, string>();
    // The system folders keep their own names; a user folder of the same name becomes "Indbakke (2)".
    for (const kind of ['inbox', 'archive', 'trash'] as const) {
      folderDirOf.set(kind, folderDirs.take(tr(`mailbox.folder.${kind}`), kind, false));
    }
    const letterDirs = new Map<string, UniqueNames>();
    const folderOf = (letter: ExportLetterRow) => {
      const kind = letter.folder ?? 'inbox';
      const key = kind === 'user' ? `user:${letter.folderName ?? ''}` : kind;
      const name = kind === 'user' ? (letter.folderName ?? '') : tr(`mailbox.folder.${kind}`);
      let dir = folderDirOf.get(key);
      if (!dir) {
        dir = folderDirs.take(name, 'mappe', false);
        folderDirOf.set(key, dir);
      }
      return { kind, name, dir };
    };

    let letters = 0;
    let after: { availableAt: Date; id: string } | null = null;
    for (;;) {
      const page = await exportLetterPage(db, row.mailboxId, after, pageSize);
      if (page.length === 0) break;
      const docs = await exportDocuments(
        db,
        page.map((l) => l.id),
      );
      const docsOf = new Map<string, ExportDocumentRow[]>();
      for (const d of docs) docsOf.set(d.messageId, [...(docsOf.get(d.messageId) ?? []), d]);
      for (const letter of page) {
        const folder = folderOf(letter);
        const subject = letter.label.replace(/\s+/g, ' ').trim().slice(0, 60);
        const inFolder = letterDirs.get(folder.dir) ?? new UniqueNames();
        letterDirs.set(folder.dir, inFolder);
        const letterDir = inFolder.take(
          `${dayOf(letter.availableAt)} ${subject} ${letter.id.slice(-8)}`,
          letter.id,
          false,
        );
        const dir = `letters/${folder.dir}/${letterDir}`;
        // An unopened legal notification is served when its owner opens it: the export lists it without its documents.
        const withheld = letter.legalNotification && letter.firstReadAt === null;
        const names = new UniqueNames();
        const entries = [];
        for (const doc of withheld ? [] : (docsOf.get(letter.id) ?? [])) {
          const name = `${dir}/${names.take(doc.filename, `dokument-${doc.position}`)}`;
          let sha256 = doc.sha256;
          if (doc.mediaType === 'text/html') {
            // As the letter page gives it out: sanitised, with its own CSP (never the sender's HTML as it came).
            const html = (await documents.get(doc.sha256)).toString('utf8');
            const bytes = Buffer.from(downloadableHtml(html, doc.title, row.lang), 'utf8');
            sha256 = createHash('sha256').update(bytes).digest('hex');
            zip.add(name, letter.availableAt, async () => Readable.from([bytes]));
          } else {
            zip.add(name, letter.availableAt, async () => verified(documents.stream(doc.sha256), doc.sha256));
          }
          entries.push({ doc, name, sha256 });
        }
        const read = !(letter.itemUnread ?? letter.firstReadAt === null);
        await indexJson.write(
          `${letters > 0 ? ',\n' : ''}${JSON.stringify({
            id: letter.id,
            sender: letter.senderName,
            senderReference: letter.senderReference,
            subject: letter.label,
            receivedAt: letter.receivedAt,
            availableAt: letter.availableAt,
            firstReadAt: letter.firstReadAt,
            folder: { kind: folder.kind, name: folder.name, directory: `letters/${folder.dir}` },
            read,
            legalNotification: letter.legalNotification,
            documentsWithheld: withheld ? 'legal_notification_not_opened' : null,
            directory: dir,
            documents: entries.map(({ doc, name, sha256 }) => ({
              position: doc.position,
              title: doc.title,
              file: name,
              mediaType: doc.mediaType,
              sizeBytes: doc.mediaType === 'text/html' ? null : doc.sizeBytes,
              sha256,
              ...(sha256 !== doc.sha256 ? { originalSha256: doc.sha256, sanitised: true } : {}),
            })),
          })}`,
        );
        const letterFields = [
          letter.id,
          letter.senderName,
          letter.senderReference,
          letter.label,
          letter.receivedAt.toISOString(),
          letter.availableAt.toISOString(),
          letter.firstReadAt?.toISOString() ?? null,
          folder.name,
          read,
          letter.legalNotification,
          withheld ? 'legal_notification_not_opened' : null,
        ];
        if (entries.length === 0) await indexCsv.write(csvLine([...letterFields, null, null, null, null, null, null]));
        for (const { doc, name, sha256 } of entries) {
          await indexCsv.write(
            csvLine([
              ...letterFields,
              doc.position,
              doc.title,
              name,
              doc.mediaType,
              doc.mediaType === 'text/html' ? null : doc.sizeBytes,
              sha256,
            ]),
          );
        }
        letters++;
      }
      await zip.drain();
      await setExportProgress(db, row.id, letters);
      await afterPage?.(letters);
      const lastLetter = page[page.length - 1] as ExportLetterRow;
      after = { availableAt: lastLetter.availableAt, id: lastLetter.id };
      if (page.length < pageSize) break;
    }
    await indexJson.write(`\n]}\n`);

    // The activity log, as the owner's activity page shows it (ungrouped: one line per recorded event).
    await activityJson.write(
      `{"format":"kuvert-activity-log/1","mailbox":${JSON.stringify({ id: owner.id, name: owner.name })},"events":[\n`,
    );
    await activityCsv.write(`\ufeff${csvLine(ACTIVITY_CSV_HEADER)}`);
    let events = 0;
    const mailbox = {
      owner,
      access: { mailboxId: owner.id, level: 'owner' as const, via: 'self' as const, grantId: null },
    };
    for await (const line of activityForExport(db, mailbox, row.lang)) {
      const { item } = line;
      await activityJson.write(
        `${events > 0 ? ',\n' : ''}${JSON.stringify({
          id: item.id,
          occurredAt: item.occurredAt,
          who: line.whoText,
          what: line.whatText,
          detail: { who: item.who, what: item.what, letterId: item.messageId },
        })}`,
      );
      await activityCsv.write(
        csvLine([item.id, item.occurredAt.toISOString(), line.whoText, line.whatText, item.what.kind, item.messageId]),
      );
      events++;
    }
    await activityJson.write(`\n]}\n`);
    for (const f of lineFiles) await f.close();

    zip.addBuffer('README.txt', now, Buffer.from(readme(tr, owner.name, now, letters, events), 'utf8'));
    zip.addFile('index.json', indexJson.path, now);
    zip.addFile('index.csv', indexCsv.path, now);
    zip.addFile('activity.json', activityJson.path, now);
    zip.addFile('activity.csv', activityCsv.path, now);
    // The mailbox's audit chain, signed with Kuvert's evidence key (anyone can check it: kuvert audit verify --file).
    const signed = await exportAuditChain(db, owner.id, now);
    zip.addBuffer('activity.signed.json', now, Buffer.from(`${JSON.stringify(signed)}\n`, 'utf8'));
    await zip.finish();
    return { letters };
  } catch (error) {
    zip.abort();
    for (const f of lineFiles) f.destroy();
    throw error;
  }
}

/**
 * The stored bytes as they pass into the zip, checked against the SHA-256 the index gives for them: a document that
 * changed on disk fails the build rather than ship under a hash it does not have.
 */
function verified(source: Readable, sha256: string): Readable {
  const hash = createHash('sha256');
  const check = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      const actual = hash.digest('hex');
      callback(actual === sha256 ? null : new Error(`document ${sha256} does not match its hash (${actual})`));
    },
  });
  source.once('error', (error) => check.destroy(error));
  return source.pipe(check);
}

function readme(tr: ReturnType<typeof translator>, owner: string, at: Date, letters: number, events: number): string {
  return `${tr('export.readme', { owner, at: at.toISOString(), letters: String(letters), events: String(events) })}\r\n`;
}
