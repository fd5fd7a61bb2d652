/** The public face of the notify module: what other modules may import. */
export { nemSmsTextProblem, SMS_MAX } from './compose.ts';
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
export type { EscalationStep } from './plan-escalation.ts';
export { escalationSchedule } from './plan-escalation.ts';
export type { NotificationKind, NotificationOutlook, PlannedNotification } from './plan-notifications.ts';
export {
  nemSmsRefusal,
  notificationOutlooks,
  plannedNemSms,
  plannedNewMailNotifications,
  plannedReminderNotifications,
} from './plan-notifications.ts';
export { listenForDeliveryReceipts } from './receipts.ts';
export type { NotificationTransports } from './transports/transports.ts';
export { createNotificationTransports } from './transports/transports.ts';
