import nodemailer from 'nodemailer';
import smpp, { type PDU, type Session } from 'smpp';
import { mapLimit } from '../../src/modules/notify/send-notifications.ts';
import { buildPlainMail } from '../../src/modules/notify/transports/mime.ts';

/**
 * The notify benchmark's limits: the same messages sent by a bare client, with no queue, no database and no
 * bookkeeping, over as many connections as Kuvert's transports use. What Kuvert adds on top is the ratio's remainder.
 */
const BODY = 'Du har fået ny Digital Post fra Benchmark Kommune. Læs den på http://localhost:3000/post';

/** `send(i)` for i in [0, n), at most `concurrency` in flight (as Kuvert's sender runs its sends). */
const inFlight = (n: number, concurrency: number, send: (i: number) => Promise<unknown>) =>
  mapLimit(
    Array.from({ length: n }, (_, i) => i),
    concurrency,
    send,
  );

/** `n` e-mails through nodemailer's pool (raw MIME, as Kuvert sends them); seconds taken. */
export async function rawEmails(port: number, n: number, pool: number, concurrency: number): Promise<number> {
  const transporter = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: pool,
    maxMessages: Number.POSITIVE_INFINITY,
  });
  const from = { name: 'Digital Post', address: 'noreply@kuvert.example' };
  const started = performance.now();
  try {
    await inFlight(n, concurrency, (i) =>
      transporter.sendMail({
        envelope: { from: from.address, to: [`raw${i}@example.dk`] },
        raw: buildPlainMail({
          from,
          to: `raw${i}@example.dk`,
          subject: 'Ny Digital Post fra Benchmark Kommune',
          text: BODY,
          messageId: `<raw-${i}@kuvert.example>`,
          headers: { 'Auto-Submitted': 'auto-generated' },
        }),
      }),
    );
    return (performance.now() - started) / 1000;
  } finally {
    transporter.close();
  }
}

/** `n` SMS as submit_sm over `sessions` transceiver binds, pipelined; seconds taken. */
export async function rawSms(port: number, n: number, sessions: number, concurrency: number): Promise<number> {
  const bound: Session[] = await Promise.all(
    Array.from(
      { length: sessions },
      () =>
        new Promise<Session>((resolve, reject) => {
          const session = smpp.connect({ host: '127.0.0.1', port });
          session.on('error', reject);
          session.on('connect', () =>
            session.bind_transceiver({ system_id: 'kuvert', password: 'secret' }, (pdu: PDU) =>
              pdu.command_status === 0 ? resolve(session) : reject(new Error(`bind ${pdu.command_status}`)),
            ),
          );
        }),
    ),
  );
  const started = performance.now();
  try {
    await inFlight(
      n,
      concurrency,
      (i) =>
        new Promise<void>((resolve, reject) => {
          (bound[i % sessions] as Session).submit_sm(
            {
              source_addr: 'DigitalPost',
              source_addr_ton: 5,
              destination_addr: `4530${String(i).padStart(6, '0')}`,
              dest_addr_ton: 1,
              dest_addr_npi: 1,
              short_message: BODY,
              registered_delivery: 1,
            },
            (pdu: PDU) => (pdu.command_status === 0 ? resolve() : reject(new Error(`submit ${pdu.command_status}`))),
          );
        }),
    );
    return (performance.now() - started) / 1000;
  } finally {
    for (const session of bound) session.close();
  }
}
