import type { Db } from '../../db/database.ts';
import { notFound } from '../../http/problem.ts';
import { recordAudit } from '../audit/index.ts';
import { callerAudit, type SenderCaller } from '../identity/index.ts';
import { resolveEscalation, saveLetterEscalation } from './escalation.repository.ts';
import {
  checkEscalationInput,
  checkEscalationSteps,
  checkPlanName,
  type EscalationInput,
  type EscalationStep,
  type EscalationStepInput,
} from './escalation-plan.ts';
import { canSetNotificationOptions, canSetSenderDefaults } from './notify.policy.ts';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface EscalationPlanView {
  name: string;
  steps: EscalationStep[];
  default: boolean;
}

/**
 * PUT /api/v1/escalation-plans/{name}: creates or replaces one of the sender's named plans; `default: true` makes it
 * the plan of every later letter that names none (the previous default stops being one). Letters already sent keep
 * the steps they were sent with.
 */
export async function putEscalationPlan(
  db: Db,
  caller: SenderCaller,
  name: string,
  input: { steps: EscalationStepInput[]; default?: boolean },
): Promise<EscalationPlanView> {
  if (!canSetSenderDefaults(caller, caller.senderId)) throw notFound('sender');
  checkPlanName(name, '/name');
  const steps = checkEscalationSteps(input.steps, '/steps');
  const isDefault = input.default ?? false;
  await db.transaction().execute(async (trx) => {
    if (isDefault) {
      await trx
        .updateTable('notify_escalation_plan')
        .set({ is_default: false })
        .where('sender_id', '=', caller.senderId)
        .where('is_default', '=', true)
        .where('name', '<>', name)
        .execute();
    }
    const values = { steps: JSON.stringify(steps), is_default: isDefault, updated_at: new Date() };
    await trx
      .insertInto('notify_escalation_plan')
      .values({ sender_id: caller.senderId, name, ...values })
      .onConflict((oc) => oc.columns(['sender_id', 'name']).doUpdateSet(values))
      .execute();
    await recordAudit(trx, {
      ...callerAudit(caller),
      action: 'notify.escalation_plan',
      subjectType: 'sender',
      subjectId: caller.senderId,
      mailboxRecipientId: null,
      details: { name, steps, default: isDefault },
    });
  });
  return { name, steps, default: isDefault };
}

/** DELETE /api/v1/escalation-plans/{name}: later letters can no longer name it; letters sent keep their steps. */
export async function deleteEscalationPlan(db: Db, caller: SenderCaller, name: string): Promise<void> {
  if (!canSetSenderDefaults(caller, caller.senderId)) throw notFound('sender');
  await db.transaction().execute(async (trx) => {
    const deleted = await trx
      .deleteFrom('notify_escalation_plan')
      .where('sender_id', '=', caller.senderId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw notFound('escalation_plan');
    await recordAudit(trx, {
      ...callerAudit(caller),
      action: 'notify.escalation_plan_delete',
      subjectType: 'sender',
      subjectId: caller.senderId,
      mailboxRecipientId: null,
      details: { name },
    });
  });
}

/**
 * PUT /api/v1/messages/{id}/escalation: sets or replaces one letter's plan after sending (the per-letter call; the
 * plan can also be given when sending). Another sender's letter is as unknown as a missing one.
 */
export async function setLetterEscalation(
  db: Db,
  caller: SenderCaller,
  messageId: string,
  input: EscalationInput,
): Promise<void> {
  if (!UUID_RE.test(messageId)) throw notFound('message');
  await db.transaction().execute(async (trx) => {
    const message = await trx
      .selectFrom('message')
      .select(['id', 'sender_id', 'recipient_id', 'mandatory', 'message_type'])
      .where('id', '=', messageId.toLowerCase())
      .forUpdate()
      .executeTakeFirst();
    if (!message || !canSetNotificationOptions(caller, message)) throw notFound('message');
    const choice = checkEscalationInput(input, '', { mandatory: message.mandatory, messageType: message.message_type });
    const plan = await resolveEscalation(trx, caller.senderId, choice, '');
    if (message.mandatory && plan.steps.some((s) => s.action === 'print_if_unread')) {
      checkEscalationSteps(plan.steps, '/steps', { mandatory: true });
    }
    await saveLetterEscalation(trx, message, plan);
    await recordAudit(trx, {
      ...callerAudit(caller),
      action: 'notify.letter_escalation',
      subjectType: 'message',
      subjectId: message.id,
      mailboxRecipientId: null,
      details: { plan: plan.planName, steps: plan.steps },
    });
  });
}
