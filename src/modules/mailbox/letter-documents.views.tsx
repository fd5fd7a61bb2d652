import { formatBytes, type Lang, translator } from '../../web/i18n.ts';
import { Icon } from '../../web/icon.tsx';
import { documentUrl } from './mailbox-layout.views.tsx';
import type { OpenedMessage } from './open-message.ts';

type LetterDocument = OpenedMessage['documents'][number];

/** The address of one page image of a PDF document (letter.routes.tsx). */
export const pageImageUrl = (messageId: string, position: number, page: number) =>
  `${documentUrl(messageId, position)}/sider/${page}`;

function DownloadLink({ lang, url, doc }: { lang: Lang; url: string; doc: LetterDocument }) {
  const tr = translator(lang);
  return (
    <p class="kuvert-document-download">
      <a class="button button-secondary" href={`${url}?download=1`} download={doc.filename}>
        <Icon name="download" />
        <span safe>{tr('message.download', { filename: doc.filename })}</span>
      </a>{' '}
      <span class="form-hint" safe>
        {`(${formatBytes(lang, doc.sizeBytes)})`}
      </span>
    </p>
  );
}

/**
 * A PDF: on wide screens the browser's own viewer in a frame; on phones (whose browsers show an embedded PDF as an
 * empty box) its pages as images drawn on the server, loaded as they scroll into view. The download comes first, so
 * it is beside the pages rather than below them. Printing leaves it out and says so (letter.css).
 */
function PdfDocument({ lang, messageId, doc }: { lang: Lang; messageId: string; doc: LetterDocument }) {
  const tr = translator(lang);
  const url = documentUrl(messageId, doc.position);
  const pages = doc.pageImages ?? 0;
  return (
    <>
      <DownloadLink lang={lang} url={url} doc={doc} />
      {pages > 0 ? (
        <ol class="kuvert-pdf-pages unstyled-list">
          {Array.from({ length: pages }, (_, i) => (
            <li>
              <img
                src={pageImageUrl(messageId, doc.position, i + 1)}
                alt={tr('mailbox.letter.pageImage', { page: i + 1, pages, title: doc.title })}
                width="1000"
                height="1414"
                loading={i === 0 ? 'eager' : 'lazy'}
                decoding="async"
              />
            </li>
          ))}
        </ol>
      ) : (
        <p class="kuvert-pdf-pages-none" safe>
          {tr('mailbox.letter.pagesUnavailable')}
        </p>
      )}
      {doc.pageImages !== null && doc.pageImagesTotal > pages ? (
        <p class="kuvert-pdf-pages-more form-hint" safe>
          {tr('mailbox.letter.pagesMore', { shown: pages })}
        </p>
      ) : (
        ''
      )}
      <iframe class="kuvert-pdf" src={url} title={tr('message.documentTitle', { title: doc.title })} />
      <p class="kuvert-print-only" safe>
        {tr('mailbox.letter.printPdf', { filename: doc.filename })}
      </p>
    </>
  );
}

/** A letter's documents: PDFs (PdfDocument), HTML and plain text as part of the page, others by download. */
export function LetterDocuments({ lang, message }: { lang: Lang; message: OpenedMessage }) {
  const tr = translator(lang);
  return (
    <>
      <h2 safe>{tr('message.documents')}</h2>
      {message.documents.map((doc) => {
        const url = documentUrl(message.id, doc.position);
        const kind =
          doc.mediaType === 'application/pdf'
            ? 'pdf'
            : doc.html !== null
              ? 'html'
              : doc.mediaType === 'text/html'
                ? 'html-frame'
                : doc.text !== null
                  ? 'text'
                  : 'other';
        return (
          <section class={`kuvert-document kuvert-document-${kind}`}>
            <h3 safe>{doc.title}</h3>
            {kind === 'pdf' ? (
              <PdfDocument lang={lang} messageId={message.id} doc={doc} />
            ) : (
              <>
                {kind === 'html' ? (
                  // Sanitised by letterHtmlFragment (allowlist; no script, style, form, id or class survives).
                  <div class="kuvert-html-letter">{doc.html as 'safe'}</div>
                ) : kind === 'html-frame' ? (
                  <iframe
                    class="kuvert-html"
                    sandbox=""
                    src={url}
                    title={tr('mailbox.letter.htmlTitle', { title: doc.title })}
                  />
                ) : kind === 'text' ? (
                  <pre class="kuvert-text-document" safe>
                    {doc.text}
                  </pre>
                ) : (
                  ''
                )}
                <DownloadLink lang={lang} url={url} doc={doc} />
              </>
            )}
          </section>
        );
      })}
    </>
  );
}
