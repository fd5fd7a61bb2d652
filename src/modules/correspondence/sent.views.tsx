import { Alert, BackLink, DataTable, PageHeader, Pager } from '../../web/components/index.ts';
import { formatBytes, formatDateTime, isoDate, type Lang, translator } from '../../web/i18n.ts';
import type { InboundListItem, InboundRecord } from './inbound.repository.ts';
import { sentUrl } from './recipient.views.tsx';
import type { SentPage } from './sent-items.ts';

/** Who wrote it: the mailbox's owner by name, a delegate by name and that they hold access. */
export function writerText(lang: Lang, item: { writerName: string; writerIsOwner: boolean }): string {
  const tr = translator(lang);
  return item.writerIsOwner ? item.writerName : tr('corr.writer.delegate', { name: item.writerName });
}

function StatusText({ lang, acknowledgedAt }: { lang: Lang; acknowledgedAt: Date | null }) {
  const tr = translator(lang);
  return acknowledgedAt ? (
    <span class="badge badge-success" safe>
      {tr('corr.status.acknowledged')}
    </span>
  ) : (
    <span safe>{tr('corr.status.sent')}</span>
  );
}

const toWhom = (item: InboundListItem) =>
  item.contactPointName ? `${item.senderName} – ${item.contactPointName}` : item.senderName;

/** /post/sendt: what this mailbox has written, newest first. */
export function SentListView({ lang, page }: { lang: Lang; page: SentPage }) {
  const tr = translator(lang);
  return (
    <div class="kuvert-corr">
      <PageHeader title={tr('corr.sent.heading')} />
      {page.items.length === 0 ? (
        <p safe>{page.isContinuation ? tr('corr.sent.emptyMore') : tr('corr.sent.empty')}</p>
      ) : (
        <DataTable
          columns={[
            tr('corr.col.subject'),
            tr('corr.col.to'),
            tr('corr.col.writer'),
            tr('corr.col.date'),
            tr('corr.col.status'),
          ]}
        >
          {page.items.map((item) => (
            <tr>
              <td data-title={tr('corr.col.subject')}>
                <a href={sentUrl(item.id)} safe>
                  {item.subject}
                </a>
              </td>
              <td data-title={tr('corr.col.to')} safe>
                {toWhom(item)}
              </td>
              <td data-title={tr('corr.col.writer')} safe>
                {writerText(lang, item)}
              </td>
              <td data-title={tr('corr.col.date')}>
                <time datetime={isoDate(item.createdAt)} safe>
                  {formatDateTime(lang, item.createdAt)}
                </time>
              </td>
              <td data-title={tr('corr.col.status')}>
                <StatusText lang={lang} acknowledgedAt={item.acknowledgedAt} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager
        label={tr('corr.pagination')}
        first={page.isContinuation ? { href: '/post/sendt', text: tr('corr.first') } : null}
        next={page.nextBefore ? { href: `/post/sendt?before=${page.nextBefore}`, text: tr('corr.next') } : null}
      />
    </div>
  );
}

/** /post/sendt/:id: one sent item, with its text, attachments, who wrote it and whether the authority has it. */
export function SentItemView({ lang, record, justSent }: { lang: Lang; record: InboundRecord; justSent: boolean }) {
  const tr = translator(lang);
  const writerIsOwner = record.writer.access === 'owner';
  return (
    <article class="kuvert-corr">
      <BackLink href="/post/sendt" text={tr('corr.sent.back')} />
      {justSent ? (
        <Alert kind="success" role="status">
          <p class="alert-text" safe>
            {tr('corr.sent.done')}
          </p>
        </Alert>
      ) : (
        ''
      )}
      <PageHeader title={record.subject} />
      <dl class="kuvert-meta">
        <dt safe>{tr('corr.to')}</dt>
        <dd safe>{record.contactPoint ? `${record.senderName} – ${record.contactPoint.name}` : record.senderName}</dd>
        {record.inReplyTo ? (
          <>
            <dt safe>{tr('corr.reply.letter')}</dt>
            <dd>
              <a href={`/post/${record.inReplyTo.messageId}`} safe>
                {record.inReplyTo.label}
              </a>
            </dd>
          </>
        ) : (
          ''
        )}
        <dt safe>{tr('corr.col.writer')}</dt>
        <dd safe>{writerText(lang, { writerName: record.writer.name, writerIsOwner })}</dd>
        <dt safe>{tr('corr.col.date')}</dt>
        <dd>
          <time datetime={isoDate(record.createdAt)} safe>
            {formatDateTime(lang, record.createdAt)}
          </time>
        </dd>
        <dt safe>{tr('corr.col.status')}</dt>
        <dd>
          {record.acknowledgedAt ? (
            <span safe>{tr('corr.status.acknowledgedAt', { date: formatDateTime(lang, record.acknowledgedAt) })}</span>
          ) : (
            <span safe>{tr('corr.status.notYet')}</span>
          )}
        </dd>
      </dl>
      <h2 class="h3" safe>
        {tr('corr.form.body')}
      </h2>
      <pre class="kuvert-text-document kuvert-corr-text" safe>
        {record.body}
      </pre>
      {record.attachments.length ? (
        <>
          <h2 class="h3" safe>
            {tr('corr.form.attachments')}
          </h2>
          <ul class="kuvert-corr-files">
            {record.attachments.map((a) => (
              <li>
                <a href={`${sentUrl(record.id)}/bilag/${a.position}`} download={a.filename} safe>
                  {a.filename}
                </a>{' '}
                <span class="form-hint" safe>
                  {`(${formatBytes(lang, a.sizeBytes)})`}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        ''
      )}
    </article>
  );
}
