import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * "New Digital Post" for the employees of a business's folder (issue 17: a routing rule that notifies the folder's
 * employees): one notify_pending row per person, coalesced with any other new mail of theirs, for those with a
 * confirmed, working contact detail of their own (a person's contact details are theirs; the business's are the
 * business's). Someone without one is not notified: they see the letter when they open the business's mailbox.
 * Returns how many people got a pending notification.
 */
export async function scheduleFolderMailNotification(
  trx: Db,
  personIds: readonly string[],
  now: Date,
): Promise<number> {
  if (personIds.length === 0) return 0;
  const { rows } = await sql<{ recipient_id: string }>`
    insert into notify_pending (recipient_id, first_at, last_at, letters)
    select p.id, ${now}::timestamptz, ${now}::timestamptz, 1
    from unnest(${personIds as string[]}::uuid[]) p(id)
    where exists (
      select 1 from contact_detail c
      where c.recipient_id = p.id and c.confirmed_at is not null and c.failing_since is null
    )
    on conflict (recipient_id) do update
      set last_at = greatest(notify_pending.last_at, excluded.last_at),
          letters = notify_pending.letters + excluded.letters
    returning recipient_id
  `.execute(trx);
  return rows.length;
}
