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

/** An outgoing notification with the key that identifies it across retries (the e-mail's Message-ID, the SMS
 * gateway's idempotency key), so a peer that already has it can drop the repeat. */
export interface TrackedNotification extends OutgoingNotification {
  dedupKey: string;
}

/** Where e-mails and SMS leave Kuvert (one-time codes use this directly; notifications go through the queue). */
export interface NotificationChannel {
  send(message: OutgoingNotification): Promise<void>;
}

/** What a transport says about a message it accepted: the peer's id for it (SMPP message_id), for receipts. */
export interface SendResult {
  providerId: string | null;
}

/** A failed send. `permanent`: retrying cannot help (bounce, invalid number) — the contact detail is failing. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface TransportCheck {
  ok: boolean;
  detail: string | null;
}

/** One way out for one channel: SMTP, SMPP, an HTTPS SMS gateway or the development outbox. */
export interface Transport {
  readonly name: string;
  send(message: TrackedNotification): Promise<SendResult>;
  /** A quick live check of the peer (connect and greet), for the status page. */
  check(): Promise<TransportCheck>;
  close(): Promise<void>;
}

/** A delivery receipt from an SMS peer. */
export interface DeliveryReceipt {
  providerId: string;
  delivered: boolean;
  /** The peer's status word, e.g. DELIVRD, UNDELIV, REJECTD. */
  status: string;
}

/**
 * The development outbox: instead of sending, writes the message to `outbox_message`, where the page
 * /udvikling/udbakke shows it. The default in the embedded/demo mode and in tests.
 */
export class OutboxChannel implements NotificationChannel {
  constructor(private readonly db: Db) {}

  async send(message: OutgoingNotification): Promise<void> {
    await insertOutboxMessage(this.db, message);
  }
}

/** The development outbox as a transport. */
export class OutboxTransport implements Transport {
  readonly name = 'outbox';
  constructor(private readonly db: Db) {}

  async send(message: TrackedNotification): Promise<SendResult> {
    return { providerId: await insertOutboxMessage(this.db, message) };
  }

  async check(): Promise<TransportCheck> {
    return { ok: true, detail: 'development outbox' };
  }

  async close(): Promise<void> {}
}
