import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A PDF's pages as PNG images, for phones, whose browsers show an embedded PDF as an empty box. Drawn by pdf.js in a
 * child process (pdf-pages-host.mjs: Node's permission model, a memory cap, killed when it takes too long), one page
 * at a time, and kept in a content-addressed cache (by the document's SHA-256, the page and the width) under the data
 * folder, bounded in bytes: the least recently used images go first. A PDF that cannot be drawn is remembered as
 * such, so it is not tried again; a timeout is not (the next request tries again).
 */
export interface PageImageLimits {
  /** Width of a page image in pixels (a 390 px phone at 2.5 device pixels per CSS pixel). */
  width: number;
  /** No page image is larger than this many pixels, whatever the page's proportions. */
  maxPixels: number;
  /** Pages beyond this are not offered as images (the download has them all). */
  maxPages: number;
  /** PDFs larger than this are not drawn at all. */
  maxPdfBytes: number;
  /** One page (or the page count) may take this long; then the drawing process is killed. */
  timeoutMs: number;
  /** Requests waiting beyond this many are refused at once (busy) rather than queued. */
  maxQueue: number;
  /** The cache is pruned back to 80 % of this when it grows past it. */
  cacheBytes: number;
}

export const DEFAULT_PAGE_IMAGE_LIMITS: PageImageLimits = {
  width: 1000,
  maxPixels: 2_500_000,
  maxPages: 30,
  maxPdfBytes: 30 * 1024 * 1024,
  timeoutMs: 15_000,
  maxQueue: 16,
  cacheBytes: 256 * 1024 * 1024,
};

/** The drawing process was too slow or too busy; the caller may try again later. */
export class PageImagesBusyError extends Error {}

type HostReply = { id?: number; ready?: boolean; pages?: number; png?: Uint8Array; error?: string; detail?: string };
type Job = { op: 'count' | 'render'; pdf: Buffer; page?: number };

const here = path.dirname(fileURLToPath(import.meta.url));
const HOST = path.join(here, 'pdf-pages-host.mjs');
const require = createRequire(import.meta.url);
/** What the host may read: itself and the two packages it loads (with their package.json files on the way). */
function readablePaths(): string[] {
  const pdfjs = path.dirname(require.resolve('pdfjs-dist/package.json'));
  const modules = path.dirname(pdfjs);
  return [HOST, modules];
}

export class PdfPageImages {
  private host: ChildProcess | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private nextId = 0;
  private readonly replies = new Map<number, (reply: HostReply) => void>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private cacheSize: number | null = null;
  private writesSincePrune = 0;

  constructor(
    private readonly cacheDir: string,
    readonly limits: PageImageLimits = DEFAULT_PAGE_IMAGE_LIMITS,
  ) {}

  private file(sha256: string, name: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('invalid document hash');
    return path.join(this.cacheDir, sha256.slice(0, 2), `${sha256}${name}`);
  }

  /**
   * How many pages the PDF has (page() draws the first maxPages of them); null if it cannot be drawn (broken, too
   * large). Throws PageImagesBusyError when the drawing process did not answer in time.
   */
  async pageCount(sha256: string, sizeBytes: number, load: () => Promise<Buffer>): Promise<number | null> {
    const metaFile = this.file(sha256, '.json');
    const cached = await readFile(metaFile, 'utf8').then(
      (text) => JSON.parse(text) as { pages: number | null },
      () => null,
    );
    if (cached) return cached.pages;
    if (sizeBytes > this.limits.maxPdfBytes) return null;
    const pages = await this.once(`${sha256}:count`, async () => {
      const reply = await this.run({ op: 'count', pdf: await load() });
      const count = reply.error || !reply.pages ? null : reply.pages;
      await this.store(metaFile, JSON.stringify({ pages: count }));
      return count;
    });
    return pages;
  }

  /** Page `page` (from 1) as PNG, from the cache or drawn now; null if there is no such page to show. */
  async page(sha256: string, page: number, sizeBytes: number, load: () => Promise<Buffer>): Promise<Buffer | null> {
    const count = await this.pageCount(sha256, sizeBytes, load);
    if (count === null || !Number.isInteger(page) || page < 1 || page > Math.min(count, this.limits.maxPages)) {
      return null;
    }
    const pngFile = this.file(sha256, `-${page}-${this.limits.width}.png`);
    const hit = await readFile(pngFile).catch(() => null);
    if (hit) {
      const now = new Date();
      await utimes(pngFile, now, now).catch(() => undefined); // recently used: pruned last
      return hit;
    }
    return this.once(`${sha256}:${page}`, async () => {
      const reply = await this.run({ op: 'render', pdf: await load(), page });
      if (reply.error || !reply.png) return null;
      const png = Buffer.from(reply.png);
      await this.store(pngFile, png);
      return png;
    });
  }

  /** Stops the drawing process (at shutdown); the next request starts a new one. */
  async stop(): Promise<void> {
    const host = this.host;
    this.host = undefined;
    if (!host || host.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => host.once('exit', () => resolve()));
    host.ref();
    host.kill('SIGKILL');
    await exited;
  }

  /** One drawing of a thing at a time, however many requests ask for it at once. */
  private once<T>(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key) as Promise<T> | undefined;
    if (running) return running;
    const promise = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  /** Queues a job for the drawing process (one at a time: the machine's cores serve the web pages too). */
  private run(job: Job): Promise<HostReply> {
    if (this.waiting >= this.limits.maxQueue) {
      return Promise.reject(new PageImagesBusyError('too many page images are being drawn'));
    }
    this.waiting++;
    const result = this.queue.then(() => this.send(job));
    this.queue = result.catch(() => undefined).finally(() => this.waiting--);
    return result;
  }

  private startHost(): ChildProcess {
    if (this.host && this.host.exitCode === null && !this.host.killed) return this.host;
    const host = fork(HOST, [], {
      execArgv: [
        '--permission',
        ...readablePaths().map((p) => `--allow-fs-read=${p}`),
        '--allow-addons',
        '--max-old-space-size=256',
      ],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    host.on('message', (reply: HostReply) => {
      if (reply.id === undefined) return;
      const resolve = this.replies.get(reply.id);
      this.replies.delete(reply.id);
      resolve?.(reply);
    });
    host.on('exit', () => {
      if (this.host === host) this.host = undefined;
      for (const resolve of this.replies.values()) resolve({ error: 'crashed' });
      this.replies.clear();
    });
    host.on('error', () => undefined);
    host.unref();
    host.channel?.unref();
    this.host = host;
    return host;
  }

  private send(job: Job): Promise<HostReply> {
    const host = this.startHost();
    const id = this.nextId++;
    return new Promise<HostReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.replies.delete(id);
        // Too slow (a hostile or huge page): the process is killed, so nothing keeps running; the next job starts anew.
        if (this.host === host) this.host = undefined;
        host.kill('SIGKILL');
        reject(new PageImagesBusyError('drawing the page took too long'));
      }, this.limits.timeoutMs);
      this.replies.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      host.send({
        id,
        op: job.op,
        pdf: job.pdf,
        page: job.page ?? 1,
        width: this.limits.width,
        maxPixels: this.limits.maxPixels,
      });
    });
  }

  /** Writes a cache file atomically, and prunes the cache now and then when it has grown past its bound. */
  private async store(file: string, data: Buffer | string): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${randomUUID()}.tmp`;
    await writeFile(temp, data);
    await rename(temp, file);
    if (this.cacheSize !== null) this.cacheSize += Buffer.byteLength(data);
    if (this.cacheSize === null || this.cacheSize > this.limits.cacheBytes || ++this.writesSincePrune >= 200) {
      this.writesSincePrune = 0;
      await this.prune();
    }
  }

  /** Measures the cache, and removes the least recently used files until it is back under 80 % of its bound. */
  async prune(): Promise<void> {
    const files: { file: string; size: number; used: number }[] = [];
    const subs = await readdir(this.cacheDir, { withFileTypes: true }).catch(() => []);
    for (const sub of subs) {
      if (!sub.isDirectory()) continue;
      const dir = path.join(this.cacheDir, sub.name);
      for (const entry of await readdir(dir)) {
        const file = path.join(dir, entry);
        const info = await stat(file).catch(() => null);
        if (info) files.push({ file, size: info.size, used: info.mtimeMs });
      }
    }
    let total = files.reduce((sum, f) => sum + f.size, 0);
    if (total > this.limits.cacheBytes) {
      files.sort((a, b) => a.used - b.used);
      for (const f of files) {
        if (total <= this.limits.cacheBytes * 0.8) break;
        await rm(f.file, { force: true });
        total -= f.size;
      }
    }
    this.cacheSize = total;
  }
}
