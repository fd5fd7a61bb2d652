import { errorText } from '../../http/errors.ts';
import { Alert, BackLink, DataTable, PageHeader, Pager } from '../../web/components/index.ts';
import { formatBytes, formatDateTime, isoDate, type Lang, translator } from '../../web/i18n.ts';
import type { BatchErrorPage, BatchStatus } from '../messages/index.ts';
import { PortalNav } from './portal-nav.tsx';

/** The bulk upload form: one NDJSON file, sent to the batches module as a stream. */
export function BatchUploadView(props: { lang: Lang; csrf: JSX.Element; maxBytes: number; error?: string }) {
  const { lang, error } = props;
  const tr = translator(lang);
  return (
    <>
      <PageHeader title={tr('portal.batches.title')} />
      <PortalNav lang={lang} current="batches" />
      {error ? (
        <Alert kind="error" role="alert" labelledBy="batch-error-heading">
          <p class="alert-heading" id="batch-error-heading" safe>
            {tr('portal.errorSummary')}
          </p>
          <p class="alert-text">
            <a href="#batch-file" safe>
              {error}
            </a>
          </p>
        </Alert>
      ) : (
        ''
      )}
      <p class="font-lead" safe>
        {tr('portal.batches.intro')}
      </p>
      <form method="post" action="/afsender/masseforsendelser" enctype="multipart/form-data" novalidate>
        {props.csrf}
        <div class={`form-group${error ? ' form-error' : ''}`}>
          <label class="form-label" for="batch-file" safe>
            {tr('portal.batches.file')}
          </label>
          <span class="form-hint" id="batch-file-hint" safe>
            {tr('portal.batches.file.hint', { size: formatBytes(lang, props.maxBytes) })}
          </span>
          {error ? (
            <span class="form-error-message" id="batch-file-error">
              <span class="sr-only" safe>
                {tr('portal.errorPrefix')}
              </span>{' '}
              <span safe>{error}</span>
            </span>
          ) : (
            ''
          )}
          <input
            class="form-file-input"
            id="batch-file"
            name="file"
            type="file"
            accept=".ndjson,.jsonl,.tar,.tgz,.gz,application/x-ndjson,application/x-tar,application/gzip"
            aria-describedby={error ? 'batch-file-hint batch-file-error' : 'batch-file-hint'}
          />
        </div>
        <button type="submit" class="button button-primary" safe>
          {tr('portal.batches.submit')}
        </button>
      </form>
    </>
  );
}

/**
 * A batch's progress. While it runs, the page reloads itself every 2 s with a meta refresh (no JavaScript), and a
 * `<progress>` element shows how far it is; refused items are listed below, a page at a time.
 */
export function BatchView(props: { lang: Lang; batch: BatchStatus; errors: BatchErrorPage; after: number | null }) {
  const { lang, batch, errors } = props;
  const tr = translator(lang);
  const running = batch.state === 'received' || batch.state === 'processing';
  const c = batch.counts;
  return (
    <>
      {running ? <meta http-equiv="refresh" content="2" /> : ''}
      <BackLink href="/afsender/masseforsendelser" text={tr('portal.batch.back')} />
      <PageHeader title={tr('portal.batch.title')} />
      <PortalNav lang={lang} current="batches" />
      <h2 class="h3" id="batch-progress-label" safe>
        {tr('portal.batch.progress')}
      </h2>
      <progress
        class="kuvert-batch-progress"
        max="100"
        value={String(batch.progress)}
        aria-labelledby="batch-progress-label"
      >
        {`${batch.progress} %`}
      </progress>
      <p role="status" safe>
        {tr('portal.batch.progressValue', { processed: c.processed, total: c.total, percent: batch.progress })}
      </p>
      {running ? (
        <p class="form-hint" safe>
          {tr('portal.batch.refreshing')}
        </p>
      ) : (
        ''
      )}
      <dl class="kuvert-meta">
        <dt safe>{tr('portal.batch.state')}</dt>
        <dd class="kuvert-batch-state" safe>
          {tr(`portal.batch.state.${batch.state}`)}
        </dd>
        <dt safe>{tr('portal.batch.created')}</dt>
        <dd>
          <time datetime={isoDate(batch.createdAt)} safe>
            {formatDateTime(lang, batch.createdAt)}
          </time>
        </dd>
        <dt safe>{tr('portal.batch.accepted')}</dt>
        <dd safe>{String(c.accepted)}</dd>
        <dt safe>{tr('portal.batch.duplicates')}</dt>
        <dd safe>{String(c.duplicates)}</dd>
        <dt safe>{tr('portal.batch.failed')}</dt>
        <dd safe>{String(c.failed)}</dd>
      </dl>
      {batch.failure ? (
        <p class="kuvert-batch-failure" safe>
          {tr(`portal.batch.failure.${batch.failure}`)}
        </p>
      ) : batch.state === 'cancelled' ? (
        <p safe>{errorText('batch_cancelled', lang)}</p>
      ) : (
        ''
      )}
      <h2 safe>{tr('portal.batch.errors')}</h2>
      {errors.errors.length === 0 ? (
        <p safe>{tr('portal.batch.noErrors')}</p>
      ) : (
        <DataTable
          columns={[tr('portal.batch.col.line'), tr('portal.batch.col.uuid'), tr('portal.batch.col.error')]}
          class="kuvert-batch-errors"
        >
          {errors.errors.map((error) => (
            <tr>
              <td data-title={tr('portal.batch.col.line')} safe>
                {String(error.line)}
              </td>
              <td data-title={tr('portal.batch.col.uuid')}>
                {error.messageUuid ? <code safe>{error.messageUuid}</code> : '–'}
              </td>
              <td data-title={tr('portal.batch.col.error')}>
                <code safe>{error.code}</code> <span safe>{lineErrorText(lang, error)}</span>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager
        label={tr('portal.letters.pagination')}
        next={
          errors.next
            ? {
                href: `/afsender/masseforsendelser/${batch.id}?efter=${errors.next}`,
                text: tr('portal.batch.moreErrors'),
              }
            : null
        }
      />
    </>
  );
}

/** A refused line in the page language: the catalogue text of its code (never the API's English detail), and the field. */
function lineErrorText(lang: Lang, error: { code: string; field: string | null }): string {
  const text = errorText(error.code, lang) ?? translator(lang)('error.generic');
  return error.field ? `${text} (${error.field})` : text;
}
