/**
 * Notification throughput: N queued e-mails sent to a local SMTP peer (smtp-server) and N SMS to a local SMPP peer
 * (the `smpp` package's server), through the real queue (claim, send, record) and the real pooled transports. The
 * peers run in a child process, as a real peer would be another machine. Options: --emails 100000 --sms 100000
 * --workers 2 (parallel sender jobs) --pool 16 (SMTP connections) --sessions 4 (SMPP binds) --recipients 20000
 * (also times coalescing: that many letters routed set-based and swept into notifications). The limits, measured in
 * the same run: the same number of e-mails and SMS sent by a bare nodemailer pool and bare SMPP binds
 * (support/raw-notify.ts) to the same peers; each result has its ratio to its limit and the machine's CPU per message.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { scheduleNewMailNotifications } from '../src/modules/notify/new-mail.ts';
import { sendDueNotifications } from '../src/modules/notify/send-notifications.ts';
import { sweepPendingNotifications } from '../src/modules/notify/sweep-new-mail.ts';
import { createSender } from '../test/support/fixtures.ts';
import { startTestKuvert } from '../test/support/kuvert.ts';
import { startSmppPeer, startSmtpPeer } from '../test/support/notify-peers.ts';
import { withMachineCpu } from './support/load.ts';
import { rawEmails, rawSms } from './support/raw-notify.ts';

// Child process: the peers. Reports its ports, then answers "count" with how many messages arrived.
if (process.env.KUVERT_NOTIFY_BENCH_PEER === '1') {
  // As cheap as a peer can be: count, never buffer or parse the messages.
  const smtp = await startSmtpPeer(undefined, { countOnly: true });
  const smpp = await startSmppPeer({ countOnly: true });
  const count = () => ({ emails: smtp.received, sms: smpp.received });
  process.on('message', (message) => {
    if (message === 'count') process.send?.({ count: count() });
    if (message === 'stop') process.exit(0);
  });
  process.send?.({ smtpPort: smtp.port, smppPort: smpp.port });
}

async function queue(
  db: import('../src/db/database.ts').Db,
  channel: 'email' | 'sms',
  n: number,
  recipients: string[],
) {
  await sql`
    insert into notification (recipient_id, channel, purpose, address, subject, body, dedup_key, next_attempt_at)
    select (${recipients}::uuid[])[1 + i % ${recipients.length}], ${channel}, 'new_mail',
      case when ${channel} = 'email' then 'person' || i || '@example.dk' else '+4530' || lpad(i::text, 6, '0') end,
      case when ${channel} = 'email' then 'Ny Digital Post fra Benchmark Kommune' end,
      'Du har fået ny Digital Post fra Benchmark Kommune. Læs den på http://localhost:3000/post',
      ${`bench-${channel}-`} || i, now() - interval '1 second'
    from generate_series(1, ${n}) as i
  `.execute(db);
}

export async function run(options: Record<string, string>) {
  const emails = Number(options.emails ?? 100_000);
  const smsCount = Number(options.sms ?? 100_000);
  const workers = Number(options.workers ?? 2);
  const recipientsForSweep = Number(options.recipients ?? 20_000);

  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, KUVERT_NOTIFY_BENCH_PEER: '1' },
    execArgv: ['--import', 'tsx'],
  });
  const ports = await new Promise<{ smtpPort: number; smppPort: number }>((resolve) =>
    child.once('message', (m) => resolve(m as { smtpPort: number; smppPort: number })),
  );
  const peerCount = () =>
    new Promise<{ emails: number; sms: number }>((resolve) => {
      child.once('message', (m) => resolve((m as { count: { emails: number; sms: number } }).count));
      child.send('count');
    });

  const kuvert = await startTestKuvert({
    worker: false,
    env: {
      KUVERT_EMAIL_TRANSPORT: 'smtp',
      KUVERT_SMTP_URL: `smtp://127.0.0.1:${ports.smtpPort}`,
      KUVERT_SMTP_POOL_SIZE: options.pool ?? '16',
      KUVERT_SMS_TRANSPORT: 'smpp',
      KUVERT_SMPP_URL: `smpp://kuvert:secret@127.0.0.1:${ports.smppPort}`,
      KUVERT_SMPP_SESSIONS: options.sessions ?? '4',
      KUVERT_NOTIFY_CONCURRENCY: options.concurrency ?? '400',
      KUVERT_NOTIFY_COALESCE_SECONDS: '0',
    },
  });
  const db = kuvert.services.db;
  try {
    const sender = await createSender(db, 'Benchmark Kommune');
    // Recipients with one confirmed e-mail each (for the coalescing part) — also the owners of the queued rows.
    const recipients = await sql<{ id: string }>`
      insert into recipient (kind, cpr, name, enrolment)
      select 'person', lpad(i::text, 10, '0'), 'Person ' || i, 'automatic' from generate_series(1, ${recipientsForSweep}) i
      returning id
    `.execute(db);
    const ids = recipients.rows.map((r) => r.id);
    await sql`
      insert into contact_detail (recipient_id, kind, value, confirmed_at, last_confirmed_at)
      select id, 'email', 'r' || row_number() over () || '@example.dk', now(), now() from unnest(${ids}::uuid[]) as id
    `.execute(db);

    const sendAll = async () => {
      // `workers` sender jobs in parallel, as graphile-worker would run them.
      await Promise.all(Array.from({ length: workers }, () => sendDueNotifications(kuvert.services, new Date())));
    };

    const log = (what: string) => process.stderr.write(`${new Date().toISOString()} ${what}\n`);
    log('setup done');
    const pool = Number(options.pool ?? 16);
    const sessions = Number(options.sessions ?? 4);
    const concurrency = Number(options.concurrency ?? 400);
    // 1. E-mail, then the limit: a bare client sending as many.
    await queue(db, 'email', emails, ids);
    let started = performance.now();
    const emailCpu = await withMachineCpu(sendAll);
    const emailSeconds = (performance.now() - started) / 1000;
    const afterEmail = await peerCount();
    log(`e-mail: ${emailSeconds.toFixed(1)} s`);
    const rawEmail = await withMachineCpu(() => rawEmails(ports.smtpPort, emails, pool, concurrency));
    log(`e-mail, bare client: ${rawEmail.result.toFixed(1)} s`);

    // 2. SMS (daytime check is off: the rows are urgent so quiet hours never hold them back), then its limit.
    await queue(db, 'sms', smsCount, ids);
    await sql`update notification set urgent = true where channel = 'sms'`.execute(db);
    started = performance.now();
    const smsCpu = await withMachineCpu(sendAll);
    const smsSeconds = (performance.now() - started) / 1000;
    const afterSms = await peerCount();
    log(`SMS: ${smsSeconds.toFixed(1)} s`);
    const rawSmsRun = await withMachineCpu(() => rawSms(ports.smppPort, smsCount, sessions, concurrency));
    log(`SMS, bare client: ${rawSmsRun.result.toFixed(1)} s`);
    const limit = (count: number, seconds: number, cpuMs: number, raw: { result: number; cpuMs: number }) => {
      const rawPerSecond = count / raw.result;
      return {
        limit: { what: 'the same messages from a bare client', perSecond: Math.round(rawPerSecond) },
        ratio: Math.round((count / seconds / rawPerSecond) * 100) / 100,
        machineCpuMsPerMessage: Number((cpuMs / count).toFixed(3)),
        limitMachineCpuMsPerMessage: Number((raw.cpuMs / count).toFixed(3)),
      };
    };

    // 3. Coalescing: one letter to each recipient, routed as one set-based call per 5,000, then swept.
    const letters = await sql<{ id: string }>`
      insert into message (sender_id, recipient_id, message_uuid, content_hash, label, status, available_at)
      select ${sender.id}, id, gen_random_uuid(), 'x', 'Brev', 'available', ${new Date('2026-12-02T10:00:00Z')}
      from unnest(${ids}::uuid[]) as id
      returning id
    `.execute(db);
    const letterIds = letters.rows.map((r) => r.id);
    started = performance.now();
    for (let i = 0; i < letterIds.length; i += 5000) {
      await db
        .transaction()
        .execute((trx) =>
          scheduleNewMailNotifications(trx, letterIds.slice(i, i + 5000), new Date('2026-12-02T10:00:00Z')),
        );
    }
    const scheduleSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const swept = await sweepPendingNotifications(kuvert.services, new Date('2026-12-02T10:10:00Z'));
    const sweepSeconds = (performance.now() - started) / 1000;

    const states = await sql<{ channel: string; state: string; n: string }>`
      select channel, state, count(*) as n from notification group by 1, 2 order by 1, 2
    `.execute(db);
    return {
      emails: {
        count: emails,
        received: afterEmail.emails,
        seconds: Number(emailSeconds.toFixed(2)),
        perSecond: Math.round(emails / emailSeconds),
        ...limit(emails, emailSeconds, emailCpu.cpuMs, rawEmail),
      },
      sms: {
        count: smsCount,
        received: afterSms.sms,
        seconds: Number(smsSeconds.toFixed(2)),
        perSecond: Math.round(smsCount / smsSeconds),
        ...limit(smsCount, smsSeconds, smsCpu.cpuMs, rawSmsRun),
      },
      coalescing: {
        letters: letterIds.length,
        scheduleLettersPerSecond: Math.round(letterIds.length / scheduleSeconds),
        notificationsQueued: swept.queued,
        sweepPerSecond: Math.round(swept.queued / sweepSeconds),
      },
      states: states.rows.map((r) => `${r.channel}/${r.state}: ${r.n}`),
      workers,
    };
  } finally {
    await kuvert.services.notifications.close();
    child.send('stop');
    await kuvert.stop();
  }
}
