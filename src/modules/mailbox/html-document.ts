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

/** The plain text of an HTML document, for search. */
export function htmlToText(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}
