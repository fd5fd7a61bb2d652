import { sql } from 'kysely';
import type { Enrolment } from '../../db/schema.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import type { RegistryActor } from './enrolment.ts';
import { populationRuleCte } from './population-transitions.ts';

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
 * decideTransition, set-based through population_rule: exempted people and closed mailboxes are never touched (only 'not_enrolled' rows
 * are), so running it twice changes nothing. One history row and one audit event per person, in one transaction.
 */
export async function enrolNewFifteenYearOlds(services: Services, now: Date): Promise<AgeRuleResult> {
  const cutoff = fifteenCutoff(now);
  return services.db.transaction().execute(async (trx) => {
    // The states the rule changes and what it makes of them come from population_rule (population-transitions.ts):
    // only 'not_enrolled' people are enrolled; exemptions and closed mailboxes stay as they are.
    const { rows } = await sql<{ recipient_id: string; from_state: Enrolment; to_state: Enrolment }>`
      with ${populationRuleCte()},
      due as (
        select r.id from recipient r
        where r.kind = 'person' and r.birth_date <= ${cutoff}::date
          and r.enrolment in (select known from population_rule where event = 'turned_15' and adult)
        order by r.id
        for update
      ), changed as (
        update recipient r
        set enrolment = t.to_state, exemption_ground = null, closed_reason = t.closed_reason, delete_after = null,
            enrolment_changed_at = ${now}
        from due
        join population_rule t on t.event = 'turned_15' and t.adult and t.last
        where r.id = due.id and r.enrolment = t.known
        returning r.id, t.known
      )
      insert into enrolment_change (recipient_id, occurred_at, kind, from_state, to_state, note, actor_kind, actor_id, actor_name)
      select c.id, ${now}, t.kind, t.from_state, t.to_state, t.note,
             ${ageRuleActor.kind}, ${ageRuleActor.id}, ${ageRuleActor.name ?? null}
      from changed c join population_rule t on t.event = 'turned_15' and t.adult and t.known = c.known
      order by c.id, t.step
      returning recipient_id, from_state, to_state
    `.execute(trx);
    // Audited like changeEnrolment does it, last in the transaction so the audit chain's lock is held briefly.
    for (const row of rows) {
      await recordAudit(trx, {
        actorKind: 'system',
        actorId: ageRuleActor.id,
        action: 'registry.enrolled_automatically',
        subjectType: 'recipient',
        subjectId: row.recipient_id,
        mailboxRecipientId: row.recipient_id,
        details: { from: row.from_state, to: row.to_state },
      });
    }
    return { enrolled: rows.length };
  });
}
