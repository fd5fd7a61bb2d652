import smpp, { type PDU, type Session } from 'smpp';
import type { DeliveryReceipt, SendResult, TrackedNotification, Transport, TransportCheck } from '../channel.ts';
import { TransportError } from '../channel.ts';
import type { SmppSettings } from '../notify.config.ts';

/** submit_sm statuses that no retry can fix: the number (or its type) is invalid. */
const PERMANENT_STATUSES = new Set([0x0b /* RINVDSTADR */, 0x50 /* RINVDSTTON */, 0x51 /* RINVDSTNPI */]);
const RESPONSE_TIMEOUT_MS = 30_000;

/** Parses the text of an SMPP delivery receipt ("id:… sub:… dlvrd:… stat:DELIVRD err:…"). */
export function parseDeliveryReceipt(pdu: PDU): DeliveryReceipt | null {
  const raw =
    typeof pdu.short_message === 'object' && pdu.short_message && !Buffer.isBuffer(pdu.short_message)
      ? pdu.short_message.message
      : pdu.short_message;
  const text = Buffer.isBuffer(raw) ? raw.toString('latin1') : String(raw ?? '');
  const id = pdu.receipted_message_id || /\bid:(\S+)/i.exec(text)?.[1];
  const status = /\bstat:(\w+)/i.exec(text)?.[1]?.toUpperCase();
  if (!id || !status) return null;
  return { providerId: String(id).replace(/\0+$/, ''), delivered: status === 'DELIVRD', status };
}

/** An E.164 number as SMPP wants it: international TON, digits without '+'. */
const destination = (to: string) => to.replace(/^\+/, '');

interface BoundSession {
  session: Session;
  ready: Promise<Session>;
}

/**
 * SMS over SMPP 3.4 (the `smpp` package): KUVERT_SMPP_SESSIONS transceiver binds, opened at the first send and
 * reopened after a drop; submissions are pipelined (each waits only for its own submit_sm_resp) and spread over the
 * sessions. Delivery receipts (deliver_sm) are acknowledged and handed to `onReceipt`.
 */
export class SmppTransport implements Transport {
  readonly name = 'smpp';
  private sessions: (BoundSession | null)[];
  private next = 0;
  private closed = false;
  /** Submissions waiting for their answer, per session: failed at once when the session drops. */
  private pending = new WeakMap<Session, Set<(error: Error) => void>>();
  onReceipt: ((receipt: DeliveryReceipt) => void) | null = null;
  lastError: string | null = null;

  constructor(
    private readonly settings: SmppSettings,
    private readonly from: string,
  ) {
    this.sessions = Array.from({ length: settings.sessions }, () => null);
  }

  private open(slot: number): BoundSession {
    const s = this.settings;
    const session = smpp.connect({ host: s.host, port: s.port, tls: s.tls, auto_enquire_link_period: 30_000 });
    const ready = new Promise<Session>((resolve, reject) => {
      const fail = (error: Error) => {
        this.lastError = error.message;
        if (this.sessions[slot]?.session === session) this.sessions[slot] = null;
        reject(new TransportError(`SMPP: ${error.message}`, false));
      };
      session.on('error', fail);
      session.on('close', () => fail(new Error('connection closed')));
      session.on(s.tls ? 'secureConnect' : 'connect', () => {
        session.bind_transceiver({ system_id: s.systemId, password: s.password }, (pdu) => {
          if (pdu.command_status === 0) {
            this.lastError = null;
            resolve(session);
          } else {
            fail(new Error(`bind refused (status ${pdu.command_status})`));
            session.destroy();
          }
        });
      });
    });
    ready.catch(() => {});
    const waiting = new Set<(error: Error) => void>();
    this.pending.set(session, waiting);
    session.on('close', () => {
      for (const abort of waiting) abort(new TransportError('SMPP: connection closed before the answer', false));
      waiting.clear();
    });
    session.on('deliver_sm', (pdu: PDU) => {
      session.send(pdu.response());
      const receipt = parseDeliveryReceipt(pdu);
      if (receipt) this.onReceipt?.(receipt);
    });
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    return { session, ready };
  }

  private session(): Promise<Session> {
    if (this.closed) return Promise.reject(new TransportError('SMPP transport closed', false));
    const slot = this.next++ % this.sessions.length;
    let bound = this.sessions[slot];
    if (!bound) {
      bound = this.open(slot);
      this.sessions[slot] = bound;
    }
    return bound.ready;
  }

  async send(message: TrackedNotification): Promise<SendResult> {
    const session = await this.session();
    const waiting = this.pending.get(session) as Set<(error: Error) => void>;
    return new Promise<SendResult>((resolveSend, rejectSend) => {
      const abort = (error: Error) => {
        clearTimeout(timer);
        rejectSend(error);
      };
      const resolve = (result: SendResult) => {
        waiting.delete(abort);
        resolveSend(result);
      };
      const reject = (error: Error) => {
        waiting.delete(abort);
        rejectSend(error);
      };
      waiting.add(abort);
      const timer = setTimeout(() => {
        reject(new TransportError('SMPP: no answer to submit_sm', false));
        session.destroy();
      }, RESPONSE_TIMEOUT_MS);
      const alphanumeric = /[A-Za-z]/.test(this.from);
      const sent = session.submit_sm(
        {
          source_addr: this.from,
          source_addr_ton: alphanumeric ? 5 : 1,
          source_addr_npi: alphanumeric ? 0 : 1,
          destination_addr: destination(message.to),
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          short_message: message.body,
          registered_delivery: 1,
        },
        (pdu) => {
          clearTimeout(timer);
          if (pdu.command_status === 0) resolve({ providerId: pdu.message_id ?? null });
          else {
            reject(
              new TransportError(
                `SMPP: submit_sm refused (status 0x${pdu.command_status.toString(16)})`,
                PERMANENT_STATUSES.has(pdu.command_status),
              ),
            );
          }
        },
      );
      if (!sent) {
        clearTimeout(timer);
        reject(new TransportError('SMPP: connection not writable', false));
      }
    });
  }

  async check(): Promise<TransportCheck> {
    try {
      const session = await Promise.race([
        this.session(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('bind timed out')), 3000).unref()),
      ]);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('enquire_link timed out')), 3000);
        session.enquire_link({}, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return { ok: true, detail: null };
    } catch (error) {
      return {
        ok: false,
        detail: `SMPP peer ${this.settings.host}:${this.settings.port}: ${(error as Error).message}`,
      };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const open = this.sessions.filter((s): s is BoundSession => s !== null);
    this.sessions = this.sessions.map(() => null);
    await Promise.all(
      open.map(
        ({ session }) =>
          new Promise<void>((resolve) => {
            // Unbind politely, but never wait more than a second for a peer that is gone.
            const done = () => {
              clearTimeout(timer);
              session.destroy();
              resolve();
            };
            const timer = setTimeout(done, 1000);
            if (!session.socket.writable || !session.unbind({}, done)) done();
          }),
      ),
    );
  }
}
