import { ConfigError, type Env, intVar } from '../../config-support.ts';

export interface SmtpSettings {
  host: string;
  port: number;
  /** true: TLS from the first byte (smtps://, port 465); false: STARTTLS when the server offers it. */
  secure: boolean;
  /** Refuse to send unless STARTTLS succeeds (KUVERT_SMTP_REQUIRE_TLS). */
  requireTls: boolean;
  /** Verify the server certificate (KUVERT_SMTP_TLS_REJECT_UNAUTHORIZED, default true). */
  rejectUnauthorized: boolean;
  user: string | undefined;
  password: string | undefined;
  /** Pooled connections and messages per connection. */
  maxConnections: number;
  maxMessages: number;
}

export interface SmppSettings {
  host: string;
  port: number;
  tls: boolean;
  systemId: string;
  password: string;
  /** Parallel SMPP sessions (binds). */
  sessions: number;
}

export interface HttpSmsSettings {
  url: string;
  token: string | undefined;
  /** A send with no answer within this time counts as a temporary failure (KUVERT_SMS_HTTP_TIMEOUT_MS). */
  timeoutMs: number;
}

/** Notification settings: transports, quiet hours, coalescing (read once at start-up). */
export interface NotifyConfig {
  email: { transport: 'outbox' } | { transport: 'smtp'; smtp: SmtpSettings };
  sms:
    | { transport: 'outbox' }
    | { transport: 'smpp'; smpp: SmppSettings }
    | { transport: 'http'; http: HttpSmsSettings };
  /** The From of notification e-mails. */
  mailFrom: string;
  /** SMS originator (alphanumeric, at most 11 characters). */
  smsFrom: string;
  /** Letters arriving within this many seconds of the first one give one notification. */
  coalesceSeconds: number;
  /** SMS only from quietEnd to quietStart o'clock, Copenhagen time, unless urgent. */
  smsFromHour: number;
  smsUntilHour: number;
  /** Retries: first after retryBaseSeconds, doubling, at most retryMaxSeconds apart, maxAttempts in all. */
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  maxAttempts: number;
  /** Notifications sent at the same time by one worker. */
  sendConcurrency: number;
}

function choice<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function parseUrl(env: Env, name: string, protocols: string[]): URL {
  const raw = env[name];
  if (!raw) throw new ConfigError(name, 'required by the chosen transport');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'expected an absolute URL');
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(name, `expected ${protocols.join(' or ')} URL`);
  return url;
}

const boolVar = (env: Env, name: string, fallback: boolean): boolean => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
};

export function loadNotifyConfig(env: Env, nodeEnv: 'development' | 'production' | 'test'): NotifyConfig {
  const production = nodeEnv === 'production';
  const emailTransport = choice(env, 'KUVERT_EMAIL_TRANSPORT', ['outbox', 'smtp'], production ? 'smtp' : 'outbox');
  const smsTransport = choice(env, 'KUVERT_SMS_TRANSPORT', ['outbox', 'smpp', 'http'], production ? 'smpp' : 'outbox');
  if (production && emailTransport === 'outbox') {
    throw new ConfigError('KUVERT_EMAIL_TRANSPORT', 'the development outbox is not available in production');
  }
  if (production && smsTransport === 'outbox') {
    throw new ConfigError('KUVERT_SMS_TRANSPORT', 'the development outbox is not available in production');
  }

  let email: NotifyConfig['email'] = { transport: 'outbox' };
  if (emailTransport === 'smtp') {
    const url = parseUrl(env, 'KUVERT_SMTP_URL', ['smtp:', 'smtps:']);
    const secure = url.protocol === 'smtps:';
    email = {
      transport: 'smtp',
      smtp: {
        host: url.hostname,
        port: url.port ? Number(url.port) : secure ? 465 : 587,
        secure,
        requireTls: boolVar(env, 'KUVERT_SMTP_REQUIRE_TLS', production),
        rejectUnauthorized: boolVar(env, 'KUVERT_SMTP_TLS_REJECT_UNAUTHORIZED', true),
        user: url.username ? decodeURIComponent(url.username) : undefined,
        password: url.password ? decodeURIComponent(url.password) : undefined,
        maxConnections: intVar(env, 'KUVERT_SMTP_POOL_SIZE', 5, 1, 100),
        maxMessages: intVar(env, 'KUVERT_SMTP_MESSAGES_PER_CONNECTION', 1000, 1, 1_000_000),
      },
    };
  }

  let sms: NotifyConfig['sms'] = { transport: 'outbox' };
  if (smsTransport === 'smpp') {
    const url = parseUrl(env, 'KUVERT_SMPP_URL', ['smpp:', 'ssmpp:']);
    const tls = url.protocol === 'ssmpp:';
    sms = {
      transport: 'smpp',
      smpp: {
        host: url.hostname,
        port: url.port ? Number(url.port) : tls ? 3550 : 2775,
        tls,
        systemId: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        sessions: intVar(env, 'KUVERT_SMPP_SESSIONS', 2, 1, 16),
      },
    };
  } else if (smsTransport === 'http') {
    const url = parseUrl(env, 'KUVERT_SMS_HTTP_URL', production ? ['https:'] : ['https:', 'http:']);
    sms = {
      transport: 'http',
      http: {
        url: url.toString(),
        token: env.KUVERT_SMS_HTTP_TOKEN || undefined,
        timeoutMs: intVar(env, 'KUVERT_SMS_HTTP_TIMEOUT_MS', 15_000, 100, 120_000),
      },
    };
  }

  const smsFrom = env.KUVERT_SMS_FROM || 'DigitalPost';
  if (!/^[A-Za-z0-9 ]{1,11}$/.test(smsFrom) && !/^\+?\d{3,15}$/.test(smsFrom)) {
    throw new ConfigError('KUVERT_SMS_FROM', 'expected up to 11 letters and digits, or a phone number');
  }
  const retryBaseSeconds = intVar(env, 'KUVERT_NOTIFY_RETRY_BASE_SECONDS', 30, 1, 3600);
  return {
    email,
    sms,
    mailFrom: env.KUVERT_MAIL_FROM || 'Digital Post <ikke-svar@kuvert.local>',
    smsFrom,
    coalesceSeconds: intVar(env, 'KUVERT_NOTIFY_COALESCE_SECONDS', 300, 0, 86_400),
    smsFromHour: intVar(env, 'KUVERT_NOTIFY_SMS_FROM_HOUR', 8, 0, 23),
    smsUntilHour: intVar(env, 'KUVERT_NOTIFY_SMS_UNTIL_HOUR', 21, 1, 24),
    retryBaseSeconds,
    retryMaxSeconds: intVar(env, 'KUVERT_NOTIFY_RETRY_MAX_SECONDS', 3600, retryBaseSeconds, 86_400),
    maxAttempts: intVar(env, 'KUVERT_NOTIFY_MAX_ATTEMPTS', 15, 1, 100),
    sendConcurrency: intVar(env, 'KUVERT_NOTIFY_CONCURRENCY', 200, 1, 5000),
  };
}
