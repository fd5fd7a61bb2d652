import type { CronItem, TaskList } from 'graphile-worker';
import type { Services } from '../../services.ts';
import { runFollowups } from './followups.ts';
import { runEscalations } from './run-escalations.ts';
import { sendDueNotifications } from './send-notifications.ts';
import { sweepPendingNotifications } from './sweep-new-mail.ts';

/** The notify module's jobs and their payloads (merged into JobPayloads in src/jobs/queue.ts). */
export type NotifyJobPayloads = {
  /** Turns coalesced new-mail rows older than the window into notifications (every minute). */
  'notify-sweep': { _cron?: { ts: string; backfilled?: boolean } };
  /** Sends due notifications (after a sweep, at the next retry time, and every minute as a safety net). */
  'notify-send': { _cron?: { ts: string; backfilled?: boolean } };
  /** Reminders and print-if-unread, and escalation plans' due steps (every 5 minutes). */
  'notify-followups': { _cron?: { ts: string; backfilled?: boolean } };
};

declare module '../../jobs/queue.ts' {
  interface JobPayloads extends NotifyJobPayloads {}
}

/** Handlers for NotifyJobPayloads, by name (merged into the worker's task list). */
export function notifyTasks(services: Services): TaskList {
  return {
    'notify-sweep': async (_payload, helpers) => {
      const result = await sweepPendingNotifications(services);
      if (result.queued) helpers.logger.info(`notify: ${result.queued} notifications queued`);
    },
    'notify-send': async (_payload, helpers) => {
      const result = await sendDueNotifications(services);
      if (result.sent || result.failed || result.retried) {
        helpers.logger.info(`notify: ${result.sent} sent, ${result.retried} to retry, ${result.failed} failed`);
      }
    },
    'notify-followups': async (_payload, helpers) => {
      const result = await runFollowups(services);
      if (result.reminded || result.printed) {
        helpers.logger.info(`notify: ${result.reminded} reminders, ${result.printed} letters to print if unread`);
      }
      const escalations = await runEscalations(services);
      if (escalations.steps || escalations.stopped) {
        helpers.logger.info(`notify: ${escalations.steps} escalation steps run, ${escalations.stopped} plans stopped`);
      }
    },
  };
}

/** Recurring notify jobs (UTC cron; see cronItems in src/worker.ts for the conventions). */
export const notifyCron: CronItem[] = [
  {
    task: 'notify-sweep',
    match: '* * * * *',
    identifier: 'notify-sweep',
    options: { jobKey: 'notify-sweep', queueName: 'notify-sweep', maxAttempts: 5 },
  },
  {
    task: 'notify-send',
    match: '* * * * *',
    identifier: 'notify-send',
    options: { jobKey: 'notify-send-cron', maxAttempts: 3 },
  },
  {
    task: 'notify-followups',
    match: '*/5 * * * *',
    identifier: 'notify-followups',
    options: { jobKey: 'notify-followups', queueName: 'notify-followups', maxAttempts: 5 },
  },
];
