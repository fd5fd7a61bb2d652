import { sql } from 'kysely';
import type { Services } from '../../services.ts';

export interface TransportState {
  state: 'operational' | 'degraded' | 'down';
  /** Plain text for operators, e.g. "SMTP peer refused the connection at 14:02". Never personal data. */
  detail: string | null;
}

const RECENT_MINUTES = 15;

/**
 * The live state of the notification transports, for the operational status page (/drift): a quick check of the
 * e-mail and SMS transports (connect and greet the SMTP peer, bind and enquire_link at the SMPP peer) combined with
 * recent delivery failures. A peer that does not answer is 'degraded' (notifications wait and are retried, none are
 * lost); answering but with more failures than successes in the last 15 minutes is 'degraded' too.
 */
export async function checkNotificationTransports(
  services: Services,
): Promise<{ email: TransportState; sms: TransportState }> {
  const [emailCheck, smsCheck, recent] = await Promise.all([
    services.notifications.email.check(),
    services.notifications.sms.check(),
    sql<{ channel: string; failed: string; ok: string }>`
      select case when channel = 'email' then 'email' else 'sms' end as channel,
        count(*) filter (where last_error is not null and state in ('queued', 'failed')) as failed,
        count(*) filter (where state in ('sent', 'delivered')) as ok
      from notification
      where next_attempt_at > now() - make_interval(mins => ${RECENT_MINUTES}) or sent_at > now() - make_interval(mins => ${RECENT_MINUTES})
      group by 1
    `
      .execute(services.db)
      .then((r) => r.rows)
      .catch(() => []),
  ]);
  const state = (check: { ok: boolean; detail: string | null }, channel: 'email' | 'sms'): TransportState => {
    if (!check.ok) return { state: 'degraded', detail: check.detail };
    const row = recent.find((r) => r.channel === channel);
    const failed = Number(row?.failed ?? 0);
    const ok = Number(row?.ok ?? 0);
    if (failed > 0 && failed > ok) {
      return {
        state: 'degraded',
        detail: `${failed} ${channel === 'email' ? 'e-mails' : 'SMS'} waiting to be retried`,
      };
    }
    return { state: 'operational', detail: null };
  };
  return { email: state(emailCheck, 'email'), sms: state(smsCheck, 'sms') };
}
