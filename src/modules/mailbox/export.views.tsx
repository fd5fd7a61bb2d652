import { ActionForm, Alert, DataTable, MessageAlert, PageHeader } from '../../web/components/index.ts';
import { formatCount } from '../../web/format-number.ts';
import { formatBytes, formatDateTime, isoDate, type Lang, translator } from '../../web/i18n.ts';
import type { MailboxExportRow } from './mailbox-export.repository.ts';
import { MailboxLayout, type MailboxNav } from './mailbox-layout.views.tsx';

/** While an export is queued or running the page reloads itself this often (a meta refresh: no JavaScript). */
export const EXPORT_REFRESH_SECONDS = 5;

const isActive = (row: MailboxExportRow) => row.state === 'queued' || row.state === 'running';

/**
 * The owner's export page (/post/eksport): request an export, follow its progress (the page refreshes itself while
 * one is queued or running), download it while it is ready, and the latest exports with their state.
 */
export function ExportView(props: {
  lang: Lang;
  nav: MailboxNav;
  csrf: JSX.Element;
  exports: MailboxExportRow[];
  notice: boolean;
  error: string | null;
}) {
  const { lang, exports } = props;
  const tr = translator(lang);
  const latest = exports[0] ?? null;
  const active = latest && isActive(latest) ? latest : null;
  const ready = exports.find((row) => row.state === 'ready') ?? null;
  return (
    <MailboxLayout lang={lang} nav={props.nav}>
      <div class="kuvert-export">
        {active ? <meta http-equiv="refresh" content={String(EXPORT_REFRESH_SECONDS)} /> : ''}
        <PageHeader title={tr('export.title')} lead={tr('export.lead')} />
        {props.notice ? <MessageAlert kind="success" text={tr('export.requested')} /> : ''}
        {props.error ? <MessageAlert kind="error" text={props.error} /> : ''}
        <p safe>{tr('export.about')}</p>
        <p class="form-hint" safe>
          {tr('export.ownerOnly')}
        </p>
        {active ? <Progress lang={lang} row={active} /> : ''}
        {ready ? <Ready lang={lang} row={ready} /> : ''}
        {latest?.state === 'failed' ? (
          <Alert kind="error" role="alert" heading={tr('export.failedHeading')} text={tr('export.failedText')} />
        ) : (
          ''
        )}
        {active ? (
          ''
        ) : (
          <ActionForm
            action="/post/eksport"
            csrf={props.csrf}
            class="kuvert-export-request"
            buttonClass="button button-primary"
            text={tr(exports.length === 0 ? 'export.request' : 'export.requestAgain')}
          />
        )}
        {exports.length === 0 ? <p safe>{tr('export.none')}</p> : <History lang={lang} exports={exports} />}
      </div>
    </MailboxLayout>
  );
}

function Progress({ lang, row }: { lang: Lang; row: MailboxExportRow }) {
  const tr = translator(lang);
  const total = row.lettersTotal;
  const started = row.state === 'running' && total !== null;
  // Letters delivered during the build can take it past the count made at its start.
  const percent = started ? (total === 0 ? 100 : Math.min(100, Math.floor((row.lettersDone / total) * 100))) : 0;
  return (
    <section class="kuvert-export-progress" aria-labelledby="export-progress-label">
      <h2 class="h3" id="export-progress-label" safe>
        {tr('export.progressHeading')}
      </h2>
      <progress max="100" value={String(percent)} aria-labelledby="export-progress-label">
        {`${percent} %`}
      </progress>
      <p role="status" safe>
        {started
          ? tr('export.progress', { done: formatCount(lang, row.lettersDone), total: formatCount(lang, total) })
          : tr('export.queued')}
      </p>
      <p class="form-hint">
        <span safe>{tr('export.refreshing')}</span>{' '}
        <a href="/post/eksport" safe>
          {tr('export.refreshNow')}
        </a>
      </p>
    </section>
  );
}

function Ready({ lang, row }: { lang: Lang; row: MailboxExportRow }) {
  const tr = translator(lang);
  return (
    <Alert kind="success" role="status" heading={tr('export.readyHeading')}>
      <p class="alert-text" safe>
        {tr('export.readyText', {
          letters: formatCount(lang, row.lettersDone),
          date: formatDateTime(lang, row.expiresAt as Date),
        })}
      </p>
      <p class="alert-text">
        <a class="button button-secondary kuvert-export-download" href={`/post/eksport/${row.id}/hent`} safe>
          {tr('export.download', { size: formatBytes(lang, row.sizeBytes ?? 0) })}
        </a>
      </p>
    </Alert>
  );
}

function History({ lang, exports }: { lang: Lang; exports: MailboxExportRow[] }) {
  const tr = translator(lang);
  const cols = [tr('export.col.requested'), tr('export.col.state'), tr('export.col.expires')];
  return (
    <>
      <h2 class="h3" safe>
        {tr('export.history')}
      </h2>
      <DataTable columns={cols} class="kuvert-export-history">
        {exports.map((row) => (
          <tr>
            <td data-title={cols[0]}>
              <time datetime={isoDate(row.createdAt)} safe>
                {formatDateTime(lang, row.createdAt)}
              </time>
            </td>
            <td data-title={cols[1]} safe>
              {tr(`export.state.${row.state}`)}
            </td>
            <td data-title={cols[2]}>
              {row.state === 'ready' && row.expiresAt ? (
                <time datetime={isoDate(row.expiresAt)} safe>
                  {formatDateTime(lang, row.expiresAt)}
                </time>
              ) : (
                '–'
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
