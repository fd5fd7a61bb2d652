import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { type StatusKuvert, startStatusKuvert } from '../../../test/support/status.ts';

let peer: SMTPServer;
let kuvert: StatusKuvert;

function startPeer(port = 0): Promise<number> {
  peer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 50,
    // No reverse DNS of each client: on a closed network the lookup hangs and keeps the test process alive.
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  return new Promise((resolve, reject) => {
    peer.once('error', reject);
    peer.listen(port, '127.0.0.1', () => resolve((peer.server.address() as AddressInfo).port));
  });
}

const stopPeer = () => new Promise<void>((resolve) => peer.close(() => resolve()));

before(async () => {
  const port = await startPeer();
  kuvert = await startStatusKuvert({
    worker: false,
    env: { KUVERT_EMAIL_TRANSPORT: 'smtp', KUVERT_SMTP_URL: `smtp://127.0.0.1:${port}` },
  });
});
after(async () => {
  await kuvert?.stop();
  await stopPeer().catch(() => {});
  // Something below the SMTP peer or nodemailer (not a handle Node lists) keeps this process alive after the test;
  // leave once the results are out. An unref'd timer fires only if something else still holds the process.
  setTimeout(() => process.exit(), 3000).unref();
});

async function emailState(): Promise<{ page: string; api: string | undefined }> {
  const html = await (await fetch(`${kuvert.url}/drift`)).text();
  const section = /<li class="kuvert-status-component" id="component-email">([\s\S]*?)<\/li>/.exec(html)?.[1] ?? '';
  const heading = /<h3[^>]*>([\s\S]*?)<\/h3>/.exec(section)?.[1] ?? '';
  const api = (await (await fetch(`${kuvert.url}/api/v1/status`)).json()) as {
    components: { id: string; status: string }[];
  };
  return {
    page: heading
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
    api: api.components.find((c) => c.id === 'email')?.status,
  };
}

test('stopping the SMTP peer turns the e-mail component on /drift degraded; starting it again, operational', {
  timeout: 120_000,
}, async () => {
  assert.deepEqual(await emailState(), { page: 'Advisering på e-mail Kører normalt', api: 'operational' });

  const port = (peer.server.address() as AddressInfo).port;
  await stopPeer();
  assert.deepEqual(await emailState(), { page: 'Advisering på e-mail Nedsat funktion', api: 'degraded' });
  const html = await (await fetch(`${kuvert.url}/drift`)).text();
  assert.match(html, /Forbindelsen til udbyderen fejler/);
  assert.match(html, /Dele af Kuvert virker ikke som de skal/);

  await startPeer(port);
  assert.deepEqual(await emailState(), { page: 'Advisering på e-mail Kører normalt', api: 'operational' });
});
