import sanitizeHtml from 'sanitize-html';

/**
 * Sender HTML as shown in the mailbox: sanitised with sanitize-html to an allowlist of structural and text elements
 * (no script, style, forms, frames, event handlers or inline styles; links https or mailto only; images only as data:
 * URLs, so nothing loads from outside and nothing tracks the reader), then served sandboxed (see the document route).
 */
export function sanitiseLetterHtml(html: string): string {
  return sanitizeHtml(html, letterHtmlOptions);
}

const letterHtmlOptions: sanitizeHtml.IOptions = {
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
};

/** Sender headings under the page's own: the document's title is an h3, so the letter's h1 becomes an h4, and so on. */
const headingBelowTitle = (level: number) => `h${Math.min(6, level + 3)}`;

/**
 * Sender HTML as part of the letter page itself (so it takes its height from its content and the page's font, and
 * prints with the page): the same allowlist as sanitiseLetterHtml, which admits no script, style, form, frame, event
 * handler, inline style, class or id, so nothing in it can run, restyle the page, post a form or clobber the page's
 * names; the page's CSP (script-src 'self', img-src 'self' data:) stands behind it. Headings move below the
 * document's title; links and images keep absolute addresses only (https or mailto links, data: images: a relative
 * address would point into the mailbox itself), and links carry rel noopener noreferrer (no referrer leaks the
 * letter's address).
 */
export function letterHtmlFragment(html: string): string {
  return sanitizeHtml(html, {
    ...letterHtmlOptions,
    allowedTags: [...(letterHtmlOptions.allowedTags as string[]), 'h3', 'h4', 'h5', 'h6'],
    transformTags: {
      h1: headingBelowTitle(1),
      h2: headingBelowTitle(2),
      h3: headingBelowTitle(3),
      h4: headingBelowTitle(4),
      h5: headingBelowTitle(5),
      // Only absolute addresses: a relative one would point into the mailbox itself (a same-site link or request).
      a: (_tag, attribs) => {
        const { href, ...rest } = attribs;
        const absolute = href !== undefined && /^(https:\/\/|mailto:)/i.test(href.trim());
        return { tagName: 'a', attribs: { ...rest, ...(absolute ? { href } : {}), rel: 'noopener noreferrer' } };
      },
      img: (_tag, attribs) => {
        const { src, ...rest } = attribs;
        return { tagName: 'img', attribs: { ...rest, ...(src && /^data:image\//i.test(src.trim()) ? { src } : {}) } };
      },
    },
    allowedAttributes: {
      ...(letterHtmlOptions.allowedAttributes as Record<string, string[]>),
      a: ['href', 'title', 'rel'],
    },
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
