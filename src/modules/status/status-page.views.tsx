import { Alert, BackLink, PageHeader } from '../../web/components/index.ts';
import { formatDay } from '../../web/dates.ts';
import { formatNumber } from '../../web/format-number.ts';
import { formatDateTime, isoDate, type Lang, type MessageKey, type Translate, translator } from '../../web/i18n.ts';
import type { PublishedCheckpoint } from '../audit/index.ts';
import { AuditCheckpoint } from './audit-checkpoint.views.tsx';
import type { ComponentId, ComponentState } from './components.ts';
import type { ComponentStatus, DayState, StatusView } from './get-status.ts';
import type { Reason } from './run-status-checks.ts';
import type { IncidentRow, MaintenanceRow } from './status.repository.ts';

const badgeClass: Record<DayState, string> = {
  operational: 'badge-success',
  degraded: 'badge-warning',
  down: 'badge-error',
  none: 'badge-info',
};

function StateBadge({ tr, state }: { tr: Translate; state: DayState }) {
  return (
    <span class={`badge ${badgeClass[state]} kuvert-status-badge`} safe>
      {tr(`status.state.${state}`)}
    </span>
  );
}

const componentNames = (tr: Translate, ids: readonly ComponentId[]) =>
  ids.map((id) => tr(`status.component.${id}`)).join(', ');

/** A reason in words; the technical detail (English, for operators) only when asked for. */
function reasonText(tr: Translate, reason: Reason, withDetail: boolean): string {
  const params: Record<string, string | number> = { ...reason.params };
  if (reason.code === 'queue_lag') params.minutes = Math.floor(Number(reason.params.seconds ?? 0) / 60);
  const text = tr(`status.reason.${reason.code}` as MessageKey, params);
  return withDetail && reason.detail ? `${text} (${reason.detail})` : text;
}

/** An uptime share with up to two decimals ("99,95"); the strings put the per cent sign after it. */
const formatPercent = (lang: Lang, value: number) => formatNumber(lang, value, 2);

/** The 90-day bar: decorative colours, with the same facts as text and a table of the disrupted days. */
function HistoryBar({ lang, component }: { lang: Lang; component: ComponentStatus }) {
  const tr = translator(lang);
  const disrupted = component.history.filter((d) => d.state === 'degraded' || d.state === 'down').reverse();
  const tableId = `history-${component.id}`;
  return (
    <div class="kuvert-status-history">
      <div class="kuvert-status-bar" aria-hidden="true">
        {component.history.map((day) => (
          <span
            class={`kuvert-status-day kuvert-status-day--${day.state}`}
            title={`${formatDay(lang, day.date)}: ${tr(`status.state.${day.state}`)}`}
          />
        ))}
      </div>
      <div class="kuvert-status-bar-labels" aria-hidden="true">
        <span class="kuvert-status-ago90" safe>
          {tr('status.history.ago')}
        </span>
        <span class="kuvert-status-ago30" safe>
          {tr('status.history.ago30')}
        </span>
        <span safe>{tr('status.history.today')}</span>
      </div>
      <p class="kuvert-status-uptime" safe>
        {component.uptimePercent === null
          ? tr('status.history.noData')
          : tr('status.history.uptime', { percent: formatPercent(lang, component.uptimePercent) })}
      </p>
      {disrupted.length === 0 ? (
        component.uptimePercent === null ? (
          ''
        ) : (
          <p class="kuvert-status-uptime" safe>
            {tr('status.history.allGood')}
          </p>
        )
      ) : (
        <details class="kuvert-status-days">
          <summary safe>{tr('status.history.disruptions', { count: disrupted.length })}</summary>
          <table class="table table--compact" id={tableId}>
            <thead>
              <tr>
                <th scope="col" safe>
                  {tr('status.history.col.date')}
                </th>
                <th scope="col" safe>
                  {tr('status.history.col.state')}
                </th>
                <th scope="col" safe>
                  {tr('status.history.col.minutes')}
                </th>
              </tr>
            </thead>
            <tbody>
              {disrupted.map((day) => (
                <tr>
                  <td>
                    <time datetime={day.date} safe>
                      {formatDay(lang, day.date)}
                    </time>
                  </td>
                  <td safe>
                    {day.incident
                      ? `${tr(`status.state.${day.state}`)} (${tr('status.history.incident')})`
                      : tr(`status.state.${day.state}`)}
                  </td>
                  <td safe>{tr('status.history.minutes', { down: day.down, degraded: day.degraded })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}

function IncidentSummary({ lang, incident }: { lang: Lang; incident: IncidentRow }) {
  const tr = translator(lang);
  const latest = incident.updates[0];
  return (
    <article class={`kuvert-status-incident kuvert-status-incident--${incident.severity}`}>
      <h3 class="h4 mt-0">
        <a href={`/drift/haendelser/${incident.id}`} safe>
          {incident.title}
        </a>
      </h3>
      <p class="kuvert-status-incident-meta">
        <span class={`badge ${incident.resolvedAt ? 'badge-success' : 'badge-warning'}`} safe>
          {tr(`status.incident.state.${incident.state}`)}
        </span>{' '}
        <span safe>{tr(`status.incident.severity.${incident.severity}`)}</span>
        {' · '}
        <span safe>{tr('status.incident.affects', { components: componentNames(tr, incident.components) })}</span>
      </p>
      {latest ? (
        <p>
          <time datetime={isoDate(latest.postedAt)} safe>
            {formatDateTime(lang, latest.postedAt)}
          </time>
          {': '}
          <span class="kuvert-status-text" safe>
            {latest.body}
          </span>
        </p>
      ) : (
        ''
      )}
    </article>
  );
}

function MaintenanceList({ lang, windows }: { lang: Lang; windows: (MaintenanceRow & { inProgress?: boolean })[] }) {
  const tr = translator(lang);
  return (
    <ul class="unstyled-list kuvert-status-maintenance">
      {windows.map((m) => (
        <li>
          <h3 class="h4 mt-0" safe>
            {m.title}
          </h3>
          <p>
            {m.inProgress ? (
              <>
                <span class="badge badge-info" safe>
                  {tr('status.maintenance.inProgress')}
                </span>{' '}
              </>
            ) : (
              ''
            )}
            <span safe>
              {tr('status.maintenance.window', {
                from: formatDateTime(lang, m.startsAt),
                to: formatDateTime(lang, m.endsAt),
              })}
            </span>
            {' · '}
            <span safe>{tr('status.incident.affects', { components: componentNames(tr, m.components) })}</span>
          </p>
          {m.description ? (
            <p class="kuvert-status-text" safe>
              {m.description}
            </p>
          ) : (
            ''
          )}
        </li>
      ))}
    </ul>
  );
}

const overallAlert: Record<ComponentState, 'success' | 'warning' | 'error'> = {
  operational: 'success',
  degraded: 'warning',
  down: 'error',
};

/** /drift: the overall state, incidents, maintenance, and each component with its 90-day history. */
export function StatusPageView(props: {
  lang: Lang;
  view: StatusView;
  operator: boolean;
  checkpoint: PublishedCheckpoint | null;
}) {
  const { lang, view } = props;
  const tr = translator(lang);
  const open = view.incidents.filter((i) => i.resolvedAt === null);
  const resolved = view.incidents.filter((i) => i.resolvedAt !== null);
  return (
    <div class="kuvert-status">
      <PageHeader title={tr('status.title')} lead={tr('status.intro')} />
      {props.operator ? (
        <p>
          <a href="/drift/styring" safe>
            {tr('status.manageLink')}
          </a>
        </p>
      ) : (
        ''
      )}
      <Alert kind={overallAlert[view.state]} class="kuvert-status-overall">
        <p class="alert-heading" safe>
          {tr(`status.overall.${view.state}`)}
        </p>
        <p class="alert-text">
          <time datetime={isoDate(view.checkedAt)} safe>
            {tr('status.checkedAt', { time: formatDateTime(lang, view.checkedAt) })}
          </time>
        </p>
      </Alert>
      {view.recordsAvailable ? (
        ''
      ) : (
        <Alert kind="warning">
          <p class="alert-text" safe>
            {tr('status.unavailable')}
          </p>
        </Alert>
      )}
      {open.length ? (
        <section aria-labelledby="status-incidents">
          <h2 id="status-incidents" safe>
            {tr('status.incidents.heading')}
          </h2>
          {open.map((incident) => (
            <IncidentSummary lang={lang} incident={incident} />
          ))}
        </section>
      ) : (
        ''
      )}
      {view.maintenance.length ? (
        <section aria-labelledby="status-maintenance">
          <h2 id="status-maintenance" safe>
            {tr('status.maintenance.heading')}
          </h2>
          <MaintenanceList lang={lang} windows={view.maintenance} />
        </section>
      ) : (
        ''
      )}
      <section aria-labelledby="status-components">
        <h2 id="status-components" safe>
          {tr('status.components.heading')}
        </h2>
        <ul class="unstyled-list no-max-width kuvert-status-components">
          {view.components.map((c) => (
            <li class="kuvert-status-component" id={`component-${c.id}`}>
              <h3 class="kuvert-status-component-name h4">
                <span safe>{tr(`status.component.${c.id}`)}</span> <StateBadge tr={tr} state={c.state} />
              </h3>
              {c.maintenance ? (
                <p>
                  <span class="badge badge-info" safe>
                    {tr('status.maintenanceNow')}
                  </span>
                </p>
              ) : (
                ''
              )}
              {c.reasons.length ? (
                <ul class="kuvert-status-reasons">
                  {c.reasons.map((r) => (
                    <li safe>{reasonText(tr, r, props.operator)}</li>
                  ))}
                </ul>
              ) : (
                ''
              )}
              <HistoryBar lang={lang} component={c} />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="status-recent">
        <h2 id="status-recent" safe>
          {tr('status.incidents.recent')}
        </h2>
        {resolved.length ? (
          resolved.map((incident) => <IncidentSummary lang={lang} incident={incident} />)
        ) : (
          <p safe>{tr('status.incidents.none')}</p>
        )}
      </section>
      <AuditCheckpoint lang={lang} checkpoint={props.checkpoint} />
      <p class="mt-6">
        <a href="/api/v1/status" safe>
          {tr('status.api')}
        </a>
      </p>
    </div>
  );
}

/** One incident with all its updates, newest first. */
export function IncidentPageView({ lang, incident }: { lang: Lang; incident: IncidentRow }) {
  const tr = translator(lang);
  return (
    <div class="kuvert-status">
      <BackLink href="/drift" text={tr('status.incident.back')} />
      <PageHeader title={incident.title} />
      <p>
        <span class={`badge ${incident.resolvedAt ? 'badge-success' : 'badge-warning'}`} safe>
          {tr(`status.incident.state.${incident.state}`)}
        </span>{' '}
        <span safe>{tr(`status.incident.severity.${incident.severity}`)}</span>
      </p>
      <p safe>{tr('status.incident.affects', { components: componentNames(tr, incident.components) })}</p>
      <p>
        <time datetime={isoDate(incident.startedAt)} safe>
          {tr('status.incident.started', { time: formatDateTime(lang, incident.startedAt) })}
        </time>
        {incident.resolvedAt ? (
          <>
            {' · '}
            <time datetime={isoDate(incident.resolvedAt)} safe>
              {tr('status.incident.resolvedAt', { time: formatDateTime(lang, incident.resolvedAt) })}
            </time>
          </>
        ) : (
          ''
        )}
      </p>
      <h2 safe>{tr('status.incident.updates')}</h2>
      <ol class="unstyled-list kuvert-status-updates">
        {incident.updates.map((u) => (
          <li>
            <p class="mb-0">
              <strong safe>{tr(`status.incident.state.${u.state}`)}</strong>
              {' · '}
              <time datetime={isoDate(u.postedAt)} safe>
                {formatDateTime(lang, u.postedAt)}
              </time>
            </p>
            <p class="kuvert-status-text mt-2" safe>
              {u.body}
            </p>
          </li>
        ))}
      </ol>
    </div>
  );
}

// --- Operator pages ---
