/** Characters a downloaded file's name never keeps: path separators, quotes, controls, bidi overrides, Windows-reserved. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const UNSAFE = /[/\\:*?"<>|\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * A file name safe to hand to a browser or put in a zip: only its last path segment, without unsafe characters,
 * leading dots, or trailing dots and spaces (which Windows drops, turning `x.pdf.exe.` into `x.pdf.exe`); at most 200
 * characters with the extension kept; `fallback` when nothing is left.
 */
export function safeFilename(name: string, fallback = 'dokument'): string {
  const last = name.split(/[/\\]/).at(-1) ?? '';
  let clean = last
    .replace(UNSAFE, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if ([...clean].length > 200) {
    const dot = clean.lastIndexOf('.');
    const extension = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
    clean = [...clean.slice(0, clean.length - extension.length)].slice(0, 200 - extension.length).join('') + extension;
  }
  return clean || fallback;
}

/**
 * The Content-Disposition header of every download (RFC 6266 with RFC 8187/5987 encoding): the sanitised name
 * (safeFilename) as an ASCII fallback in `filename` and exactly, UTF-8 percent-encoded, in `filename*`.
 */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string, fallback?: string): string {
  const name = safeFilename(filename, fallback);
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/[%;,]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
