import { sql } from 'kysely';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { RegistryActor } from './enrolment.ts';

/** The scheduled rule, as it appears in enrolment history and the audit log. */
export const ageRuleActor: RegistryActor = { kind: 'system', id: 'rule:age-15', name: 'Automatic enrolment at 15' };

/**
 * The latest birth date (YYYY-MM-DD) of someone who is 15 or older on `now`'s UTC day: `birth_date <= cutoff` is
 * exactly `ageOn(birth_date, now) >= 15`, including leap days (born 29 February → 15 on 1 March in common years).
 */
export function fifteenCutoff(now: Date): string {
  const year = now.getUTCFullYear() - 15;
  const month = now.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(now.getUTCDate(), lastDay);
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export interface AgeRuleResult {
  enrolled: number;
}

/**
 * Enrols everyone who is 15 or older on `now` and not enrolled yet — the 'enrol_automatically' (turned_15) rule of
 * decideTransition, set-based: exempted people and closed mailboxes are never touched (only 'not_enrolled' rows
 * are), so running it twice changes nothing. One history row and one audit event per person, in one transaction.
 */
export async function enrolNewFifteenYearOlds(services: Services, now: Date): Promise<AgeRuleResult> {
  const cutoff = fifteenCutoff(now);
  return services.db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ recipient_id: string }>`
      with due as (
        select id from recipient
        where kind = 'person' and enrolment = 'not_enrolled' and birth_date <= ${cutoff}::date
        order by id
        for update
      ), changed as (
        update recipient r
        set enrolment = 'automatic', exemption_ground = null, closed_reason = null, delete_after = null,
            enrolment_changed_at = ${now}
        from due where r.id = due.id and r.enrolment = 'not_enrolled'
        returning r.id
      )
      insert into enrolment_change (recipient_id, occurred_at, kind, from_state, to_state, note, actor_kind, actor_id, actor_name)
      select id, ${now}, 'enrolled_automatically', 'not_enrolled', 'automatic', 'turned_15',
             ${ageRuleActor.kind}, ${ageRuleActor.id}, ${ageRuleActor.name ?? null}
      from changed order by id
      returning recipient_id
    `.execute(trx);
    // Audited like changeEnrolment does it, last in the transaction so the audit chain's lock is held briefly.
    for (const { recipient_id } of rows) {
      await recordAudit(trx, {
        actorKind: 'system',
        actorId: ageRuleActor.id,
        action: 'registry.enrolled_automatically',
        subjectType: 'recipient',
        subjectId: recipient_id,
        mailboxRecipientId: recipient_id,
        details: { from: 'not_enrolled', to: 'automatic' },
      });
    }
    return { enrolled: rows.length };
  });
}
