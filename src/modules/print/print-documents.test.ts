import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { addressBlock } from './cover-page.ts';
import { htmlToText } from './document-to-pdf.ts';
import { gifToPng } from './gif-to-png.ts';

test('HTML is printed as its text: blocks on their own lines, lists as bullets, no scripts, entities decoded', () => {
  const html =
    '<!doctype html><html><head><title>x</title><style>p{}</style></head><body><h1>Kære&nbsp;Søren</h1>' +
    '<p>Du skal betale <b>1.234,50&nbsp;kr.</b> senest d. 1/12 &ndash; se <a href="x">her</a>.</p>' +
    '<ul><li>Én</li><li>To &amp; tre</li></ul><script>document.write("<p>nej</p>")</script>' +
    '<p>&#230;&#xF8;&aring; &AElig;&Oslash;&Aring; &unknown;</p></body></html>';
  assert.equal(
    htmlToText(html),
    'Kære Søren\n\nDu skal betale 1.234,50 kr. senest d. 1/12 – se her.\n\n• Én\n• To & tre\n\næøå ÆØÅ &unknown;',
  );
});

test('the address block is name, street lines and postcode with city, at most six lines', () => {
  const recipient = {
    name: 'Anna Hansen',
    addressLines: ['Nørregade 1', '2. th.'],
    postcode: '8000',
    city: 'Aarhus C',
  };
  assert.deepEqual(addressBlock(recipient), ['Anna Hansen', 'Nørregade 1', '2. th.', '8000 Aarhus C']);
  const many = { ...recipient, addressLines: ['a', 'b', 'c', 'd', 'e'] };
  assert.deepEqual(addressBlock(many), ['Anna Hansen', 'a, b, c, d, e', '8000 Aarhus C']);
  assert.deepEqual(addressBlock({ ...recipient, addressLines: ['  Vej 2 ', ''] }), [
    'Anna Hansen',
    'Vej 2',
    '8000 Aarhus C',
  ]);
});

/**
 * A GIF with a 4-colour table; its LZW data starts over (clear code) every two pixels, so the code size stays 3 bits
 * and the encoder stays trivial. Index 3 is transparent.
 */
function tinyGif(width: number, height: number, indices: number[], interlaced = false): Buffer {
  const codes: number[] = [];
  for (let i = 0; i < indices.length; i += 2) codes.push(4, ...indices.slice(i, i + 2));
  codes.push(5);
  const bytes: number[] = [];
  let bits = 0;
  let count = 0;
  for (const code of codes) {
    bits |= code << count;
    count += 3;
    while (count >= 8) {
      bytes.push(bits & 0xff);
      bits >>= 8;
      count -= 8;
    }
  }
  if (count > 0) bytes.push(bits & 0xff);
  const u16 = (n: number) => [n & 0xff, n >> 8];
  return Buffer.from([
    ...Buffer.from('GIF89a', 'latin1'),
    ...u16(width),
    ...u16(height),
    0x81, // global colour table of 4 entries
    0,
    0,
    ...[255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9],
    ...[0x21, 0xf9, 4, 1, 0, 0, 3, 0], // graphic control: index 3 transparent
    0x2c,
    ...u16(0),
    ...u16(0),
    ...u16(width),
    ...u16(height),
    interlaced ? 0x40 : 0,
    2, // LZW minimum code size
    bytes.length,
    ...bytes,
    0,
    0x3b,
  ]);
}

function pngPixels(png: Buffer): { width: number; height: number; pixels: string[] } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let p = 8; p < png.length; ) {
    const length = png.readUInt32BE(p);
    if (png.subarray(p + 4, p + 8).toString('latin1') === 'IDAT') idat.push(png.subarray(p + 8, p + 8 + length));
    p += length + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels: string[] = [];
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width * 3 + 1)], 0, 'filter none');
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3;
      pixels.push(`${raw[o]},${raw[o + 1]},${raw[o + 2]}`);
    }
  }
  return { width, height, pixels };
}

const colour = ['255,0,0', '0,255,0', '0,0,255', '255,255,255'];

test('a GIF becomes a PNG with the same pixels, transparent ones white', () => {
  const indices = [0, 1, 2, 3, 2, 1];
  const { width, height, pixels } = pngPixels(gifToPng(tinyGif(3, 2, indices)));
  assert.equal(width, 3);
  assert.equal(height, 2);
  assert.deepEqual(
    pixels,
    indices.map((i) => colour[i]),
  );
});

test('an interlaced GIF’s rows are put back in order', () => {
  // Stored in interlace order: rows 0, 4 (pass 1–2), 2 (pass 3), 1, 3 (pass 4); one pixel per row.
  const stored = [0, 1, 2, 0, 1];
  const { pixels } = pngPixels(gifToPng(tinyGif(1, 5, stored, true)));
  assert.deepEqual(
    pixels,
    [0, 0, 2, 1, 1].map((i) => colour[i]),
  );
});

test('something that is not a GIF is refused', () => {
  assert.throws(() => gifToPng(Buffer.from('GIF89a')));
  assert.throws(() => gifToPng(Buffer.from('PNG not a gif at all')));
});
