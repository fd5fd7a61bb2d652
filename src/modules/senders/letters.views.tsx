import { Alert, BackLink, DataTable, PageHeader, Pager } from '../../web/components/index.ts';
import {
  formatBytes,
  formatDateTime,
  isoDate,
  type Lang,
  type MessageKey,
  type Translate,
  translator,
} from '../../web/i18n.ts';
import type { MessageStatus } from '../messages/index.ts';
import { EscalationSection } from './escalation.views.tsx';
import { FILTER_TEXT_MAX, LETTER_STATES, type LetterPage } from './list-letters.ts';
import { PortalNav } from './portal-nav.tsx';

/** A letter's state in words; a state this page does not know yet is shown as it is. */
export function stateText(tr: Translate, state: string): string {
  return (LETTER_STATES as readonly string[]).includes(state) ? tr(`portal.status.${state}` as MessageKey) : state;
}

const EVENT_TYPES = new Set([
  'RECEIVED',
  'VALIDATED',
  'AVAILABLE_TO_RECIPIENT',
  'PRINT_QUEUED',
  'PHYSICAL_LETTER_SENT',
  'READ',
  'LEGALLY_NOTIFIED',
  'RECALLED',
  'FAILED',
  'RETURNED_TO_SENDER',
  'ACTION_COMPLETED',
  'RECIPIENT_REPLY',
  'UNREAD_AFTER_DEADLINE',
]);
const eventText = (tr: Translate, type: string) =>
  EVENT_TYPES.has(type) ? tr(`portal.event.${type}` as MessageKey) : type;

// Reasons a letter failed on paper or came back; another reason is shown as its code.
const REASONS = new Set([
  'no_postal_address',
  'unprintable_document',
  'document_missing',
  'unknown_addressee',
  'moved',
  'refused',
  'insufficient_address',
  'deceased',
  'other',
]);
const reasonText = (tr: Translate, reason: string) =>
  REASONS.has(reason) ? tr(`portal.reason.${reason}` as MessageKey) : reason;

/** An event in the history, with the reason of a failure or return. */
function eventLine(tr: Translate, event: MessageStatus['events'][number]): string {
  const reason = event.data.reason;
  const withReason = (event.type === 'FAILED' || event.type === 'RETURNED_TO_SENDER') && typeof reason === 'string';
  return withReason ? `${eventText(tr, event.type)}: ${reasonText(tr, reason)}` : eventText(tr, event.type);
}

function DateTime({ lang, value }: { lang: Lang; value: Date | string | null }) {
  if (!value) return '–';
  return (
    <time datetime={isoDate(value)} safe>
      {formatDateTime(lang, value)}
    </time>
  );
}

/** The query string of a filtered list page (only the filters that are set), plus an optional cursor. */
export function letterListUrl(filter: LetterPage['filter'], before?: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  if (before) params.set('before', before);
  const query = params.toString();
  return query ? `/afsender?${query}` : '/afsender';
}

function FilterForm({ lang, page, csrf }: { lang: Lang; page: LetterPage; csrf: JSX.Element }) {
  const tr = translator(lang);
  const errorOf = (field: string) => page.errors.find((e) => e.field === field);
  const group = (field: 'from' | 'to' | 'q' | 'ref', label: MessageKey, type: 'date' | 'text', hint?: MessageKey) => {
    const error = errorOf(field);
    const describedBy = [hint ? `filter-${field}-hint` : '', error ? `filter-${field}-error` : ''].filter(Boolean);
    return (
      <div class={`form-group${error ? ' form-error' : ''}`}>
        <label class="form-label" for={`filter-${field}`} safe>
          {tr(label)}
        </label>
        {hint ? (
          <span class="form-hint" id={`filter-${field}-hint`} safe>
            {tr(hint)}
          </span>
        ) : (
          ''
        )}
        {error ? (
          <span class="form-error-message" id={`filter-${field}-error`}>
            <span class="sr-only" safe>
              {tr('portal.errorPrefix')}
            </span>{' '}
            <span safe>
              {error.code === 'invalid_characters'
                ? tr('form.text.control_characters_line')
                : error.code === 'text_too_long'
                  ? tr('form.text.too_long', { max: FILTER_TEXT_MAX[field as 'q' | 'ref'] })
                  : tr(`portal.filter.error.${error.code}`)}
            </span>
          </span>
        ) : (
          ''
        )}
        <input
          class="form-input"
          id={`filter-${field}`}
          name={field}
          type={type}
          value={page.filter[field]}
          maxlength={field === 'ref' ? '100' : '250'}
          aria-describedby={describedBy.length ? describedBy.join(' ') : undefined}
        />
      </div>
    );
  };
  return (
    <form method="post" action="/afsender" class="kuvert-letter-filter" aria-labelledby="filter-heading">
      {csrf}
      <h2 id="filter-heading" class="h3" safe>
        {tr('portal.filter.heading')}
      </h2>
      <div class="form-group">
        <label class="form-label" for="filter-status" safe>
          {tr('portal.filter.status')}
        </label>
        <select class="form-select" id="filter-status" name="status">
          <option value="" selected={page.filter.status === ''} safe>
            {tr('portal.filter.anyStatus')}
          </option>
          {LETTER_STATES.map((state) => (
            <option value={state} selected={page.filter.status === state} safe>
              {stateText(tr, state)}
            </option>
          ))}
        </select>
      </div>
      {group('from', 'portal.filter.from', 'date', 'portal.filter.dateHint')}
      {group('to', 'portal.filter.to', 'date', 'portal.filter.dateHint')}
      {group('q', 'portal.filter.q', 'text')}
      {group('ref', 'portal.filter.ref', 'text')}
      <p>
        <button type="submit" class="button button-secondary" safe>
          {tr('portal.filter.apply')}
        </button>{' '}
        {page.isFiltered ? (
          <a href="/afsender" class="function-link" safe>
            {tr('portal.filter.clear')}
          </a>
        ) : (
          ''
        )}
      </p>
    </form>
  );
}

/** The sender's letters: filters, a table of letters and states, and keyset pagination. */
export function LettersView({ lang, page, csrf }: { lang: Lang; page: LetterPage; csrf: JSX.Element }) {
  const tr = translator(lang);
  const heading = tr('portal.letters.heading', { sender: page.senderName ?? tr('sender.unknownSender') });
  return (
    <>
      <PageHeader title={heading} />
      <PortalNav lang={lang} current="letters" />
      <p safe>{tr('portal.letters.intro')}</p>
      <FilterForm lang={lang} page={page} csrf={csrf} />
      {page.letters.length === 0 ? (
        <p safe>
          {page.isContinuation
            ? tr('portal.letters.emptyMore')
            : page.isFiltered
              ? tr('portal.letters.noMatch')
              : tr('portal.letters.empty')}
        </p>
      ) : (
        <DataTable
          columns={[
            tr('portal.col.label'),
            tr('portal.col.reference'),
            tr('portal.col.status'),
            tr('portal.col.received'),
            tr('portal.col.read'),
          ]}
          class="kuvert-sender-letters"
        >
          {page.letters.map((letter) => (
            <tr>
              <td data-title={tr('portal.col.label')}>
                <a href={`/afsender/breve/${letter.id}`} safe>
                  {letter.label}
                </a>
              </td>
              <td data-title={tr('portal.col.reference')} safe>
                {letter.senderReference ?? '–'}
              </td>
              <td data-title={tr('portal.col.status')}>
                <span class="kuvert-letter-state" safe>
                  {stateText(tr, letter.state)}
                </span>
              </td>
              <td data-title={tr('portal.col.received')}>
                <DateTime lang={lang} value={letter.receivedAt} />
              </td>
              <td data-title={tr('portal.col.read')}>
                <DateTime lang={lang} value={letter.readAt} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager
        label={tr('portal.letters.pagination')}
        first={page.isContinuation ? { href: letterListUrl(page.filter), text: tr('portal.letters.first') } : null}
        next={
          page.nextBefore
            ? { href: letterListUrl(page.filter, page.nextBefore), text: tr('portal.letters.next') }
            : null
        }
      />
    </>
  );
}

/** One letter as its sender sees it: state, dates, the documents' names and sizes, and the status history. */
export function LetterView({
  lang,
  letter,
  justSent,
  technicalSender,
}: {
  lang: Lang;
  letter: MessageStatus;
  justSent: boolean;
  /** Sent by a vendor's system on the sender's behalf (findTechnicalSender). */
  technicalSender?: { name: string; cvr: string | null; clientName: string } | null;
}) {
  const tr = translator(lang);
  const state = letter.status === 'rejected' ? 'rejected' : letter.readAt ? 'read' : letter.status;
  return (
    <>
      <BackLink href="/afsender" text={tr('portal.letter.back')} />
      {justSent ? (
        <Alert kind="success" role="status">
          <p class="alert-text" safe>
            {tr('portal.letter.sent')}
          </p>
        </Alert>
      ) : (
        ''
      )}
      <PageHeader title={letter.label} />
      <PortalNav lang={lang} current={null} />
      {letter.status === 'returned' ? (
        <Alert kind="warning" role="status">
          <p class="alert-text" safe>
            {tr('portal.letter.returnedAlert', { reason: reasonText(tr, letter.returnedReason ?? 'other') })}
          </p>
        </Alert>
      ) : (
        ''
      )}
      {technicalSender ? (
        <Alert
          kind="info"
          role="note"
          text={tr('machine.letter.onBehalf', {
            name: technicalSender.name,
            cvr: technicalSender.cvr ?? '–',
            client: technicalSender.clientName,
          })}
        />
      ) : (
        ''
      )}
      <p class="form-hint" safe>
        {tr('portal.letter.noContent')}
      </p>
      <dl class="kuvert-meta">
        <dt safe>{tr('portal.letter.status')}</dt>
        <dd class="kuvert-letter-state" safe>
          {stateText(tr, state)}
        </dd>
        <dt safe>{tr('portal.letter.reference')}</dt>
        <dd safe>{letter.senderReference ?? '–'}</dd>
        <dt safe>{tr('portal.letter.messageUuid')}</dt>
        <dd>
          <code safe>{letter.messageUuid}</code>
        </dd>
        <dt safe>{tr('portal.letter.received')}</dt>
        <dd>
          <DateTime lang={lang} value={letter.receivedAt} />
        </dd>
        <dt safe>{tr('portal.letter.available')}</dt>
        <dd>
          <DateTime lang={lang} value={letter.availableAt} />
        </dd>
        <dt safe>{tr('portal.letter.read')}</dt>
        <dd>
          <DateTime lang={lang} value={letter.readAt} />
        </dd>
        {letter.rejectedReason ? (
          <>
            <dt safe>{tr('portal.letter.rejectedReason')}</dt>
            <dd safe>{reasonText(tr, letter.rejectedReason)}</dd>
          </>
        ) : (
          ''
        )}
        {letter.returnedAt ? (
          <>
            <dt safe>{tr('portal.letter.returned')}</dt>
            <dd>
              <DateTime lang={lang} value={letter.returnedAt} />
              {letter.returnedReason ? <span safe>{` (${reasonText(tr, letter.returnedReason)})`}</span> : ''}
            </dd>
          </>
        ) : (
          ''
        )}
      </dl>
      <h2 safe>{tr('portal.letter.documents')}</h2>
      <DataTable
        columns={[tr('portal.letter.col.title'), tr('portal.letter.col.filename'), tr('portal.letter.col.size')]}
      >
        {letter.documents.map((doc) => (
          <tr>
            <td data-title={tr('portal.letter.col.title')} safe>
              {doc.title}
            </td>
            <td data-title={tr('portal.letter.col.filename')} safe>
              {doc.filename}
            </td>
            <td data-title={tr('portal.letter.col.size')} safe>
              {formatBytes(lang, doc.sizeBytes)}
            </td>
          </tr>
        ))}
      </DataTable>
      <EscalationSection lang={lang} escalation={letter.escalation} />
      <h2 safe>{tr('portal.letter.history')}</h2>
      <DataTable columns={[tr('portal.letter.col.time'), tr('portal.letter.col.event')]} class="kuvert-letter-history">
        {letter.events.map((event) => (
          <tr>
            <td data-title={tr('portal.letter.col.time')}>
              <DateTime lang={lang} value={event.occurredAt} />
            </td>
            <td data-title={tr('portal.letter.col.event')} safe>
              {eventLine(tr, event)}
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
