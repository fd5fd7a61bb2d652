import type { Db } from '../../db/database.ts';
import { textProblem } from '../../http/input.ts';
import { AppError, notFound } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import { FormTextError } from '../../web/form-text.ts';
import { type MailboxAccess, mayInMailbox } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { isUuid } from './list-inbox.ts';
import { deleteRule, insertRule, listRules, type MailboxRule, ruleSenders, swapRule } from './rules.repository.ts';

export type { MailboxRule } from './rules.repository.ts';

export const MAX_RULES = 50;
export const MAX_RULE_TEXT = 200;

/** The actor's access, if the policy lets them manage rules (owner or administrator); 404 if they cannot list. */
function mayManageRules(actor: Actor | null, access: MailboxAccess | null): MailboxAccess {
  if (!access || !mayInMailbox(actor, access, 'list')) throw notFound('mailbox');
  if (!mayInMailbox(actor, access, 'manage_rules')) {
    throw new AppError(403, 'rules_forbidden', 'Only the owner or administrator of the mailbox can change the rules.');
  }
  return access;
}

/** The mailbox's user folders, by name (the folders a rule may file into, and a grant may be limited to). */
export async function listMailboxFolders(db: Db, mailboxId: string): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('mailbox_folder')
    .select(['id', 'name'])
    .where('mailbox_id', '=', mailboxId)
    .orderBy('name')
    .execute();
}

/** What the rules page shows: the rules in order, the folders and the senders a new rule may name. */
export async function rulesPage(db: Db, actor: Actor | null, access: MailboxAccess | null) {
  const { mailboxId } = mayManageRules(actor, access);
  const [rules, folders, senders] = await Promise.all([
    listRules(db, mailboxId),
    listMailboxFolders(db, mailboxId),
    ruleSenders(db, mailboxId),
  ]);
  return { rules, folders, senders };
}

function cleanText(raw: string | undefined, field: string): string | null {
  const problem = textProblem(raw ?? '', { allowBlank: true });
  if (problem) throw new FormTextError(field, problem, MAX_RULE_TEXT);
  const text = (raw ?? '').replace(/\s+/g, ' ').trim();
  if (text.length > MAX_RULE_TEXT) throw new FormTextError(field, 'too_long', MAX_RULE_TEXT);
  return text === '' ? null : text;
}

export interface RuleInput {
  senderId?: string | undefined;
  subjectWords?: string | undefined;
  senderReference?: string | undefined;
  folderId?: string | undefined;
  notify?: boolean | undefined;
}

/** Adds a rule last (it is tried after the others). At least one condition, and a folder of this mailbox. */
export async function addRule(db: Db, actor: Actor | null, access: MailboxAccess | null, input: RuleInput) {
  const { mailboxId } = mayManageRules(actor, access);
  const words = cleanText(input.subjectWords, 'words')?.split(' ') ?? [];
  const reference = cleanText(input.senderReference, 'reference');
  const senderId = input.senderId && input.senderId !== '' ? input.senderId.toLowerCase() : null;
  if (senderId !== null) {
    const senders = await ruleSenders(db, mailboxId);
    if (!isUuid(senderId) || !senders.some((s) => s.id === senderId)) {
      throw new AppError(400, 'rule_sender_unknown', 'There is no such sender.', 'sender');
    }
  }
  if (senderId === null && words.length === 0 && reference === null) {
    throw new AppError(400, 'rule_condition_missing', 'Give at least one condition.', 'sender');
  }
  const folderId = input.folderId?.toLowerCase() ?? '';
  const folders = await listMailboxFolders(db, mailboxId);
  if (!folders.some((f) => f.id === folderId)) {
    throw new AppError(400, 'rule_folder_missing', 'Choose the folder the letters go to.', 'folder');
  }
  const createdById = (actor as Extract<Actor, { kind: 'citizen' }>).recipientId;
  return db.transaction().execute(async (trx) => {
    const count = await trx
      .selectFrom('mailbox_rule')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('mailbox_id', '=', mailboxId)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_RULES) {
      throw new AppError(409, 'too_many_rules', `A mailbox has at most ${MAX_RULES} rules.`, 'folder');
    }
    const id = await insertRule(trx, {
      mailboxId,
      senderId,
      subjectWords: words,
      senderReference: reference,
      folderId,
      notifyFolderEmployees: input.notify === true,
      createdById,
    });
    await audit(trx, actor, mailboxId, 'mailbox.rule.add', id, { folderId, senderId, words, reference });
    return id;
  });
}

/** Deletes a rule of this mailbox; 404 for one that is not. */
export async function removeRule(db: Db, actor: Actor | null, access: MailboxAccess | null, ruleId: string) {
  const { mailboxId } = mayManageRules(actor, access);
  if (!isUuid(ruleId)) throw new AppError(404, 'rule_not_found', 'The rule does not exist.');
  await db.transaction().execute(async (trx) => {
    if (!(await deleteRule(trx, mailboxId, ruleId.toLowerCase()))) {
      throw new AppError(404, 'rule_not_found', 'The rule does not exist.');
    }
    await audit(trx, actor, mailboxId, 'mailbox.rule.delete', ruleId.toLowerCase(), {});
  });
}

/** Moves a rule one place up (tried earlier) or down; at the top or bottom it stays. */
export async function moveRule(
  db: Db,
  actor: Actor | null,
  access: MailboxAccess | null,
  ruleId: string,
  direction: 'up' | 'down',
) {
  const { mailboxId } = mayManageRules(actor, access);
  if (!isUuid(ruleId)) throw new AppError(404, 'rule_not_found', 'The rule does not exist.');
  await db.transaction().execute(async (trx) => {
    const rules = await listRules(trx, mailboxId);
    if (!rules.some((r: MailboxRule) => r.id === ruleId.toLowerCase())) {
      throw new AppError(404, 'rule_not_found', 'The rule does not exist.');
    }
    if (await swapRule(trx, mailboxId, ruleId.toLowerCase(), direction === 'up' ? -1 : 1)) {
      await audit(trx, actor, mailboxId, 'mailbox.rule.move', ruleId.toLowerCase(), { direction });
    }
  });
}

async function audit(
  trx: Db,
  actor: Actor | null,
  mailboxId: string,
  action: string,
  ruleId: string,
  details: Record<string, unknown>,
) {
  await recordAudit(trx, {
    actorKind: 'citizen',
    actorId: (actor as Extract<Actor, { kind: 'citizen' }>).recipientId,
    action,
    subjectType: 'mailbox_rule',
    subjectId: ruleId,
    mailboxRecipientId: mailboxId,
    details,
  });
}
