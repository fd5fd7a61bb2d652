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
export { listenForDeliveryReceipts } from './receipts.ts';
export type { NotificationTransports } from './transports/transports.ts';
export { createNotificationTransports } from './transports/transports.ts';
