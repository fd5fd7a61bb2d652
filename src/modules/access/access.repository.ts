import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AccessLevel, DelegationKind } from './mailbox.policy.ts';

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Strongest level first, as SQL (owner 0, read_write 1, read 2). */
const levelRank = sql<number>`case level when 'owner' then 0 when 'read_write' then 1 else 2 end`;

/** One access (delegation) in force, with the names on both sides. */
export interface Delegation {
  id: string;
  mailboxId: string;
  mailboxName: string;
  mailboxKind: 'person' | 'business';
  granteeId: string;
  granteeName: string;
  kind: DelegationKind;
  level: AccessLevel;
  documentReference: string | null;
  createdAt: Date;
  createdByKind: string;
  endsAt: Date | null;
  /** The folders a folder-scoped grant reaches (null: the whole mailbox). */
  folderIds: string[] | null;
}

/** A grant's folder scope as a column: null for whole-mailbox, else its folder ids (possibly none). */
const folderScope = (grant: string) =>
  sql<string[] | null>`case when ${sql.ref(`${grant}.folder_scoped`)} then array(
      select f.folder_id from mailbox_access_folder f where f.access_id = ${sql.ref(`${grant}.id`)} order by f.folder_id
    )::text[] end`;

function delegationQuery(db: Db, now: Date) {
  return db
    .selectFrom('mailbox_access as g')
    .innerJoin('recipient as mailbox', 'mailbox.id', 'g.mailbox_id')
    .innerJoin('recipient as grantee', 'grantee.id', 'g.grantee_id')
    .select([
      'g.id',
      'g.mailbox_id as mailboxId',
      'mailbox.name as mailboxName',
      'mailbox.kind as mailboxKind',
      'g.grantee_id as granteeId',
      'grantee.name as granteeName',
      'g.kind',
      'g.level',
      'g.document_reference as documentReference',
      'g.created_at as createdAt',
      'g.created_by_kind as createdByKind',
      'g.ends_at as endsAt',
      folderScope('g').as('folderIds'),
    ])
    .where('g.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('g.ends_at', 'is', null), eb('g.ends_at', '>', now)]));
}

/** The strongest access in force that `granteeId` holds to `mailboxId` at `now`, if any. */
export async function findStrongestAccess(
  db: Db,
  mailboxId: string,
  granteeId: string,
  now: Date,
): Promise<{ id: string; kind: DelegationKind; level: AccessLevel; folderIds: string[] | null } | null> {
  const row = await db
    .selectFrom('mailbox_access')
    .select(['id', 'kind', 'level', folderScope('mailbox_access').as('folderIds')])
    .where('mailbox_id', '=', mailboxId)
    .where('grantee_id', '=', granteeId)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
    .orderBy(levelRank)
    .orderBy('folder_scoped')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

/** Everything `granteeId` holds in force: the mailboxes others let them open. */
export async function listDelegationsHeld(db: Db, granteeId: string, now: Date): Promise<Delegation[]> {
  return delegationQuery(db, now).where('g.grantee_id', '=', granteeId).orderBy('mailbox.name').execute();
}

/** Everyone who may open `mailboxId` through a delegation in force, oldest first. */
export async function listDelegationsTo(db: Db, mailboxId: string, now: Date): Promise<Delegation[]> {
  return delegationQuery(db, now).where('g.mailbox_id', '=', mailboxId).orderBy('g.created_at').execute();
}

/** One delegation in force by id, or null (unknown, revoked or expired). */
export async function findDelegation(db: Db, id: string, now: Date): Promise<Delegation | null> {
  if (!UUID_RE.test(id)) return null;
  return (await delegationQuery(db, now).where('g.id', '=', id).executeTakeFirst()) ?? null;
}

/**
 * Locks the mailbox owner's row for the rest of the transaction, so two grants to the same person cannot both pass
 * the "already has access" check.
 */
export async function lockMailbox(trx: Db, mailboxId: string): Promise<void> {
  await trx.selectFrom('recipient').select('id').where('id', '=', mailboxId).forUpdate().execute();
}

/** Whether `granteeId` already holds a delegation of `kind` in force to `mailboxId`. */
export async function hasLiveDelegation(
  trx: Db,
  mailboxId: string,
  granteeId: string,
  kind: DelegationKind,
  now: Date,
): Promise<boolean> {
  const row = await trx
    .selectFrom('mailbox_access')
    .select('id')
    .where('mailbox_id', '=', mailboxId)
    .where('grantee_id', '=', granteeId)
    .where('kind', '=', kind)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
    .executeTakeFirst();
  return row !== undefined;
}

export interface NewDelegation {
  mailboxId: string;
  granteeId: string;
  kind: DelegationKind;
  level: AccessLevel;
  documentReference?: string | null;
  endsAt: Date | null;
  createdBy: { kind: string; id: string };
  createdAt: Date;
}

export async function insertDelegation(trx: Db, entry: NewDelegation): Promise<string> {
  const row = await trx
    .insertInto('mailbox_access')
    .values({
      mailbox_id: entry.mailboxId,
      grantee_id: entry.granteeId,
      kind: entry.kind,
      level: entry.level,
      document_reference: entry.documentReference ?? null,
      ends_at: entry.endsAt,
      created_at: entry.createdAt,
      created_by_kind: entry.createdBy.kind,
      created_by_id: entry.createdBy.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Ends a delegation now; false if it was already revoked. */
export async function revokeDelegation(
  trx: Db,
  id: string,
  by: { kind: string; id: string },
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('mailbox_access')
    .set({ revoked_at: now, revoked_by_kind: by.kind, revoked_by_id: by.id })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The moment after the last day (YYYY-MM-DD) of access, Copenhagen time: access holds through that whole day. */
export async function endOfDayInCopenhagen(db: Db, day: string): Promise<Date> {
  const { rows } = await sql<{ at: Date }>`
    select ((${day}::date + 1)::timestamp at time zone 'Europe/Copenhagen') as at
  `.execute(db);
  return (rows[0] as { at: Date }).at;
}

/** Midnight Copenhagen time at the start of `day` (YYYY-MM-DD), e.g. an 18th birthday. */
export async function startOfDayInCopenhagen(db: Db, day: string): Promise<Date> {
  const { rows } = await sql<{ at: Date }>`
    select (${day}::date::timestamp at time zone 'Europe/Copenhagen') as at
  `.execute(db);
  return (rows[0] as { at: Date }).at;
}

/** A mailbox's owner: name and kind, or null. */
export async function findMailboxOwner(
  db: Db,
  id: string,
): Promise<{ id: string; name: string; kind: 'person' | 'business' } | null> {
  if (!UUID_RE.test(id)) return null;
  return (
    (await db.selectFrom('recipient').select(['id', 'name', 'kind']).where('id', '=', id).executeTakeFirst()) ?? null
  );
}

/** The audit actions the activity log shows. */
export const ACTIVITY_ACTIONS = [
  'message.open',
  'message.document.open',
  'access.grant',
  'access.register',
  'access.revoke',
  'letter.forward',
  'letter.forward.received',
  'mailbox.export.request',
  'mailbox.export.download',
] as const;
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

/** One line of a mailbox's activity log, as stored: who, when, what, and the names it refers to. */
export interface ActivityRow {
  id: string;
  occurredAt: Date;
  action: ActivityAction;
  actorKind: string;
  actorId: string;
  /** A citizen actor's name (themselves or someone with access). */
  actorName: string | null;
  /** A caseworker's municipality (the owner is told the citizen service, not the person). */
  actorMunicipality: string | null;
  /** The access the reader held at that moment, when the reader was not the owner. */
  heldKind: DelegationKind | null;
  heldLevel: AccessLevel | null;
  messageId: string | null;
  messageLabel: string | null;
  documentTitle: string | null;
  granteeName: string | null;
  details: Record<string, unknown>;
}

const uuidCast = (expr: RawBuilder<unknown>) => sql`case when ${expr} ~ '^[0-9a-fA-F-]{36}$' then (${expr})::uuid end`;

/**
 * A page of the activity log of `mailboxId`, newest first, keyset-paginated on the audit id (`before`: ids below
 * it). Reads the audit index on (mailbox_recipient_id, id).
 */
export async function listActivity(
  db: Db,
  mailboxId: string,
  options: { before?: string; limit: number },
): Promise<ActivityRow[]> {
  const { rows } = await sql<ActivityRow>`
    select a.id::text as "id", a.occurred_at as "occurredAt", a.action, a.actor_kind as "actorKind",
           a.actor_id as "actorId", a.details,
           actor_person.name as "actorName", actor_municipality.name as "actorMunicipality",
           held.kind as "heldKind", held.level as "heldLevel",
           m.id as "messageId", m.label as "messageLabel", d.title as "documentTitle",
           grantee.name as "granteeName"
      from audit_event a
      left join recipient actor_person
        on a.actor_kind = 'citizen' and actor_person.id = ${uuidCast(sql.ref('a.actor_id'))}
      left join staff_user staff
        on a.actor_kind = 'caseworker' and staff.id = ${uuidCast(sql.ref('a.actor_id'))}
      left join municipality actor_municipality on actor_municipality.code = staff.municipality_code
      left join message m
        on a.subject_type = 'message' and m.id = ${uuidCast(sql.ref('a.subject_id'))}
       and m.recipient_id = a.mailbox_recipient_id
      left join message_document d
        on d.message_id = m.id
       and d.position = case when a.details->>'position' ~ '^[0-9]{1,4}$' then (a.details->>'position')::int end
      left join recipient grantee on grantee.id = ${uuidCast(sql`a.details->>'granteeId'`)}
      left join lateral (
        select g.kind, g.level
          from mailbox_access g
         where g.mailbox_id = a.mailbox_recipient_id and g.grantee_id = actor_person.id
           and g.created_at <= a.occurred_at
           and (g.revoked_at is null or g.revoked_at > a.occurred_at)
           and (g.ends_at is null or g.ends_at > a.occurred_at)
         order by case g.level when 'owner' then 0 when 'read_write' then 1 else 2 end
         limit 1
      ) held on actor_person.id <> a.mailbox_recipient_id
     where a.mailbox_recipient_id = ${mailboxId}
       and a.action in (${sql.join([...ACTIVITY_ACTIONS])})
       ${options.before ? sql`and a.id < ${options.before}::bigint` : sql``}
     order by a.id desc
     limit ${options.limit}
  `.execute(db);
  return rows;
}

/**
 * Sets the folders a grant reaches: null makes it whole-mailbox again; a list (checked by the caller to be folders of
 * the grant's mailbox) replaces its scope. Inside the caller's transaction.
 */
export async function setDelegationFolders(trx: Db, accessId: string, folderIds: readonly string[] | null) {
  await trx.deleteFrom('mailbox_access_folder').where('access_id', '=', accessId).execute();
  await trx
    .updateTable('mailbox_access')
    .set({ folder_scoped: folderIds !== null })
    .where('id', '=', accessId)
    .execute();
  if (folderIds && folderIds.length > 0) {
    await trx
      .insertInto('mailbox_access_folder')
      .values([...new Set(folderIds)].map((folder_id) => ({ access_id: accessId, folder_id })))
      .execute();
  }
}

/**
 * Who is to hear of new mail filed into `folderId` of `mailboxId`: the holders of grants in force scoped to that
 * folder. (Whole-mailbox holders and administrators see the letter anyway and are not told per folder.)
 */
export async function listFolderGrantees(db: Db, mailboxId: string, folderId: string, now: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('mailbox_access as g')
    .innerJoin('mailbox_access_folder as f', 'f.access_id', 'g.id')
    .select('g.grantee_id')
    .distinct()
    .where('g.mailbox_id', '=', mailboxId)
    .where('f.folder_id', '=', folderId)
    .where('g.folder_scoped', '=', true)
    .where('g.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('g.ends_at', 'is', null), eb('g.ends_at', '>', now)]))
    .execute();
  return rows.map((r) => r.grantee_id);
}
