import { createServer as createSmppServer, type PDU, type Session } from 'smpp';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  messageId: string | null;
  subject: string | null;
  raw: string;
}

/** A real SMTP server (smtp-server) on 127.0.0.1 that records every message; can be stopped and started again. */
export interface SmtpPeer {
  port: number;
  messages: ReceivedMail[];
  /** Recipients answered with 550 (a bounce). */
  reject: Set<string>;
  /** Messages accepted (also counted when `countOnly` keeps no texts). */
  received: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface PeerOptions {
  /** Benchmarks: count messages, keep and parse nothing (the cheapest peer). */
  countOnly?: boolean;
}

import { freePort } from './ports.ts';

export { freePort };

/** Listens, or rejects when the port cannot be had (EADDRINUSE) instead of waiting forever. */
function listen(
  server: {
    listen: (port: number, host: string, cb: () => void) => unknown;
    once: (event: 'error', cb: (error: Error) => void) => unknown;
    removeListener: (event: 'error', cb: (error: Error) => void) => unknown;
  },
  port: number,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    server.once('error', failed);
    server.listen(port, '127.0.0.1', () => {
      server.removeListener('error', failed);
      resolve();
    });
  });
}

const inUse = (error: unknown) => (error as { code?: string }).code === 'EADDRINUSE';

const header = (raw: string, name: string): string | null => {
  const match = new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(raw);
  return match ? (match[1] as string).replace(/\r?\n[ \t]+/g, ' ').trim() : null;
};

/** Decodes a quoted-printable or base64 text body enough for assertions. */
export function mailText(mail: ReceivedMail): string {
  const [head, ...rest] = mail.raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  const encoding = header(head ?? '', 'Content-Transfer-Encoding')?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(Number.parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** The decoded Subject (RFC 2047 words). */
export function mailSubject(mail: ReceivedMail): string {
  return (mail.subject ?? '').replace(/=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
    kind.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (_m, hex) => String.fromCharCode(Number.parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

export async function startSmtpPeer(port?: number, options: PeerOptions = {}): Promise<SmtpPeer> {
  const chosen = port ?? (await freePort());
  const messages: ReceivedMail[] = [];
  const reject = new Set<string>();
  let server: SMTPServer | null = null;
  const peer: SmtpPeer = {
    port: chosen,
    messages,
    reject,
    received: 0,
    async start() {
      server = new SMTPServer({
        authOptional: true,
        disableReverseLookup: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        closeTimeout: 50,
        size: 1024 * 1024,
        onRcptTo(address, _session, callback) {
          if (reject.has(address.address)) {
            const error = Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 });
            return callback(error);
          }
          callback();
        },
        onData(stream, session, callback) {
          if (options.countOnly) {
            stream.on('end', () => {
              peer.received++;
              callback();
            });
            stream.resume();
            return;
          }
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            peer.received++;
            messages.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              messageId: header(raw, 'Message-ID'),
              subject: header(raw, 'Subject'),
              raw,
            });
            callback();
          });
        },
      });
      server.on('error', () => {});
      await listen(server, peer.port);
    },
    async stop() {
      const s = server;
      server = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  // A port picked here may be taken by another test file's server before this one listens: without a port asked
  // for, try another. (A peer restarted by start() keeps its port: the test's Kuvert was configured with it.)
  for (let attempt = 1; ; attempt++) {
    try {
      await peer.start();
      return peer;
    } catch (error) {
      if (port !== undefined || !inUse(error) || attempt >= 5) throw error;
      peer.port = await freePort();
    }
  }
}

export interface ReceivedSms {
  to: string;
  from: string;
  text: string;
  messageId: string;
}

/** A real SMPP server (the `smpp` package) that accepts binds, records submit_sm and can send delivery receipts. */
export interface SmppPeer {
  port: number;
  messages: ReceivedSms[];
  /** Destination numbers (without +) refused with ESME_RINVDSTADR. */
  invalid: Set<string>;
  /** Send a DELIVRD receipt for each accepted message. */
  receipts: boolean;
  /** Messages accepted (also counted when `countOnly` keeps no texts). */
  received: number;
  stop(): Promise<void>;
}

export async function startSmppPeer(options: PeerOptions = {}): Promise<SmppPeer> {
  const port = await freePort();
  let counter = 0;
  const sessions = new Set<Session>();
  const peer: SmppPeer = {
    port,
    messages: [],
    invalid: new Set(),
    receipts: false,
    received: 0,
    async stop() {
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createSmppServer({}, (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => {});
    session.on('bind_transceiver', (pdu: PDU) => {
      const ok = pdu.system_id === 'kuvert' && pdu.password === 'secret';
      session.send(pdu.response(ok ? {} : { command_status: 0x0e }));
    });
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu: PDU) => {
      const to = String(pdu.destination_addr);
      if (peer.invalid.has(to)) {
        session.send(pdu.response({ command_status: 0x0b }));
        return;
      }
      const messageId = `m${++counter}`;
      peer.received++;
      if (options.countOnly) {
        session.send(pdu.response({ message_id: messageId }));
        return;
      }
      const message = pdu.short_message as { message?: string | Buffer } | undefined;
      const text = Buffer.isBuffer(message?.message)
        ? message.message.toString('utf8')
        : String(message?.message ?? '');
      peer.messages.push({ to, from: String(pdu.source_addr), text, messageId });
      session.send(pdu.response({ message_id: messageId }));
      if (peer.receipts) {
        setTimeout(() => {
          session.deliver_sm({
            source_addr: to,
            destination_addr: String(pdu.source_addr),
            esm_class: 0x04,
            short_message: `id:${messageId} sub:001 dlvrd:001 submit date:2612011200 done date:2612011200 stat:DELIVRD err:000 text:`,
          });
        }, 20);
      }
    });
  });
  for (let attempt = 1; ; attempt++) {
    try {
      await listen(server, peer.port);
      return peer;
    } catch (error) {
      if (!inUse(error) || attempt >= 5) throw error;
      peer.port = await freePort();
    }
  }
}
