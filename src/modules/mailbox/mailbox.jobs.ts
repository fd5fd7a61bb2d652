import type { CronItem, TaskList } from 'graphile-worker';
import { enqueue } from '../../jobs/queue.ts';
import type { Services } from '../../services.ts';
import { buildMailboxExport } from './build-export.ts';
import { expireMailboxExports } from './expire-exports.ts';
import { dispatchInboxWebhooks } from './inbox-webhooks.ts';
import { purgeDueLetters } from './purge-letters.ts';
import { notifyFolderEmployees } from './rule-notify.ts';
import { extractPendingTexts } from './search.ts';

/** The mailbox module's jobs and their payloads (merged into JobPayloads in src/jobs/queue.ts). */
export type MailboxJobPayloads = {
  /**
   * Extracts the text of documents (text, HTML, PDF) of delivered letters that wait for it, once per content, and adds
   * it to their search data (run every minute, and queued by a search that found letters waiting). `mailboxId`:
   * that mailbox's first (jobs queued before issue 16 name one).
   */
  'mailbox.index-text': { mailboxId?: string };
  /**
   * A routing rule filed a letter into a folder and asked to notify the folder's employees (queued by the delivery
   * trigger of migration 0032): those with a grant scoped to that folder get "new Digital Post".
   */
  'mailbox.rule-notify': { messageId: string; folderId: string };
  /**
   * Tells a business mailbox's webhook endpoints of its new letters (inbox-webhooks.ts). Queued by the delivery
   * trigger (migration 0035) and by a run that leaves letters to tell; retried with backoff while an endpoint fails.
   */
  'mailbox.inbox-webhooks': { mailboxId: string };
  /**
   * Builds the zip of a requested export of a whole mailbox (build-export.ts). Queued with the export's row; a retry
   * starts over; the last try's failure marks the export failed.
   */
  'mailbox.export-build': { exportId: string };
  /** Deletes exports past their 7 days and what crashed builds left (every 15 minutes; expire-exports.ts). */
  'mailbox.export-expire': { _cron?: { ts: string; backfilled?: boolean } };
  /**
   * Deletes letters whose retention has passed, letters their owner deleted for good, and closed mailboxes' letters
   * once due (purge-letters.ts); hourly, and queued again by a run that stopped at its batch limit.
   */
  'mailbox.purge-letters': { _cron?: { ts: string; backfilled?: boolean } };
};

declare module '../../jobs/queue.ts' {
  interface JobPayloads extends MailboxJobPayloads {}
}

/** Documents read per run; a run that leaves letters waiting queues the next. */
const INDEX_CHUNK = 50;

/** Handlers for MailboxJobPayloads, by name (merged into the worker's task list). */
export function mailboxTasks(services: Services): TaskList {
  return {
    'mailbox.index-text': async (payload) => {
      const { mailboxId } = (payload ?? {}) as MailboxJobPayloads['mailbox.index-text'];
      const more = await extractPendingTexts(services.db, services.documents, INDEX_CHUNK, mailboxId);
      if (more) await enqueue(services.db, 'mailbox.index-text', {}, { jobKey: 'mailbox.index-text' });
    },
    'mailbox.rule-notify': async (payload) => {
      await notifyFolderEmployees(services.db, payload as MailboxJobPayloads['mailbox.rule-notify']);
    },
    'mailbox.inbox-webhooks': async (payload) =>
      dispatchInboxWebhooks(services, payload as MailboxJobPayloads['mailbox.inbox-webhooks']),
    'mailbox.export-build': async (payload, helpers) => {
      const { exportId } = payload as MailboxJobPayloads['mailbox.export-build'];
      await buildMailboxExport(services, exportId, {
        lastAttempt: helpers.job.attempts >= helpers.job.max_attempts,
      });
    },
    'mailbox.export-expire': async () => {
      await expireMailboxExports(services);
    },
    'mailbox.purge-letters': async (_payload, helpers) => {
      const result = await purgeDueLetters(services);
      if (result.messages || result.mailboxes) {
        helpers.logger.info(
          `retention: ${result.messages} letters, ${result.events} event rows, ${result.documents} documents ` +
            `(${result.files} files), ${result.mailboxes} closed mailboxes purged`,
        );
      }
      if (result.more) {
        await enqueue(services.db, 'mailbox.purge-letters', {}, { jobKey: 'mailbox.purge-letters' });
      }
    },
  };
}

/** Recurring mailbox jobs (UTC cron; see cronItems in src/worker.ts for the conventions). */
export const mailboxCron: CronItem[] = [
  {
    task: 'mailbox.index-text',
    match: '* * * * *',
    identifier: 'mailbox.index-text',
    options: { jobKey: 'mailbox.index-text', maxAttempts: 5 },
  },
  {
    task: 'mailbox.export-expire',
    match: '*/15 * * * *',
    identifier: 'mailbox.export-expire',
    options: { jobKey: 'mailbox.export-expire', maxAttempts: 3 },
  },
  {
    task: 'mailbox.purge-letters',
    match: '41 * * * *',
    identifier: 'mailbox.purge-letters',
    // One run at a time (its own queue); batches are transactions, so a retry after a crash starts where it stopped.
    options: { jobKey: 'mailbox.purge-letters', queueName: 'retention', maxAttempts: 5 },
  },
];
