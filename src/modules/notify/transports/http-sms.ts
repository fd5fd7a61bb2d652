import type { SendResult, TrackedNotification, Transport, TransportCheck } from '../channel.ts';
import { TransportError } from '../channel.ts';
import type { HttpSmsSettings } from '../notify.config.ts';

/**
 * SMS over a generic HTTPS gateway: POST {to, from, text, reference} as JSON with a bearer token and the
 * notification's de-duplication key as Idempotency-Key. 2xx: accepted (an `id` in the answer is kept for receipts);
 * 400/404/422: the gateway refuses the number or text (permanent); anything else, or no answer within the timeout:
 * try again later, with the same Idempotency-Key, so a gateway that de-duplicates by it sends one SMS however often
 * a send whose answer was lost is repeated.
 */
export class HttpSmsTransport implements Transport {
  readonly name = 'http';

  constructor(
    private readonly settings: HttpSmsSettings,
    private readonly from: string,
  ) {}

  async send(message: TrackedNotification): Promise<SendResult> {
    let response: Response;
    try {
      response = await fetch(this.settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': message.dedupKey,
          ...(this.settings.token ? { authorization: `Bearer ${this.settings.token}` } : {}),
        },
        body: JSON.stringify({ to: message.to, from: this.from, text: message.body, reference: message.dedupKey }),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      throw new TransportError(`SMS gateway: ${(error as Error).message}`, false);
    }
    const text = await response.text().catch(() => '');
    if (response.ok) {
      let id: string | null = null;
      try {
        const parsed = JSON.parse(text) as { id?: unknown };
        if (typeof parsed.id === 'string' || typeof parsed.id === 'number') id = String(parsed.id);
      } catch {
        // an answer without JSON is fine
      }
      return { providerId: id };
    }
    const permanent = [400, 404, 422].includes(response.status);
    throw new TransportError(`SMS gateway answered ${response.status}`, permanent);
  }

  async check(): Promise<TransportCheck> {
    try {
      await fetch(new URL(this.settings.url).origin, { method: 'HEAD', signal: AbortSignal.timeout(3000) });
      return { ok: true, detail: null };
    } catch (error) {
      return { ok: false, detail: `SMS gateway unreachable: ${(error as Error).message}` };
    }
  }

  async close(): Promise<void> {}
}
