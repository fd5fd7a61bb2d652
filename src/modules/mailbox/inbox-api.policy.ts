import type { BusinessCaller } from '../../kernel/actor.ts';

/** What a business's system does through the inbox API: read (list, fetch) or write (acknowledge, file, webhooks). */
export type InboxAction = 'read' | 'write';

export type InboxDecision = 'allowed' | 'not_found' | 'forbidden';

const NEEDS: Record<InboxAction, string> = { read: 'inbox:read', write: 'inbox:write' };

/**
 * May this caller do `action` on a letter of mailbox `letterMailboxId` (null: no such letter, or not one the inbox
 * API shows)? Only a business's system, only its own mailbox, only with the action's scope. A letter of another
 * mailbox is "not found", never "forbidden", so its existence is not revealed; a missing scope is "forbidden".
 * For actions on the mailbox as a whole (listing, webhooks), pass the caller's own mailbox.
 */
export function inboxDecision(
  caller: BusinessCaller | null,
  letterMailboxId: string | null,
  action: InboxAction,
): InboxDecision {
  if (!caller) return 'forbidden';
  if (!caller.scopes.includes(NEEDS[action])) return 'forbidden';
  if (letterMailboxId === null || letterMailboxId !== caller.businessRecipientId) return 'not_found';
  return 'allowed';
}
