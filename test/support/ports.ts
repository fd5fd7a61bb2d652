import net from 'node:net';

/**
 * A port free on 127.0.0.1 just now (bound to 0 and released). Another process may take it before the caller
 * listens: callers that can, listen on port 0 themselves; the others retry on EADDRINUSE.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
