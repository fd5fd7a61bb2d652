import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GatewayRequest {
  key: string | null;
  authorization: string | null;
  body: { to?: string; from?: string; text?: string; reference?: string };
}

/**
 * A real HTTP SMS gateway on 127.0.0.1, as a provider would run one: it sends an SMS when a request arrives and
 * de-duplicates by Idempotency-Key (a repeated key is answered as the first and sends nothing), refuses numbers in
 * `reject` with 422, can hold its answers (`hold`: the SMS is sent, the answer comes late or never) until
 * `release()`, and can stop listening altogether.
 */
export interface SmsGatewayPeer {
  url: string;
  /** Every request as it arrived, repeats included. */
  requests: GatewayRequest[];
  /** The SMS actually sent, by Idempotency-Key (one each). */
  sent: Map<string, GatewayRequest>;
  /** Numbers answered 422 (unknown number). */
  reject: Set<string>;
  /** While true, requests get no answer until release(). */
  hold: boolean;
  /** Answers every held request (and those held later, until hold is set again). */
  release(): void;
  /** Requests waiting for an answer. */
  readonly held: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startSmsGatewayPeer(): Promise<SmsGatewayPeer> {
  const waiting: (() => void)[] = [];
  let server: http.Server | null = null;
  let port = 0;
  /** Sends (once per key) as soon as a request arrives; the answer may then be held, as a slow provider's is. */
  const accept = (request: GatewayRequest): { status: number; body: unknown } => {
    if (peer.reject.has(request.body.to ?? '')) return { status: 422, body: { error: 'unknown number' } };
    const key = request.key ?? `no-key-${peer.requests.length}`;
    if (!peer.sent.has(key)) peer.sent.set(key, request);
    return { status: 200, body: { id: `sms-${key}` } };
  };
  const peer: SmsGatewayPeer = {
    url: '',
    requests: [],
    sent: new Map(),
    reject: new Set(),
    hold: false,
    get held() {
      return waiting.length;
    },
    release() {
      peer.hold = false;
      for (const go of waiting.splice(0)) go();
    },
    async start() {
      if (server) return; // already listening
      server = http.createServer((req, res) => {
        if (req.method !== 'POST') {
          res.writeHead(200).end(); // a health check (Kuvert's status page greets the gateway with HEAD)
          return;
        }
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          let body: GatewayRequest['body'] = {};
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            // answered below as any other request
          }
          const request: GatewayRequest = {
            key: (req.headers['idempotency-key'] as string | undefined) ?? null,
            authorization: req.headers.authorization ?? null,
            body,
          };
          peer.requests.push(request);
          const outcome = accept(request);
          const answer = () => {
            if (res.destroyed) return; // the client gave up waiting (its timeout)
            res.writeHead(outcome.status, { 'content-type': 'application/json' }).end(JSON.stringify(outcome.body));
          };
          if (peer.hold) waiting.push(answer);
          else answer();
        });
      });
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject);
        server?.listen(port, '127.0.0.1', () => resolve());
      });
      port = (server.address() as AddressInfo).port;
      peer.url = `http://127.0.0.1:${port}/sms`;
    },
    async stop() {
      const s = server;
      server = null;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  await peer.start();
  return peer;
}
