import { AppError } from '../../../http/problem.ts';

/**
 * The one rule for the lines of an NDJSON batch, used both when the batch is received (to count its items and
 * enforce the limits) and when it is applied (to read its items), so the two can never disagree:
 *
 * - A line ends at LF. CRLF is the same line end (the CR is JSON whitespace at the end of the line).
 * - A lone CR (one not followed by LF) is refused at submission with 400 `invalid_line_ending`, naming the line:
 *   NDJSON has no such line end, and JSON tools read such a file as one line, so guessing would apply letters
 *   differently from how the sender's own tools see them. A CR as the very last byte of the body is the end of the
 *   last line's whitespace and is allowed.
 * - A byte order mark at the very start of the body belongs to no line.
 * - A line holding nothing but JSON whitespace (space, tab, CR) is blank: it is neither counted nor applied, but
 *   it keeps its number, so item numbers are the line numbers a text editor shows.
 */
export interface NdjsonLine {
  /** 1-based line number in the body (blank lines counted). */
  number: number;
  /** The line's bytes, without its line end (and without the BOM on line 1). */
  bytes: Buffer;
}

const LF = 0x0a;
const CR = 0x0d;
const BOM = [0xef, 0xbb, 0xbf];

export class NdjsonLineSplitter {
  /** The number of the line being read. */
  private line = 1;
  private parts: Buffer[] = [];
  private bytes = 0;
  /** Leading bytes of the body that may yet be a BOM (it may arrive split across chunks); null once decided. */
  private bomHeld: number[] | null = [];
  /** The previous chunk ended in a CR: it is a line end only if this chunk starts with LF. */
  private pendingCr = false;

  constructor(private readonly maxLineBytes = Number.POSITIVE_INFINITY) {}

  /** The non-blank lines that `chunk` completes. Throws AppError (line_too_long, invalid_line_ending). */
  push(chunk: Buffer): NdjsonLine[] {
    const out: NdjsonLine[] = [];
    let start = 0;
    while (this.bomHeld && start < chunk.length) {
      if (chunk[start] !== BOM[this.bomHeld.length]) {
        // Not a BOM after all: what was held is the first line's content.
        this.releaseBom();
        break;
      }
      this.bomHeld.push(BOM[this.bomHeld.length] as number);
      start++;
      if (this.bomHeld.length === BOM.length) this.bomHeld = null;
    }
    if (this.pendingCr && start < chunk.length) {
      if (chunk[start] !== LF) throw invalidLineEnding(this.line);
      this.pendingCr = false;
    }
    for (;;) {
      const lf = chunk.indexOf(LF, start);
      const end = lf === -1 ? chunk.length : lf;
      const cr = chunk.indexOf(CR, start);
      // A CR must be followed by LF (CRLF); a CR ending the chunk is decided by the next chunk (or the body's end).
      if (cr !== -1 && cr < end) {
        if (cr + 1 === chunk.length) this.pendingCr = true;
        else if (chunk[cr + 1] !== LF) throw invalidLineEnding(this.line);
      }
      this.append(chunk.subarray(start, end));
      if (lf === -1) break;
      this.finishLine(out);
      start = lf + 1;
    }
    return out;
  }

  /** The last line, if it is not blank (the body ended without a line end). */
  end(): NdjsonLine[] {
    this.releaseBom();
    this.pendingCr = false;
    const out: NdjsonLine[] = [];
    this.finishLine(out);
    return out;
  }

  private releaseBom() {
    const held = this.bomHeld;
    this.bomHeld = null;
    if (held && held.length > 0) this.append(Buffer.from(held));
  }

  private append(bytes: Buffer) {
    if (bytes.length === 0) return;
    this.bytes += bytes.length;
    if (this.bytes > this.maxLineBytes) {
      throw new AppError(
        413,
        'line_too_long',
        `Line ${this.line} is longer than ${this.maxLineBytes} bytes.`,
        undefined,
        { line: this.line },
      );
    }
    this.parts.push(bytes);
  }

  private finishLine(out: NdjsonLine[]) {
    const bytes = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
    if (!isBlank(bytes)) out.push({ number: this.line, bytes: Buffer.from(bytes) });
    this.line++;
    this.parts = [];
    this.bytes = 0;
  }
}

/** Only JSON whitespace (space, tab, CR): a blank line, which is not an item. */
export function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09 && byte !== CR) return false;
  return true;
}

const invalidLineEnding = (line: number) =>
  new AppError(
    400,
    'invalid_line_ending',
    `Line ${line} ends with a carriage return (CR) alone. End each line with LF (\\n) or CRLF (\\r\\n).`,
    undefined,
    { line },
  );

/** The non-blank lines of an NDJSON stream, one at a time, by the rule above. */
export async function* ndjsonLines(input: AsyncIterable<Buffer>, maxLineBytes?: number): AsyncGenerator<NdjsonLine> {
  const splitter = new NdjsonLineSplitter(maxLineBytes);
  for await (const chunk of input) yield* splitter.push(chunk);
  yield* splitter.end();
}
