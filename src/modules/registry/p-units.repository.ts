import type { Db } from '../../db/database.ts';
import type { ClosedReason, Enrolment } from '../../db/schema.ts';

export interface PUnitMailbox {
  pNumber: string;
  /** The business the unit belongs to: its mailbox takes the unit's post. */
  id: string;
  enrolment: Enrolment;
  closedReason: ClosedReason | null;
  unitCeasedOn: string | null;
}

/** Production units by P-number, with their business's enrolment (one index lookup). */
export async function findPUnits(db: Db, pNumbers: string[]): Promise<PUnitMailbox[]> {
  if (pNumbers.length === 0) return [];
  const rows = await db
    .selectFrom('p_unit')
    .innerJoin('recipient', 'recipient.id', 'p_unit.business_id')
    .select(['p_unit.p_number', 'p_unit.ceased_on', 'recipient.id', 'recipient.enrolment', 'recipient.closed_reason'])
    .where('p_unit.p_number', '=', (eb) => eb.fn.any(eb.val(pNumbers)))
    .execute();
  return rows.map((r) => ({
    pNumber: r.p_number,
    id: r.id,
    enrolment: r.enrolment,
    closedReason: r.closed_reason,
    unitCeasedOn: r.ceased_on,
  }));
}
