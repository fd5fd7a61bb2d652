import { formatBytes, formatDateTime, isoDate, type Lang, translator } from '../../web/i18n.ts';
import { Icon } from '../../web/icon.tsx';
import type { InboxPage } from './list-inbox.ts';
import type { OpenedMessage } from './open-message.ts';

export const documentUrl = (messageId: string, position: number) => `/post/${messageId}/dokumenter/${position}`;

/** The inbox: newest first, unread letters marked in text (not by colour or weight alone). */
export function InboxView({ lang, page }: { lang: Lang; page: InboxPage }) {
  const tr = translator(lang);
  const unread = page.items.filter((item) => !item.firstReadAt).length;
  return (
    <div class="kuvert-inbox">
      <h1 safe>{tr('mailbox.heading')}</h1>
      {page.items.length === 0 ? (
        <p safe>{page.isContinuation ? tr('mailbox.emptyMore') : tr('mailbox.empty')}</p>
      ) : (
        <>
          {unread > 0 ? <p safe>{tr('mailbox.unreadCount', { count: unread })}</p> : ''}
          <table class="table table--responsive-headers">
            <thead>
              <tr>
                <th scope="col" safe>
                  {tr('mailbox.col.status')}
                </th>
                <th scope="col" safe>
                  {tr('mailbox.col.sender')}
                </th>
                <th scope="col" safe>
                  {tr('mailbox.col.label')}
                </th>
                <th scope="col" safe>
                  {tr('mailbox.col.date')}
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((item) => (
                <tr class={item.firstReadAt ? 'kuvert-read' : 'kuvert-unread'}>
                  <td data-title={tr('mailbox.col.status')}>
                    {item.firstReadAt ? (
                      <span class="kuvert-read-text" safe>
                        {tr('mailbox.read')}
                      </span>
                    ) : (
                      <span class="badge badge-info kuvert-unread-badge" safe>
                        {tr('mailbox.unread')}
                      </span>
                    )}
                  </td>
                  <td data-title={tr('mailbox.col.sender')} safe>
                    {item.senderName}
                  </td>
                  <td data-title={tr('mailbox.col.label')}>
                    <a href={`/post/${item.id}`} safe>
                      {item.label}
                    </a>
                  </td>
                  <td data-title={tr('mailbox.col.date')}>
                    <time datetime={isoDate(item.availableAt)} safe>
                      {formatDateTime(lang, item.availableAt)}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {page.nextBefore || page.isContinuation ? (
        <nav class="kuvert-pagination" aria-label={tr('mailbox.pagination')}>
          {page.isContinuation ? (
            <a href="/post" safe>
              {tr('mailbox.first')}
            </a>
          ) : (
            ''
          )}
          {page.nextBefore ? (
            <a href={`/post?before=${page.nextBefore}`} rel="next" safe>
              {tr('mailbox.next')}
            </a>
          ) : (
            ''
          )}
        </nav>
      ) : (
        ''
      )}
    </div>
  );
}

/** One letter: who sent it, when, and its documents (PDFs embedded with a download link, text shown as text). */
export function MessageView({ lang, message }: { lang: Lang; message: OpenedMessage }) {
  const tr = translator(lang);
  return (
    <article class="kuvert-message">
      <p>
        <a class="back-link" href="/post">
          <Icon name="chevron-left" />
          <span safe>{tr('message.back')}</span>
        </a>
      </p>
      <h1 safe>{message.label}</h1>
      <dl class="kuvert-meta">
        <dt safe>{tr('message.from')}</dt>
        <dd safe>{message.senderName}</dd>
        <dt safe>{tr('message.received')}</dt>
        <dd>
          <time datetime={isoDate(message.availableAt)} safe>
            {formatDateTime(lang, message.availableAt)}
          </time>
        </dd>
      </dl>
      <h2 safe>{tr('message.documents')}</h2>
      {message.documents.map((doc) => {
        const url = documentUrl(message.id, doc.position);
        return (
          <section class="kuvert-document">
            <h3 safe>{doc.title}</h3>
            {doc.mediaType === 'application/pdf' ? (
              <iframe class="kuvert-pdf" src={url} title={tr('message.documentTitle', { title: doc.title })} />
            ) : doc.text !== null ? (
              <pre class="kuvert-text-document" safe>
                {doc.text}
              </pre>
            ) : (
              ''
            )}
            <p class="mt-3">
              <a class="button button-secondary" href={`${url}?download=1`} download={doc.filename}>
                <Icon name="download" />
                <span safe>{tr('message.download', { filename: doc.filename })}</span>
              </a>{' '}
              <span class="form-hint" safe>
                {`(${formatBytes(lang, doc.sizeBytes)})`}
              </span>
            </p>
          </section>
        );
      })}
    </article>
  );
}
