import type { CronItem, TaskList } from 'graphile-worker';
import { enqueue } from '../../jobs/queue.ts';
import type { Services } from '../../services.ts';
import { indexMailboxTexts } from './search.ts';

/** The mailbox module's jobs and their payloads (merged into JobPayloads in src/jobs/queue.ts). */
export type MailboxJobPayloads = {
  /** Indexes a mailbox's not yet indexed text documents for search (queued by a search that found a backlog). */
  'mailbox.index-text': { mailboxId: string };
};

declare module '../../jobs/queue.ts' {
  interface JobPayloads extends MailboxJobPayloads {}
}

const INDEX_CHUNK = 200;

/** Handlers for MailboxJobPayloads, by name (merged into the worker's task list). */
export function mailboxTasks(services: Services): TaskList {
  return {
    'mailbox.index-text': async (payload) => {
      const { mailboxId } = payload as MailboxJobPayloads['mailbox.index-text'];
      const more = await indexMailboxTexts(services.db, services.documents, mailboxId, INDEX_CHUNK);
      if (more) {
        await enqueue(services.db, 'mailbox.index-text', { mailboxId }, { jobKey: `mailbox.index-text:${mailboxId}` });
      }
    },
  };
}

/** Recurring mailbox jobs (UTC cron; see cronItems in src/worker.ts for the conventions). */
export const mailboxCron: CronItem[] = [];
