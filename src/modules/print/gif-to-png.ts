import { crc32, deflateSync } from 'node:zlib';

/**
 * The first frame of a GIF as a PNG (transparent pixels white), so it can be placed on a page: neither pdfkit nor
 * pdf-lib embeds GIF. A plain GIF decoder (LZW, interlacing, local and global colour tables) rather than another
 * dependency. Throws on anything malformed.
 */
export function gifToPng(gif: Buffer): Buffer {
  const { width, height, rgb } = decodeGif(gif);
  return encodePng(width, height, rgb);
}

const MAX_PIXELS = 40_000_000;

function decodeGif(gif: Buffer): { width: number; height: number; rgb: Uint8Array } {
  const signature = gif.subarray(0, 6).toString('latin1');
  if (signature !== 'GIF87a' && signature !== 'GIF89a') throw new Error('not a GIF');
  const width = gif.readUInt16LE(6);
  const height = gif.readUInt16LE(8);
  if (width === 0 || height === 0 || width * height > MAX_PIXELS) throw new Error('GIF size out of range');
  const packed = gif[10]!;
  let pos = 13;
  let globalTable: Buffer | null = null;
  if (packed & 0x80) {
    const size = 3 * (1 << ((packed & 7) + 1));
    globalTable = gif.subarray(pos, pos + size);
    pos += size;
  }
  let transparent = -1;
  const rgb = new Uint8Array(width * height * 3).fill(255);
  while (pos < gif.length) {
    const block = gif[pos++];
    if (block === 0x3b) break;
    if (block === 0x21) {
      const label = gif[pos++];
      if (label === 0xf9 && gif[pos] === 4) transparent = gif[pos + 1]! & 1 ? gif[pos + 4]! : -1;
      pos = skipSubBlocks(gif, pos);
      continue;
    }
    if (block !== 0x2c) throw new Error('malformed GIF');
    const left = gif.readUInt16LE(pos);
    const top = gif.readUInt16LE(pos + 2);
    const w = gif.readUInt16LE(pos + 4);
    const h = gif.readUInt16LE(pos + 6);
    const flags = gif[pos + 8]!;
    pos += 9;
    let table = globalTable;
    if (flags & 0x80) {
      const size = 3 * (1 << ((flags & 7) + 1));
      table = gif.subarray(pos, pos + size);
      pos += size;
    }
    if (!table) throw new Error('GIF without a colour table');
    const minCodeSize = gif[pos++]!;
    const data: Buffer[] = [];
    for (let p = pos; gif[p]! > 0; p += gif[p]! + 1) data.push(gif.subarray(p + 1, p + 1 + gif[p]!));
    const indices = lzwDecode(minCodeSize, Buffer.concat(data), w * h);
    const rows = flags & 0x40 ? interlacedRows(h) : Array.from({ length: h }, (_, i) => i);
    rows.forEach((row, i) => {
      const y = top + row;
      if (y >= height) return;
      for (let x = 0; x < w && left + x < width; x++) {
        const index = indices[i * w + x]!;
        if (index === transparent) continue;
        const target = (y * width + left + x) * 3;
        rgb[target] = table[index * 3] ?? 0;
        rgb[target + 1] = table[index * 3 + 1] ?? 0;
        rgb[target + 2] = table[index * 3 + 2] ?? 0;
      }
    });
    return { width, height, rgb }; // the first frame is the picture
  }
  throw new Error('GIF without an image');
}

function skipSubBlocks(gif: Buffer, pos: number): number {
  while (pos < gif.length && gif[pos] !== 0) pos += gif[pos]! + 1;
  return pos + 1;
}

function interlacedRows(height: number): number[] {
  const rows: number[] = [];
  for (const [start, step] of [
    [0, 8],
    [4, 8],
    [2, 4],
    [1, 2],
  ] as const) {
    for (let y = start; y < height; y += step) rows.push(y);
  }
  return rows;
}

function lzwDecode(minCodeSize: number, data: Buffer, pixels: number): Uint8Array {
  if (minCodeSize < 2 || minCodeSize > 8) throw new Error('bad GIF code size');
  const out = new Uint8Array(pixels);
  const prefix = new Int16Array(4096);
  const suffix = new Uint8Array(4096);
  const first = new Uint8Array(4096);
  const length = new Uint16Array(4096);
  const clear = 1 << minCodeSize;
  const eoi = clear + 1;
  for (let i = 0; i < clear; i++) {
    prefix[i] = -1;
    suffix[i] = i;
    first[i] = i;
    length[i] = 1;
  }
  let codeSize = minCodeSize + 1;
  let next = clear + 2;
  let prev = -1;
  let outPos = 0;
  let bits = 0;
  let bitCount = 0;
  let pos = 0;
  const emit = (code: number) => {
    const len = length[code]!;
    let c = code;
    for (let i = len - 1; i >= 0; i--) {
      if (outPos + i < pixels) out[outPos + i] = suffix[c]!;
      c = prefix[c]!;
    }
    outPos += len;
  };
  while (outPos < pixels) {
    while (bitCount < codeSize) {
      if (pos >= data.length) return out; // a short image: the rest stays colour 0, as viewers show it
      bits |= data[pos++]! << bitCount;
      bitCount += 8;
    }
    const code = bits & ((1 << codeSize) - 1);
    bits >>>= codeSize;
    bitCount -= codeSize;
    if (code === clear) {
      codeSize = minCodeSize + 1;
      next = clear + 2;
      prev = -1;
      continue;
    }
    if (code === eoi) break;
    if (prev === -1) {
      if (code >= clear) throw new Error('malformed GIF data');
      emit(code);
      prev = code;
      continue;
    }
    if (code > next || (code === next && next >= 4096)) throw new Error('malformed GIF data');
    if (next < 4096) {
      prefix[next] = prev;
      first[next] = first[prev]!;
      suffix[next] = code < next ? first[code]! : first[prev]!;
      length[next] = length[prev]! + 1;
      next++;
      if (next === 1 << codeSize && codeSize < 12) codeSize++;
    }
    emit(code);
    prev = code;
  }
  return out;
}

function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
