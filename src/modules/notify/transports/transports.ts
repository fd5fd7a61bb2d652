import { randomUUID } from 'node:crypto';
import type { Db } from '../../../db/database.ts';
import {
  type DeliveryReceipt,
  type NotificationChannel,
  OutboxTransport,
  type OutgoingNotification,
  type SendResult,
  type TrackedNotification,
  type Transport,
} from '../channel.ts';
import type { NotifyConfig } from '../notify.config.ts';
import { HttpSmsTransport } from './http-sms.ts';
import { SmppTransport } from './smpp.ts';
import { SmtpTransport } from './smtp.ts';

/**
 * The e-mail and SMS transports chosen by configuration (`services.notifications`). One-time codes use `send`
 * directly; queued notifications use `deliver` with their de-duplication key. Connections open at the first use.
 */
export class NotificationTransports implements NotificationChannel {
  constructor(
    readonly email: Transport,
    readonly sms: Transport,
  ) {}

  async send(message: OutgoingNotification): Promise<void> {
    await this.deliver({ ...message, dedupKey: `direct-${randomUUID()}` });
  }

  deliver(message: TrackedNotification): Promise<SendResult> {
    return (message.channel === 'email' ? this.email : this.sms).send(message);
  }

  /** Where SMS delivery receipts go (only SMPP reports them). */
  set onReceipt(handler: ((receipt: DeliveryReceipt) => void) | null) {
    if (this.sms instanceof SmppTransport) this.sms.onReceipt = handler;
  }

  async close(): Promise<void> {
    await Promise.all([this.email.close(), this.sms.close()]);
  }
}

export function createNotificationTransports(config: NotifyConfig, db: Db): NotificationTransports {
  const email =
    config.email.transport === 'smtp' ? new SmtpTransport(config.email.smtp, config.mailFrom) : new OutboxTransport(db);
  const sms =
    config.sms.transport === 'smpp'
      ? new SmppTransport(config.sms.smpp, config.smsFrom)
      : config.sms.transport === 'http'
        ? new HttpSmsTransport(config.sms.http, config.smsFrom)
        : new OutboxTransport(db);
  return new NotificationTransports(email, sms);
}
