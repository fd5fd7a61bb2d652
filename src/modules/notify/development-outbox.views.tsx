import { Alert, DataTable, PageHeader } from '../../web/components/index.ts';
import { formatDateTime, isoDate, type Lang, translator } from '../../web/i18n.ts';
import type { OutboxMessage } from './outbox.repository.ts';

export const OUTBOX_PAGE_SIZE = 50;

/** The development outbox: the latest messages, newest first, under a warning that this is not for production. */
export function DevelopmentOutboxView({ lang, messages }: { lang: Lang; messages: OutboxMessage[] }) {
  const tr = translator(lang);
  return (
    <div class="kuvert-outbox">
      <PageHeader title={tr('outbox.heading')} />
      <Alert kind="warning" role="note">
        <p class="alert-heading" safe>
          {tr('outbox.warning.heading')}
        </p>
        <p class="alert-text" safe>
          {tr('outbox.warning.text')}
        </p>
      </Alert>
      <p safe>{tr('outbox.intro')}</p>
      {messages.length === 0 ? (
        <p safe>{tr('outbox.empty')}</p>
      ) : (
        <DataTable
          columns={[
            tr('outbox.col.time'),
            tr('outbox.col.channel'),
            tr('outbox.col.to'),
            tr('outbox.col.message'),
            tr('outbox.col.purpose'),
          ]}
        >
          {messages.map((message) => (
            <tr>
              <td data-title={tr('outbox.col.time')}>
                <time datetime={isoDate(message.createdAt)} safe>
                  {formatDateTime(lang, message.createdAt)}
                </time>
              </td>
              <td data-title={tr('outbox.col.channel')} safe>
                {message.channel === 'email' ? tr('outbox.channel.email') : tr('outbox.channel.sms')}
              </td>
              <td data-title={tr('outbox.col.to')} safe>
                {message.to}
              </td>
              <td data-title={tr('outbox.col.message')}>
                {message.subject ? (
                  <p class="mt-0 mb-0">
                    <strong safe>{message.subject}</strong>
                  </p>
                ) : (
                  ''
                )}
                <pre class="kuvert-text-document" safe>
                  {message.body}
                </pre>
              </td>
              <td data-title={tr('outbox.col.purpose')}>
                <code safe>{message.purpose}</code>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}
