import type { Db } from '../../db/database.ts';

/** Live owner access through a business: the business's administrators. */
function liveOwners(db: Db, mailboxId: string, now: Date) {
  return db
    .selectFrom('mailbox_access as g')
    .where('g.mailbox_id', '=', mailboxId)
    .where('g.kind', '=', 'business')
    .where('g.level', '=', 'owner')
    .where('g.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('g.ends_at', 'is', null), eb('g.ends_at', '>', now)]));
}

/** How many people administer the business `mailboxId` now. */
export async function countAdministrators(db: Db, mailboxId: string, now: Date): Promise<number> {
  const row = await liveOwners(db, mailboxId, now)
    .select((eb) => eb.fn.count<string>(eb.fn('distinct', ['g.grantee_id'])).as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One administrator: the access that makes them one, and their name. */
export interface Administrator {
  accessId: string;
  granteeId: string;
  name: string;
  since: Date;
  createdByKind: string;
}

/** The business's administrators, oldest first. */
export async function listAdministrators(db: Db, mailboxId: string, now: Date): Promise<Administrator[]> {
  return liveOwners(db, mailboxId, now)
    .innerJoin('recipient as p', 'p.id', 'g.grantee_id')
    .select([
      'g.id as accessId',
      'g.grantee_id as granteeId',
      'p.name',
      'g.created_at as since',
      'g.created_by_kind as createdByKind',
    ])
    .orderBy('g.created_at')
    .orderBy('g.id')
    .execute();
}

/** The business's live accesses held by `granteeId` (any level). */
export async function liveBusinessAccess(
  db: Db,
  mailboxId: string,
  granteeId: string,
  now: Date,
): Promise<{ id: string; level: string }[]> {
  return db
    .selectFrom('mailbox_access')
    .select(['id', 'level'])
    .where('mailbox_id', '=', mailboxId)
    .where('grantee_id', '=', granteeId)
    .where('kind', '=', 'business')
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
    .execute();
}

/** The registered business with CVR number `cvr`, or null. */
export async function findBusinessByCvr(db: Db, cvr: string): Promise<{ id: string; name: string } | null> {
  if (!/^[0-9]{8}$/.test(cvr)) return null;
  const row = await db
    .selectFrom('recipient')
    .select(['id', 'name'])
    .where('kind', '=', 'business')
    .where('cvr', '=', cvr)
    .executeTakeFirst();
  return row ?? null;
}
