/** The public face of the notify module: what other modules may import. */
export { nemSmsTextProblem, SMS_MAX } from './compose.ts';
export type { LetterEscalation, ResolvedEscalation } from './escalation.repository.ts';
export {
  findDefaultEscalationPlan,
  findEscalationPlans,
  getLetterEscalation,
  insertLetterEscalations,
  resolveEscalation,
  saveLetterEscalation,
  unknownPlan,
} from './escalation.repository.ts';
export type {
  EscalationChoice,
  EscalationStep,
  ScheduledEscalationStep,
} from './escalation-plan.ts';
export { checkEscalationInput, EscalationInput, legacyPlan, planEscalationSchedule } from './escalation-plan.ts';
export { scheduleFolderMailNotification } from './folder-mail.ts';
export type { TransportState } from './health.ts';
export { checkNotificationTransports } from './health.ts';
export { deliverNemSms } from './nemsms.ts';
export {
  newMailNotificationCtes,
  scheduleForwardedMailNotification,
  scheduleNewMailNotifications,
} from './new-mail.ts';
export type { SenderNotificationDefaults } from './notification-options.ts';
export { getSenderNotificationDefaults } from './notification-options.ts';
export type { NotificationKind, NotificationOutlook, PlannedNotification } from './plan-notifications.ts';
export {
  nemSmsRefusal,
  notificationOutlooks,
  plannedNemSms,
  plannedNewMailNotifications,
  plannedReminderNotifications,
} from './plan-notifications.ts';
export { listenForDeliveryReceipts } from './receipts.ts';
export { UNREAD_AFTER_DEADLINE } from './run-escalations.ts';
export type { NotificationTransports } from './transports/transports.ts';
export { createNotificationTransports } from './transports/transports.ts';
