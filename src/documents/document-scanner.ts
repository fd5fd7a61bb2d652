import net from 'node:net';

/** What a malware scanner found in one document. */
export type ScanResult = { infected: false } | { infected: true; signature: string };

/** Thrown when the scanner cannot give an answer (unreachable, timed out, an error reply): nothing may be stored. */
export class ScannerUnavailableError extends Error {}

/** A malware scanner every document passes before it is accepted (services.scanner; none by default). */
export interface DocumentScanner {
  /** Scans the bytes; throws ScannerUnavailableError when there is no answer. */
  scan(bytes: Buffer): Promise<ScanResult>;
}

const CHUNK = 64 * 1024;

/**
 * ClamAV's daemon over TCP with its INSTREAM command: `zINSTREAM\0`, then the bytes as chunks each preceded by its
 * length (4 bytes, big-endian), then a zero length; clamd answers `stream: OK`, `stream: <signature> FOUND` or
 * `<reason> ERROR` (e.g. over its StreamMaxLength), NUL-terminated, and closes the connection.
 */
export class ClamdScanner implements DocumentScanner {
  constructor(private readonly options: { host: string; port: number; timeoutMs: number }) {}

  scan(bytes: Buffer): Promise<ScanResult> {
    const { host, port, timeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let settled = false;
      const finish = (error: Error | null, result?: ScanResult) => {
        if (settled) return;
        settled = true;
        socket.destroy();
        if (error) reject(error);
        else resolve(result as ScanResult);
      };
      const socket = net.connect({ host, port });
      socket.setTimeout(timeoutMs, () => finish(new ScannerUnavailableError(`clamd at ${host}:${port} timed out`)));
      socket.on('error', (error) => finish(new ScannerUnavailableError(`clamd at ${host}:${port}: ${error.message}`)));
      socket.on('data', (data) => {
        chunks.push(data);
        if (data.includes(0)) finish(null, parseReply(Buffer.concat(chunks)));
      });
      socket.on('end', () => finish(null, parseReply(Buffer.concat(chunks))));
      socket.on('connect', () => {
        socket.write('zINSTREAM\0');
        for (let offset = 0; offset < bytes.length; offset += CHUNK) {
          const piece = bytes.subarray(offset, offset + CHUNK);
          const length = Buffer.alloc(4);
          length.writeUInt32BE(piece.length);
          socket.write(length);
          socket.write(piece);
        }
        socket.write(Buffer.alloc(4)); // the zero-length chunk ends the stream
      });
    }).catch((error: unknown) => {
      throw error instanceof ScannerUnavailableError ? error : new ScannerUnavailableError(String(error));
    }) as Promise<ScanResult>;
  }
}

/** clamd's reply to one INSTREAM: `stream: OK`, `stream: Name FOUND`; anything else means no answer. */
function parseReply(reply: Buffer): ScanResult {
  const text = reply
    .toString('utf8')
    .replace(/\0[\s\S]*$/, '')
    .trim();
  if (/^stream: OK$/.test(text)) return { infected: false };
  const found = /^stream: (.+) FOUND$/.exec(text);
  if (found) return { infected: true, signature: found[1] as string };
  throw new ScannerUnavailableError(`clamd answered "${text.slice(0, 200) || '(nothing)'}"`);
}

/** The scanner the configuration names (clamd), or null when none is configured. */
export function createDocumentScanner(config: {
  clamd: { host: string; port: number } | undefined;
  clamdTimeoutMs: number;
}): DocumentScanner | null {
  return config.clamd ? new ClamdScanner({ ...config.clamd, timeoutMs: config.clamdTimeoutMs }) : null;
}
