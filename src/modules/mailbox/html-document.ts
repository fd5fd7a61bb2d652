import sanitizeHtml from 'sanitize-html';

/**
 * Sender HTML as shown in the mailbox: sanitised with sanitize-html to an allowlist of structural and text elements
 * (no script, style, forms, frames, event handlers or inline styles; links https or mailto only; images only as data:
 * URLs, so nothing loads from outside and nothing tracks the reader), then served sandboxed (see the document route).
 */
export function sanitiseLetterHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'h1', 'h2', 'del', 'ins', 'center', 'font'],
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'width', 'height'],
      td: ['colspan', 'rowspan', 'align'],
      th: ['colspan', 'rowspan', 'align', 'scope'],
      ol: ['start', 'type'],
      '*': ['lang', 'dir'],
    },
    allowedSchemes: ['https', 'mailto'],
    allowedSchemesByTag: { img: ['data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
  });
}

/** The whole page served for an HTML document: the sanitised body in a minimal document. */
export function sanitisedHtmlPage(html: string, title: string, lang: string): string {
  const escapedTitle = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return (
    `<!doctype html><html lang="${lang === 'en' ? 'en' : 'da'}"><head><meta charset="utf-8">` +
    `<title>${escapedTitle}</title></head><body>${sanitiseLetterHtml(html)}</body></html>`
  );
}

/** What a downloaded HTML file may do when opened from disk: nothing runs, nothing loads from outside, no forms. */
export const DOWNLOAD_HTML_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'";

/**
 * An HTML document as it is downloaded (never the file as sent): the sanitised page of sanitisedHtmlPage with a
 * Content-Security-Policy meta tag, so that a copy opened from disk — where no response header protects it — runs no
 * script and loads no tracker even if the sanitiser missed something.
 */
export function downloadableHtml(html: string, title: string, lang: string): string {
  return sanitisedHtmlPage(html, title, lang).replace(
    '<meta charset="utf-8">',
    `<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${DOWNLOAD_HTML_CSP}">`,
  );
}

/** The plain text of an HTML document, for search. */
export function htmlToText(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}
