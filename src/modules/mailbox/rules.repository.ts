import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** A routing rule as the rules page shows it. */
export interface MailboxRule {
  id: string;
  position: number;
  senderId: string | null;
  senderName: string | null;
  subjectWords: string[];
  senderReference: string | null;
  folderId: string;
  folderName: string;
  notifyFolderEmployees: boolean;
}

/** A mailbox's rules in the order they are tried (the first that matches files the letter). */
export async function listRules(db: Db, mailboxId: string): Promise<MailboxRule[]> {
  return db
    .selectFrom('mailbox_rule as r')
    .innerJoin('mailbox_folder as f', 'f.id', 'r.folder_id')
    .leftJoin('sender as s', 's.id', 'r.sender_id')
    .select([
      'r.id',
      'r.position',
      'r.sender_id as senderId',
      's.name as senderName',
      'r.subject_words as subjectWords',
      'r.sender_reference as senderReference',
      'r.folder_id as folderId',
      'f.name as folderName',
      'r.notify_folder_employees as notifyFolderEmployees',
    ])
    .where('r.mailbox_id', '=', mailboxId)
    .orderBy('r.position')
    .execute();
}

export interface NewRule {
  mailboxId: string;
  senderId: string | null;
  subjectWords: string[];
  senderReference: string | null;
  folderId: string;
  notifyFolderEmployees: boolean;
  createdById: string;
}

/** Adds a rule last; the words are folded as the delivery trigger folds the subject (mailbox_search_fold). */
export async function insertRule(trx: Db, rule: NewRule): Promise<string> {
  const row = await trx
    .insertInto('mailbox_rule')
    .values({
      mailbox_id: rule.mailboxId,
      position: sql<number>`(select coalesce(max(position), 0) + 1 from mailbox_rule where mailbox_id = ${rule.mailboxId})`,
      sender_id: rule.senderId,
      subject_words: sql<string[]>`array(select mailbox_search_fold(w) from unnest(${rule.subjectWords}::text[]) w)`,
      sender_reference: rule.senderReference,
      folder_id: rule.folderId,
      notify_folder_employees: rule.notifyFolderEmployees,
      created_by_id: rule.createdById,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function deleteRule(trx: Db, mailboxId: string, ruleId: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('mailbox_rule')
    .where('id', '=', ruleId)
    .where('mailbox_id', '=', mailboxId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/**
 * Swaps a rule with its neighbour above (-1) or below (+1); false when there is none. The (mailbox_id, position)
 * uniqueness is checked at commit (deferred), so the swap needs no temporary position.
 */
export async function swapRule(trx: Db, mailboxId: string, ruleId: string, direction: -1 | 1): Promise<boolean> {
  const rules = await trx
    .selectFrom('mailbox_rule')
    .select(['id', 'position'])
    .where('mailbox_id', '=', mailboxId)
    .orderBy('position')
    .forUpdate()
    .execute();
  const at = rules.findIndex((r) => r.id === ruleId);
  const other = rules[at + direction];
  const self = rules[at];
  if (at < 0 || !other || !self) return false;
  await trx.updateTable('mailbox_rule').set({ position: other.position }).where('id', '=', self.id).execute();
  await trx.updateTable('mailbox_rule').set({ position: self.position }).where('id', '=', other.id).execute();
  return true;
}

/** The senders a rule may name: those that have written to the mailbox (mailbox_sender), by name. */
export async function ruleSenders(db: Db, mailboxId: string): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('mailbox_sender as ms')
    .innerJoin('sender as s', 's.id', 'ms.sender_id')
    .select(['s.id', 's.name'])
    .where('ms.mailbox_id', '=', mailboxId)
    .orderBy('s.name')
    .execute();
}
