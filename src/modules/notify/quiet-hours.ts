const ZONE = 'Europe/Copenhagen';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The wall-clock time in Copenhagen at `at`, as numbers. */
export function copenhagenTime(at: Date): { year: number; month: number; day: number; hour: number; minute: number } {
  const p = Object.fromEntries(parts.formatToParts(at).map((x) => [x.type, x.value]));
  return { year: +p.year!, month: +p.month!, day: +p.day!, hour: +p.hour!, minute: +p.minute! };
}

/** The instant when the Copenhagen clock shows this date and hour (DST-aware). */
function copenhagenInstant(year: number, month: number, day: number, hour: number): Date {
  let guess = Date.UTC(year, month - 1, day, hour);
  for (let i = 0; i < 2; i++) {
    const local = copenhagenTime(new Date(guess));
    const shown = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
    guess += Date.UTC(year, month - 1, day, hour) - shown;
  }
  return new Date(guess);
}

/**
 * When an SMS may go out: `now` if the Copenhagen clock is between fromHour and untilHour (08–21 by default),
 * otherwise the next fromHour o'clock. E-mail has no quiet hours; urgent messages skip this.
 */
export function nextSmsTime(now: Date, fromHour = 8, untilHour = 21): Date {
  const local = copenhagenTime(now);
  if (local.hour >= fromHour && local.hour < untilHour) return now;
  if (local.hour < fromHour) return copenhagenInstant(local.year, local.month, local.day, fromHour);
  const tomorrow = new Date(Date.UTC(local.year, local.month - 1, local.day + 1));
  return copenhagenInstant(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, tomorrow.getUTCDate(), fromHour);
}

/**
 * When a queued notification is first tried: e-mail at once; SMS at once inside 08–21 (the configured hours) or if
 * urgent, else at the next morning's first hour. The one rule for new-mail notifications, reminders and dry runs.
 */
export function firstAttemptAt(
  channel: 'email' | 'sms',
  urgent: boolean,
  now: Date,
  hours: { smsFromHour: number; smsUntilHour: number },
): Date {
  return channel === 'sms' && !urgent ? nextSmsTime(now, hours.smsFromHour, hours.smsUntilHour) : now;
}
