import nodemailer from 'nodemailer';
import type { SendResult, TrackedNotification, Transport, TransportCheck } from '../channel.ts';
import { TransportError } from '../channel.ts';
import type { SmtpSettings } from '../notify.config.ts';
import { buildPlainMail, parseMailbox } from './mime.ts';

type MailTransporter = ReturnType<typeof nodemailer.createTransport>;

/** SMTP errors: a 5xx reply to the recipient or message is a bounce (permanent); anything else may pass later. */
export function smtpErrorIsPermanent(error: unknown): boolean {
  const responseCode = (error as { responseCode?: number }).responseCode;
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600;
}

/**
 * E-mail over SMTP with nodemailer: a pool of connections (KUVERT_SMTP_POOL_SIZE), STARTTLS when offered (required
 * with KUVERT_SMTP_REQUIRE_TLS) or TLS from the start (smtps://), certificates verified unless told otherwise.
 * The notification's de-duplication key is the Message-ID, so a message retried after a lost reply is recognisable.
 */
export class SmtpTransport implements Transport {
  readonly name = 'smtp';
  private transporter: MailTransporter | null = null;
  private readonly sender: { name: string | null; address: string };
  private readonly domain: string;

  constructor(
    private readonly settings: SmtpSettings,
    from: string,
  ) {
    this.sender = parseMailbox(from);
    this.domain = /@([^>\s]+)$/.exec(this.sender.address)?.[1] ?? 'kuvert.local';
  }

  private options() {
    const s = this.settings;
    return {
      host: s.host,
      port: s.port,
      secure: s.secure,
      requireTLS: s.requireTls,
      tls: { rejectUnauthorized: s.rejectUnauthorized, minVersion: 'TLSv1.2' as const },
      auth: s.user ? { user: s.user, pass: s.password ?? '' } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    };
  }

  private pool(): MailTransporter {
    this.transporter ??= nodemailer.createTransport({
      ...this.options(),
      pool: true,
      maxConnections: this.settings.maxConnections,
      maxMessages: this.settings.maxMessages,
    });
    return this.transporter;
  }

  async send(message: TrackedNotification): Promise<SendResult> {
    const messageId = `<${message.dedupKey.replace(/[^A-Za-z0-9._-]/g, '.')}@${this.domain}>`;
    try {
      // The message is built here as one string (cheap; no MIME tree per message) and sent as is.
      await this.pool().sendMail({
        envelope: { from: this.sender.address, to: [message.to] },
        raw: buildPlainMail({
          from: this.sender,
          to: message.to,
          subject: message.subject ?? '',
          text: message.body,
          messageId,
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Kuvert-Purpose': message.purpose },
        }),
      });
      return { providerId: messageId };
    } catch (error) {
      throw new TransportError(`SMTP: ${(error as Error).message}`, smtpErrorIsPermanent(error));
    }
  }

  async check(): Promise<TransportCheck> {
    // A separate, short-lived connection: greets the server (and does STARTTLS/AUTH) without touching the pool.
    const probe = nodemailer.createTransport({ ...this.options(), connectionTimeout: 3000, greetingTimeout: 3000 });
    try {
      await probe.verify();
      return { ok: true, detail: null };
    } catch (error) {
      return {
        ok: false,
        detail: `SMTP peer ${this.settings.host}:${this.settings.port}: ${(error as Error).message}`,
      };
    } finally {
      probe.close();
    }
  }

  async close(): Promise<void> {
    this.transporter?.close();
    this.transporter = null;
  }
}
