import { Alert, BackLink, DataTable, PageHeader, Pager } from '../../web/components/index.ts';
import { formatBytes, formatDateTime, isoDate, type Lang, type MessageKey, translator } from '../../web/i18n.ts';
import type { TestLetterPage, TestLetterSummary } from '../messages/index.ts';
import { PortalNav } from './portal-nav.tsx';
import type { OpenedTestLetter, ShownDocument } from './test-mailbox.ts';

const ROUTES = new Set([
  'mailbox',
  'print',
  'nemsms',
  'recipient_not_digital',
  'recipient_closed',
  'recipient_unknown',
  'routing_failed',
]);

/** Where a test letter would have gone, in words; an outcome this page does not know yet is shown as it is. */
export function routeText(lang: Lang, route: string | null): string {
  const tr = translator(lang);
  if (route === null) return tr('portal.test.route.pending');
  return ROUTES.has(route) ? tr(`portal.test.route.${route}` as MessageKey) : route;
}

const isFailure = (route: string | null) => route !== null && !['mailbox', 'print', 'nemsms'].includes(route);

function When({ lang, value }: { lang: Lang; value: Date | null }) {
  if (!value) return '–';
  return (
    <time datetime={isoDate(value)} safe>
      {formatDateTime(lang, value)}
    </time>
  );
}

const documentUrl = (id: string, position: number) => `/afsender/testpostkasse/${id}/dokumenter/${position}`;

/** The sender's test mailbox: its test letters, newest first, with masked recipient and routing outcome. */
export function TestMailboxView({
  lang,
  page,
  isContinuation,
}: {
  lang: Lang;
  page: TestLetterPage;
  isContinuation: boolean;
}) {
  const tr = translator(lang);
  const columns = [
    tr('portal.test.col.subject'),
    tr('portal.test.col.recipient'),
    tr('portal.test.col.route'),
    tr('portal.test.col.received'),
  ];
  return (
    <>
      <PageHeader title={tr('portal.test.title')} lead={tr('portal.test.intro')} />
      <PortalNav lang={lang} current="testMailbox" />
      {page.letters.length === 0 ? (
        <p safe>{tr('portal.test.empty')}</p>
      ) : (
        <DataTable columns={columns} class="kuvert-test-letters">
          {page.letters.map((letter: TestLetterSummary) => (
            <tr>
              <td data-title={columns[0]}>
                <a href={`/afsender/testpostkasse/${letter.id}`} safe>
                  {letter.label}
                </a>
              </td>
              <td data-title={columns[1]}>
                <span class="kuvert-masked-recipient" safe>
                  {letter.recipient}
                </span>
              </td>
              <td data-title={columns[2]} class={isFailure(letter.route) ? 'kuvert-test-failed' : undefined} safe>
                {routeText(lang, letter.route)}
              </td>
              <td data-title={columns[3]}>
                <When lang={lang} value={letter.receivedAt} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager
        label={tr('portal.letters.pagination')}
        first={isContinuation ? { href: '/afsender/testpostkasse', text: tr('portal.test.first') } : null}
        next={
          page.nextBefore
            ? { href: `/afsender/testpostkasse?before=${page.nextBefore}`, text: tr('portal.test.next') }
            : null
        }
      />
    </>
  );
}

function ShownDocumentView({ lang, letterId, doc }: { lang: Lang; letterId: string; doc: ShownDocument }) {
  const tr = translator(lang);
  const url = documentUrl(letterId, doc.position);
  return (
    <section class="kuvert-document">
      <h3 safe>{doc.title}</h3>
      {doc.html !== null ? (
        // Sanitised by the mailbox's letterHtmlFragment, as the recipient would see it.
        <div class="kuvert-html-letter">{doc.html as 'safe'}</div>
      ) : doc.text !== null ? (
        <pre class="kuvert-text-document" safe>
          {doc.text}
        </pre>
      ) : doc.mediaType === 'application/pdf' ? (
        <iframe class="kuvert-pdf" src={url} title={doc.title} />
      ) : doc.mediaType.startsWith('image/') ? (
        <img src={url} alt={doc.title} class="kuvert-test-image" />
      ) : (
        ''
      )}
      <p class="kuvert-document-download">
        <a class="button button-secondary" href={`${url}?download=1`} download={doc.filename}>
          <span safe>{tr('portal.test.download', { filename: doc.filename })}</span>
        </a>{' '}
        <span class="form-hint" safe>
          {`(${formatBytes(lang, doc.sizeBytes)})`}
        </span>
      </p>
    </section>
  );
}

/** One test letter: where it would have gone, and its content as the recipient would read it. */
export function TestLetterView({ lang, letter }: { lang: Lang; letter: OpenedTestLetter }) {
  const tr = translator(lang);
  return (
    <>
      <BackLink href="/afsender/testpostkasse" text={tr('portal.test.back')} />
      <PageHeader title={letter.label} />
      <PortalNav lang={lang} current="testMailbox" />
      <Alert kind="warning">
        <p class="alert-text" safe>
          {tr('portal.test.notDelivered')}
        </p>
      </Alert>
      <dl class="kuvert-meta">
        <dt safe>{tr('portal.test.col.recipient')}</dt>
        <dd class="kuvert-masked-recipient" safe>
          {letter.recipient}
        </dd>
        <dt safe>{tr('portal.test.col.route')}</dt>
        <dd class="kuvert-test-route" safe>
          {routeText(lang, letter.route)}
        </dd>
        <dt safe>{tr('portal.test.reference')}</dt>
        <dd safe>{letter.senderReference ?? '–'}</dd>
        <dt safe>{tr('portal.test.col.received')}</dt>
        <dd>
          <When lang={lang} value={letter.receivedAt} />
        </dd>
        <dt safe>{tr('portal.test.routedAt')}</dt>
        <dd>
          <When lang={lang} value={letter.routedAt} />
        </dd>
        {letter.notification ? (
          <>
            <dt safe>{tr('portal.test.notification')}</dt>
            <dd safe>{letter.notification}</dd>
          </>
        ) : (
          ''
        )}
      </dl>
      <h2 safe>{tr('portal.test.asRecipient')}</h2>
      <article class="kuvert-test-letter">
        {letter.documents.map((doc) => (
          <ShownDocumentView lang={lang} letterId={letter.id} doc={doc} />
        ))}
      </article>
    </>
  );
}
