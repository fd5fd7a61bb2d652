// Plain-JavaScript child process for pdf-page-images.ts: Mozilla's pdf.js (pdfjs-dist) draws PDF pages on a Skia
// canvas (@napi-rs/canvas) and encodes them as PNG. A process of its own, started with Node's permission model (it may
// read pdf.js's own files and nothing else, write nothing, start nothing, and open no socket), so that a hostile or
// broken PDF can at worst crash or hang this process, which the parent kills and starts again. Everything pdf.js needs
// (standard fonts, character maps, colour profiles, image decoders) is read from the installed package: nothing is
// downloaded. Plain JavaScript so it starts without the app's TypeScript loader.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const pdfjsRoot = path.dirname(require.resolve('pdfjs-dist/package.json'));
const { getDocument, VerbosityLevel } = await import('pdfjs-dist/legacy/build/pdf.mjs');
const { createCanvas } = await import('@napi-rs/canvas');

const dir = (name) => `${path.join(pdfjsRoot, name)}/`;

/** Opens a PDF from its bytes; evaluation of font programs as JavaScript is off (CVE-2024-4367 class). */
function open(bytes) {
  return getDocument({
    data: bytes,
    isEvalSupported: false,
    enableXfa: false,
    useSystemFonts: false,
    standardFontDataUrl: dir('standard_fonts'),
    cMapUrl: dir('cmaps'),
    cMapPacked: true,
    wasmUrl: dir('wasm'),
    iccUrl: dir('iccs'),
    verbosity: VerbosityLevel.ERRORS,
  });
}

async function handle(request) {
  const task = open(new Uint8Array(request.pdf));
  try {
    const pdf = await task.promise;
    if (request.op === 'count') return { pages: pdf.numPages };
    if (request.page < 1 || request.page > pdf.numPages) return { pages: pdf.numPages, error: 'no_such_page' };
    const page = await pdf.getPage(request.page);
    const base = page.getViewport({ scale: 1 });
    // As wide as asked, but never more pixels than allowed (a page of odd proportions gets a smaller scale).
    let scale = request.width / base.width;
    const pixels = base.width * base.height * scale * scale;
    if (pixels > request.maxPixels) scale *= Math.sqrt(request.maxPixels / pixels);
    const viewport = page.getViewport({ scale });
    const canvas = createCanvas(Math.max(1, Math.floor(viewport.width)), Math.max(1, Math.floor(viewport.height)));
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvas, canvasContext: context, viewport, background: '#ffffff' }).promise;
    const png = await canvas.encode('png');
    page.cleanup();
    return { pages: pdf.numPages, png, width: canvas.width, height: canvas.height };
  } finally {
    await task.destroy();
  }
}

process.on('message', (request) => {
  if (request?.stop) process.exit(0);
  handle(request).then(
    (result) => process.send({ id: request.id, ...result }),
    (error) => process.send({ id: request.id, error: 'broken', detail: String(error?.message ?? error).slice(0, 200) }),
  );
});
// The parent gone (it died, or stopped without killing this process): nothing is left to draw for.
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
