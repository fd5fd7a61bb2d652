import net from 'node:net';

/** The EICAR anti-virus test file, built at run time so that this source file itself is no test file. */
export const EICAR = Buffer.from(
  ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE', '!$H+H*'].join(''),
  'latin1',
);

/**
 * A small clamd on 127.0.0.1 speaking the real INSTREAM protocol: `zINSTREAM\0` (or `nINSTREAM\n`), then chunks of
 * <4-byte big-endian length><bytes>, ended by a zero length; it answers `stream: OK\0`, or
 * `stream: Eicar-Test-Signature FOUND\0` when the stream holds the EICAR string, and closes. Keeps what it received.
 */
export async function startFakeClamd(): Promise<{ port: number; streams: Buffer[]; stop(): Promise<void> }> {
  const streams: Buffer[] = [];
  const server = net.createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let started = false;
    const parts: Buffer[] = [];
    socket.on('data', (data) => {
      buffer = Buffer.concat([buffer, data]);
      if (!started) {
        const end = buffer.findIndex((b) => b === 0 || b === 0x0a);
        if (end < 0) return;
        const command = buffer.subarray(0, end).toString('latin1');
        if (command !== 'zINSTREAM' && command !== 'nINSTREAM') {
          socket.end('UNKNOWN COMMAND\0');
          return;
        }
        started = true;
        buffer = buffer.subarray(end + 1);
      }
      while (buffer.length >= 4) {
        const length = buffer.readUInt32BE(0);
        if (length === 0) {
          const stream = Buffer.concat(parts);
          streams.push(stream);
          socket.end(stream.includes(EICAR) ? 'stream: Eicar-Test-Signature FOUND\0' : 'stream: OK\0');
          return;
        }
        if (buffer.length < 4 + length) return;
        parts.push(buffer.subarray(4, 4 + length));
        buffer = buffer.subarray(4 + length);
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    streams,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 that nothing listens on (taken, then freed). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
