import type { Db } from '../../db/database.ts';
import { insertOutboxMessage } from './outbox.repository.ts';

/** One e-mail or SMS to one address. `purpose` says why it is sent (e.g. 'contact.code'), for logs and statistics. */
export interface OutgoingNotification {
  channel: 'email' | 'sms';
  to: string;
  /** E-mail only. */
  subject?: string;
  body: string;
  purpose: string;
}

/** Where e-mails and SMS leave Kuvert. The real transports (SMTP, SMS gateway) come with the notifications issue. */
export interface NotificationChannel {
  send(message: OutgoingNotification): Promise<void>;
}

/**
 * The development outbox: instead of sending, writes the message to `outbox_message`, where the page
 * /udvikling/udbakke shows it. Used in the embedded/demo mode (and tests) until real transports exist.
 */
export class OutboxChannel implements NotificationChannel {
  constructor(private readonly db: Db) {}

  async send(message: OutgoingNotification): Promise<void> {
    await insertOutboxMessage(this.db, message);
  }
}
