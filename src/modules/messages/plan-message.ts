import { sha256Hex } from '../../documents/document-store.ts';
import { inspectDocuments } from '../../documents/inspect-documents.ts';
import { decodeDocument } from '../../documents/validate-document.ts';
import type { Services } from '../../services.ts';
import type { SenderCaller } from '../identity/index.ts';
import {
  type EscalationChoice,
  type EscalationStep,
  findDefaultEscalationPlan,
  findEscalationPlans,
  getSenderNotificationDefaults,
  legacyPlan,
  nemSmsRefusal,
  notificationOutlooks,
  type PlannedNotification,
  planEscalationSchedule,
  plannedNemSms,
  plannedNewMailNotifications,
  plannedReminderNotifications,
  unknownPlan,
} from '../notify/index.ts';
import { hasPostalAddress } from '../print/index.ts';
import { parseMemo } from './memo/index.ts';
import { checkDraft, type MessageDraft, messageContentHash } from './message-draft.ts';
import type { SendMessageBody } from './messages.schemas.ts';
import { deliveryTimes, findPlanRecipients, findSentContentHashes } from './plan.repository.ts';
import { isRoutingFailure, routeMessage } from './routing.ts';
import { memoBodyLimit, memoDraft } from './send-memo.ts';
import { jsonDraft } from './send-message.ts';

/**
 * Dry run (issue 18, item 7): what would happen to a letter if it were sent now — where it goes when it is due,
 * who is told how and when, and what follows if it stays unread — without storing anything or queueing any job.
 * Every answer comes from the code the real send runs: jsonDraft and checkDraft (the same validation errors), the
 * idempotency and recipient checks of acceptMessage, routing.ts's table, the print module's address rule, notify's
 * contact-detail, preference and quiet-hour rules, and the escalation plan's own schedule (planEscalationSchedule:
 * the letter's plan, else the sender's default plan, else the older reminder / print-if-unread defaults). The registry
 * and contact details are read as they are now: a letter scheduled for later is planned on today's registry.
 */
export interface PlanItem {
  recipient: { cpr: string } | { cvr: string };
  messageType: string;
  mandatory: boolean;
  doNotDeliverUntil: string | null;
  /** The sender's own id for the letter, when given (idempotency). */
  messageUuid: string | null;
  /** When the documents were given: the letter's content hash, to tell a repeat from a conflicting letter. */
  contentHash: string | null;
  /** The letter's own escalation (checked as at sending): a named plan or steps; none: the sender's default. */
  escalation?: EscalationChoice | null;
}

/** One step of the escalation plan as it would run: when, and why it would do nothing. */
export interface PlannedEscalationStep {
  action: EscalationStep['action'];
  afterDays: number;
  /** When it falls due (it runs then only if the letter is still unread). */
  at: Date;
  /** Why it would do nothing: no usable contact, a mandatory letter's print, or no postal address for paper. */
  skip?: 'no_contact' | 'not_printable' | 'no_postal_address';
}

/** Where the letter would end: the mailbox (digital), paper, an SMS (NemSMS), or nowhere (none). */
export type PlanChannel = 'digital' | 'print' | 'nemsms' | 'none';

/** Why: the recipient's registration, or what stops the letter. */
export type PlanReason =
  | 'enrolled'
  | 'exempted'
  | 'not_enrolled'
  | 'nemsms_opted_in'
  | 'unknown_recipient'
  | 'recipient_closed'
  | 'business_ceased'
  | 'no_postal_address'
  | 'recipient_not_opted_in'
  | 'no_confirmed_mobile'
  | 'already_sent'
  | 'escalation_unknown_plan';

export interface RecipientPlan {
  /** The recipient as the sender named it, masked: a CPR number's serial digits hidden; a CVR number is public. */
  recipient: string;
  channel: PlanChannel;
  reason: PlanReason;
  /** When it is routed: now, or 00:00 Copenhagen time on doNotDeliverUntil. */
  deliveryAt: Date;
  scheduled: boolean;
  notifications: PlannedNotification[];
  escalation: PlannedEscalationStep[];
  /** What the sender would see instead of delivery: an error at intake, a FAILED (or NEMSMS_REJECTED) event later. */
  failure: { code: string; stage: 'intake' | 'delivery' | 'print' } | null;
  /** A test credential's letter reaches nobody: the route is real, but nothing is sent (test-mode.ts). */
  test?: true;
}

/** A CPR number as a plan shows it: DDMMYY-****. */
export const maskCpr = (cpr: string) => `${cpr.slice(0, 6)}-****`;

/** The plans of these letters, in order (set-based: one read per kind of fact, whatever their number). */
export async function planRecipients(
  services: Services,
  caller: SenderCaller,
  items: readonly PlanItem[],
  now: Date = new Date(),
): Promise<RecipientPlan[]> {
  const { db, config } = services;
  const cprs = items.flatMap((i) => ('cpr' in i.recipient ? [i.recipient.cpr] : []));
  const cvrs = items.flatMap((i) => ('cvr' in i.recipient ? [i.recipient.cvr] : []));
  const rows = await findPlanRecipients(db, [...new Set(cprs)], [...new Set(cvrs)]);
  const byCpr = new Map(rows.filter((r) => r.cpr).map((r) => [r.cpr as string, r]));
  const byCvr = new Map(rows.filter((r) => r.cvr).map((r) => [r.cvr as string, r]));
  const uuids = items.flatMap((i) => (i.messageUuid ? [i.messageUuid] : []));
  const sent = await findSentContentHashes(db, caller.senderId, [...new Set(uuids)]);
  const dates = await deliveryTimes(
    db,
    items.flatMap((i) => (i.doNotDeliverUntil ? [i.doNotDeliverUntil] : [])),
    now,
  );
  const outlooks = await notificationOutlooks(
    db,
    rows.map((r) => r.id),
    now,
  );
  const defaults = await getSenderNotificationDefaults(db, caller.senderId);
  // As intake resolves it: the letter's own steps or named plan, else the sender's default plan, else the older
  // per-sender reminder / print-if-unread defaults (notify_followup).
  const named = await findEscalationPlans(
    db,
    caller.senderId,
    items.flatMap((i) => (i.escalation && 'plan' in i.escalation ? [i.escalation.plan] : [])),
  );
  const defaultPlan = await findDefaultEscalationPlan(db, caller.senderId);
  const fallbackSteps = defaultPlan?.steps ?? legacyPlan(defaults.remindAfterDays, defaults.printIfUnreadAfterDays);
  const stepsOf = (item: PlanItem): EscalationStep[] | null => {
    if (!item.escalation) return fallbackSteps;
    if ('steps' in item.escalation) return item.escalation.steps;
    return named.get(item.escalation.plan) ?? null;
  };
  const test = caller.test === true;

  return items.map((item): RecipientPlan => {
    const masked = 'cpr' in item.recipient ? maskCpr(item.recipient.cpr) : item.recipient.cvr;
    const due = item.doNotDeliverUntil ? dates.get(item.doNotDeliverUntil) : undefined;
    const deliveryAt = due?.later ? due.at : now;
    const base = { recipient: masked, deliveryAt, scheduled: due?.later === true, notifications: [], escalation: [] };
    const plan = (channel: PlanChannel, reason: PlanReason, failure: RecipientPlan['failure'] = null) =>
      ({ ...base, channel, reason, failure, ...(test ? { test: true as const } : {}) }) as RecipientPlan;
    // acceptMessage's order: a messageUuid already sent answers first (a repeat changes nothing; other content, 409).
    const previous = item.messageUuid ? sent.get(item.messageUuid) : undefined;
    if (previous !== undefined) {
      return item.contentHash !== null && item.contentHash !== previous
        ? plan('none', 'already_sent', { code: 'message_uuid_conflict', stage: 'intake' })
        : plan('none', 'already_sent');
    }
    const steps = stepsOf(item);
    if (steps === null)
      return plan('none', 'escalation_unknown_plan', { code: 'escalation_unknown_plan', stage: 'intake' });
    const recipient = 'cpr' in item.recipient ? byCpr.get(item.recipient.cpr) : byCvr.get(item.recipient.cvr);
    if (!recipient) return plan('none', 'unknown_recipient', { code: 'unknown_recipient', stage: 'intake' });
    if (recipient.enrolment === 'closed') {
      const reason = recipient.closed_reason === 'ceased' ? 'business_ceased' : 'recipient_closed';
      return plan('none', reason, { code: 'recipient_closed', stage: 'intake' });
    }
    const registration: PlanReason =
      recipient.enrolment === 'exempted' || recipient.enrolment === 'not_enrolled' ? recipient.enrolment : 'enrolled';
    const outcome = routeMessage({
      enrolment: recipient.enrolment,
      messageType: item.messageType,
      mandatory: item.mandatory,
    });
    if (isRoutingFailure(outcome)) return plan('none', registration, { code: outcome, stage: 'delivery' });
    const printable = hasPostalAddress({
      addressLines: recipient.address_lines ?? [],
      postcode: recipient.postcode,
      city: recipient.city,
    });
    const outlook = outlooks.get(recipient.id) ?? { kinds: [], nemsms: false, mobile: false };
    if (outcome === 'print') {
      return printable
        ? plan('print', registration)
        : plan('none', 'no_postal_address', { code: 'no_postal_address', stage: 'print' });
    }
    if (outcome === 'nemsms') {
      const refusal = nemSmsRefusal(outlook);
      if (refusal) return plan('none', refusal, { code: refusal, stage: 'delivery' });
      const result = plan('nemsms', 'nemsms_opted_in');
      if (!test) result.notifications = [plannedNemSms(deliveryAt)];
      return result;
    }
    const result = plan('digital', registration);
    // A test letter reaches nobody: no notification, no follow-up (test-mode.ts).
    if (test) return result;
    result.notifications = plannedNewMailNotifications(outlook.kinds, deliveryAt, config.notify);
    const schedule = planEscalationSchedule(
      steps,
      {
        availableAt: deliveryAt,
        channels: { email: outlook.kinds.includes('email'), sms: outlook.kinds.includes('sms') },
        printable: !item.mandatory,
      },
      { fromHour: config.notify.smsFromHour, untilHour: config.notify.smsUntilHour },
    );
    for (const step of schedule) {
      if (step.action !== 'remind') continue;
      const kinds = step.sends.map((send) => send.channel);
      result.notifications.push(...plannedReminderNotifications(kinds, step.dueAt, config.notify));
    }
    result.escalation = schedule.map((step): PlannedEscalationStep => {
      const skip = step.skip ?? (step.action === 'print_if_unread' && !printable ? 'no_postal_address' : null);
      return { action: step.action, afterDays: step.afterDays, at: step.dueAt, ...(skip ? { skip } : {}) };
    });
    return result;
  });
}

/**
 * POST /api/v1/messages/plan: the plan of one letter given as the body of POST /api/v1/messages. Validation is the
 * send's own (the same problem+json for the same mistake); the documents may be left out, and when they are given
 * they are decoded and inspected (PDF structure, malware scan) as at sending, but not stored.
 */
export async function planMessage(
  services: Services,
  caller: SenderCaller,
  input: SendMessageBody,
  now: Date = new Date(),
): Promise<RecipientPlan> {
  const { config } = services;
  const withoutDocuments = input.documents === undefined;
  const draft = jsonDraft(
    input,
    config.maxDocumentsPerMessage,
    (doc, i) => {
      const bytes = decodeDocument(doc as { mediaType: string; content: string }, i, config.maxDocumentBytes);
      return { bytes, sha256: sha256Hex(bytes) };
    },
    { documentsOptional: true },
  );
  checkDraft(draft, config, { withoutDocuments });
  if (!withoutDocuments) await inspectDocuments(services, draft.documents);
  const contentHash = withoutDocuments ? null : messageContentHash({ ...draft, memo: {} as MessageDraft['memo'] });
  return planOne(services, caller, draft, input.messageUuid ? draft.messageUuid : null, contentHash, now);
}

/** The plan of one letter sent as MeMo XML (as POST /api/v1/messages takes it): parsed and checked as at sending. */
export async function planMemoMessage(
  services: Services,
  caller: SenderCaller,
  xml: Buffer,
  now: Date = new Date(),
): Promise<RecipientPlan> {
  const draft = memoDraft(await parseMemo(xml, { maxBytes: memoBodyLimit(services.config) }));
  checkDraft(draft, services.config);
  await inspectDocuments(services, draft.documents);
  return planOne(services, caller, draft, draft.messageUuid, messageContentHash(draft), now);
}

/**
 * The plan of one checked letter. A letter naming a plan the sender does not have is refused as the send refuses it
 * (422, same field), where a batch line gets it as its failure.
 */
async function planOne(
  services: Services,
  caller: SenderCaller,
  draft: Omit<MessageDraft, 'memo'>,
  messageUuid: string | null,
  contentHash: string | null,
  now: Date,
): Promise<RecipientPlan> {
  const [plan] = await planRecipients(
    services,
    caller,
    [
      {
        recipient: draft.recipient,
        messageType: draft.messageType,
        mandatory: draft.mandatory,
        doNotDeliverUntil: draft.doNotDeliverUntil,
        messageUuid,
        contentHash,
        escalation: draft.escalation ?? null,
      },
    ],
    now,
  );
  if (plan?.failure?.code === 'escalation_unknown_plan') {
    throw unknownPlan(`${draft.escalationField ?? '/escalation'}/plan`);
  }
  return plan as RecipientPlan;
}
