/**
 * Today's escalation of an unread letter (issue 18, dry run): a reminder and print-if-unread, each a number of
 * days after the letter became available, from the sender's defaults (notify_sender_default), as new-mail.ts
 * records them (available_at + N days) and followups.ts carries them out. Per-letter options
 * (notify_message_option) can only be set after sending, so a plan uses the defaults.
 *
 * ONE small function on purpose: the per-letter escalation plans of issue 18 replace it with their own schedule
 * function (exported from this module's index.ts) when the two are merged.
 */
export interface EscalationStep {
  action: 'reminder' | 'print_if_unread';
  /** When it is due (followups.ts runs every five minutes and takes it then, if the letter is still unread). */
  at: Date;
}

const DAY_MS = 86_400_000;

/** The steps, in time order; none when the sender asks for neither. */
export function escalationSchedule(
  defaults: { remindAfterDays: number | null; printIfUnreadAfterDays: number | null },
  availableAt: Date,
): EscalationStep[] {
  const steps: EscalationStep[] = [];
  // n × 24 hours: what make_interval(days => n) adds to a timestamptz in a UTC session (a session in a zone with
  // daylight saving would move a step across the change by an hour).
  if (defaults.remindAfterDays != null) {
    steps.push({ action: 'reminder', at: new Date(availableAt.getTime() + defaults.remindAfterDays * DAY_MS) });
  }
  if (defaults.printIfUnreadAfterDays != null) {
    steps.push({
      action: 'print_if_unread',
      at: new Date(availableAt.getTime() + defaults.printIfUnreadAfterDays * DAY_MS),
    });
  }
  return steps.sort((a, b) => a.at.getTime() - b.at.getTime());
}
