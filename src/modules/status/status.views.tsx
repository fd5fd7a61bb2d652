import { errorText } from '../../http/errors.ts';
import { formatDateTime, isoDate, type Lang, type MessageKey, type Translate, translator } from '../../web/i18n.ts';
import { Icon } from '../../web/icon.tsx';
import { type ComponentId, type ComponentState, componentIds } from './components.ts';
import type { ComponentStatus, DayState, StatusView } from './get-status.ts';
import type { Reason } from './run-status-checks.ts';
import type { IncidentRow, MaintenanceRow } from './status.repository.ts';
import { incidentStates, TEXT_MAX, TITLE_MAX, toCopenhagenInput } from './status-input.ts';

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

function formatDay(lang: Lang, day: string): string {
  return new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

function formatPercent(lang: Lang, value: number): string {
  return new Intl.NumberFormat(lang === 'da' ? 'da-DK' : 'en-GB', { maximumFractionDigits: 2 }).format(value);
}

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

const overallAlert: Record<ComponentState, string> = {
  operational: 'alert-success',
  degraded: 'alert-warning',
  down: 'alert-error',
};

/** /drift: the overall state, incidents, maintenance, and each component with its 90-day history. */
export function StatusPageView(props: { lang: Lang; view: StatusView; operator: boolean }) {
  const { lang, view } = props;
  const tr = translator(lang);
  const open = view.incidents.filter((i) => i.resolvedAt === null);
  const resolved = view.incidents.filter((i) => i.resolvedAt !== null);
  return (
    <div class="kuvert-status">
      <h1 safe>{tr('status.title')}</h1>
      <p class="font-lead" safe>
        {tr('status.intro')}
      </p>
      {props.operator ? (
        <p>
          <a href="/drift/styring" safe>
            {tr('status.manageLink')}
          </a>
        </p>
      ) : (
        ''
      )}
      <div class={`alert ${overallAlert[view.state]} kuvert-status-overall`}>
        <div class="alert-body">
          <p class="alert-heading" safe>
            {tr(`status.overall.${view.state}`)}
          </p>
          <p class="alert-text">
            <time datetime={isoDate(view.checkedAt)} safe>
              {tr('status.checkedAt', { time: formatDateTime(lang, view.checkedAt) })}
            </time>
          </p>
        </div>
      </div>
      {view.recordsAvailable ? (
        ''
      ) : (
        <div class="alert alert-warning">
          <div class="alert-body">
            <p class="alert-text" safe>
              {tr('status.unavailable')}
            </p>
          </div>
        </div>
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
        <ul class="unstyled-list kuvert-status-components">
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
      <p>
        <a class="back-link" href="/drift">
          <Icon name="chevron-left" />
          <span safe>{tr('status.incident.back')}</span>
        </a>
      </p>
      <h1 safe>{incident.title}</h1>
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

export type ManageForm = 'incident' | 'update' | 'maintenance';
export type ManageDone =
  | 'incident_created'
  | 'incident_updated'
  | 'incident_resolved'
  | 'maintenance_scheduled'
  | 'maintenance_cancelled';
export const manageDone: readonly ManageDone[] = [
  'incident_created',
  'incident_updated',
  'incident_resolved',
  'maintenance_scheduled',
  'maintenance_cancelled',
];

export interface ManageFailure {
  form: ManageForm;
  /** The incident an update was for. */
  incidentId?: string;
  code: string;
  field?: string;
  message: string;
  values: Record<string, string | string[] | undefined>;
}

const statusErrorCodes = new Set([
  'title_required',
  'title_too_long',
  'invalid_severity',
  'components_required',
  'invalid_component',
  'message_required',
  'message_too_long',
  'invalid_state',
  'invalid_time',
  'ends_before_start',
  'ends_in_past',
  'window_too_long',
  'incident_resolved',
]);

/** The readable message for a status error code in the page's language (the error catalogue's text otherwise). */
export function statusErrorMessage(lang: Lang, code: string, fallback: string): string {
  return statusErrorCodes.has(code)
    ? translator(lang)(`status.error.${code}` as MessageKey)
    : (errorText(code, lang) ?? fallback);
}

function ErrorText({ id, failure, field }: { id: string; failure: ManageFailure | undefined; field: string }) {
  return failure?.field === field ? (
    <span class="form-error-message" id={id} safe>
      {failure.message}
    </span>
  ) : (
    ''
  );
}

const groupClass = (failure: ManageFailure | undefined, field: string) =>
  `form-group${failure?.field === field ? ' form-error' : ''}`;
const describedBy = (failure: ManageFailure | undefined, field: string, id: string) =>
  failure?.field === field ? id : undefined;
const value = (failure: ManageFailure | undefined, name: string) => {
  const v = failure?.values[name];
  return Array.isArray(v) ? v[0] : v;
};
const chosen = (failure: ManageFailure | undefined, name: string): string[] => {
  const v = failure?.values[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

function TextInput(props: {
  tr: Translate;
  prefix: string;
  name: string;
  label: MessageKey;
  failure: ManageFailure | undefined;
  type?: string;
  maxlength?: number;
  defaultValue?: string;
}) {
  const id = `${props.prefix}-${props.name}`;
  const errorId = `${id}-error`;
  return (
    <div class={groupClass(props.failure, props.name)}>
      <label class="form-label" for={id} safe>
        {props.tr(props.label)}
      </label>
      <ErrorText id={errorId} failure={props.failure} field={props.name} />
      <input
        class="form-input"
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        maxlength={props.maxlength ? String(props.maxlength) : undefined}
        value={value(props.failure, props.name) ?? props.defaultValue ?? ''}
        aria-describedby={describedBy(props.failure, props.name, errorId)}
      />
    </div>
  );
}

function TextArea(props: {
  tr: Translate;
  prefix: string;
  name: string;
  label: MessageKey;
  failure: ManageFailure | undefined;
}) {
  const id = `${props.prefix}-${props.name}`;
  const errorId = `${id}-error`;
  return (
    <div class={groupClass(props.failure, props.name)}>
      <label class="form-label" for={id} safe>
        {props.tr(props.label)}
      </label>
      <ErrorText id={errorId} failure={props.failure} field={props.name} />
      <textarea
        class="form-input"
        id={id}
        name={props.name}
        rows="4"
        maxlength={String(TEXT_MAX)}
        aria-describedby={describedBy(props.failure, props.name, errorId)}
        safe
      >
        {value(props.failure, props.name) ?? ''}
      </textarea>
    </div>
  );
}

function ComponentChoice({ tr, prefix, failure }: { tr: Translate; prefix: string; failure?: ManageFailure }) {
  const errorId = `${prefix}-components-error`;
  const picked = chosen(failure, 'components');
  return (
    <fieldset class={groupClass(failure, 'components')} aria-describedby={describedBy(failure, 'components', errorId)}>
      <legend class="form-label" safe>
        {tr('status.manage.field.components')}
      </legend>
      <ErrorText id={errorId} failure={failure} field="components" />
      <ul class="nobullet-list">
        {componentIds.map((id) => (
          <li>
            <input
              type="checkbox"
              class="form-checkbox"
              id={`${prefix}-component-${id}`}
              name="components"
              value={id}
              checked={picked.includes(id)}
            />
            <label for={`${prefix}-component-${id}`} safe>
              {tr(`status.component.${id}`)}
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

function Done({ tr, done }: { tr: Translate; done: ManageDone }) {
  return (
    <div class="alert alert-success" role="status">
      <div class="alert-body">
        <p class="alert-text" safe>
          {tr(`status.manage.done.${done}`)}
        </p>
      </div>
    </div>
  );
}

/** /drift/styring: post incidents and updates, plan and cancel maintenance. */
export function ManagePageView(props: {
  lang: Lang;
  csrf: JSX.Element;
  open: IncidentRow[];
  maintenance: MaintenanceRow[];
  now: Date;
  done?: ManageDone;
  failure?: ManageFailure;
}) {
  const { lang, failure } = props;
  const tr = translator(lang);
  const incidentFailure = failure?.form === 'incident' ? failure : undefined;
  const maintenanceFailure = failure?.form === 'maintenance' ? failure : undefined;
  const soon = new Date(Math.ceil(props.now.getTime() / 3_600_000) * 3_600_000 + 24 * 3_600_000);
  return (
    <div class="kuvert-status kuvert-status-manage">
      <p>
        <a class="back-link" href="/drift">
          <Icon name="chevron-left" />
          <span safe>{tr('status.incident.back')}</span>
        </a>
      </p>
      <h1 safe>{tr('status.manage.title')}</h1>
      <p safe>{tr('status.manage.intro')}</p>
      {props.done ? <Done tr={tr} done={props.done} /> : ''}
      {failure ? (
        <div class="alert alert-error" role="alert">
          <div class="alert-body">
            <p class="alert-heading" safe>
              {tr('status.manage.errorSummary')}
            </p>
            <p class="alert-text" safe>
              {failure.message}
            </p>
          </div>
        </div>
      ) : (
        ''
      )}

      <section aria-labelledby="manage-open">
        <h2 id="manage-open" safe>
          {tr('status.manage.openIncidents')}
        </h2>
        {props.open.length === 0 ? <p safe>{tr('status.manage.noOpen')}</p> : ''}
        {props.open.map((incident) => {
          const f = failure?.form === 'update' && failure.incidentId === incident.id ? failure : undefined;
          const prefix = `update-${incident.id}`;
          const stateId = `${prefix}-state`;
          return (
            <article class="kuvert-status-incident">
              <h3 class="h4 mt-0" safe>
                {tr('status.manage.updateHeading', { title: incident.title })}
              </h3>
              <p>
                <span class="badge badge-warning" safe>
                  {tr(`status.incident.state.${incident.state}`)}
                </span>{' '}
                <a href={`/drift/haendelser/${incident.id}`} safe>
                  {tr('status.incident.readMore', { title: incident.title })}
                </a>
              </p>
              <form method="post" action={`/drift/styring/haendelser/${incident.id}/opdateringer`} novalidate>
                {props.csrf}
                <div class={groupClass(f, 'state')}>
                  <label class="form-label" for={stateId} safe>
                    {tr('status.manage.field.state')}
                  </label>
                  <ErrorText id={`${stateId}-error`} failure={f} field="state" />
                  <select class="form-select" id={stateId} name="state">
                    {incidentStates.map((s) => (
                      <option value={s} selected={(value(f, 'state') ?? incident.state) === s} safe>
                        {tr(`status.incident.state.${s}`)}
                      </option>
                    ))}
                  </select>
                </div>
                <TextArea tr={tr} prefix={prefix} name="message" label="status.manage.field.message" failure={f} />
                <button type="submit" class="button button-primary" safe>
                  {tr('status.manage.postUpdate')}
                </button>
              </form>
            </article>
          );
        })}
      </section>

      <section aria-labelledby="manage-new">
        <h2 id="manage-new" safe>
          {tr('status.manage.newIncident')}
        </h2>
        <form method="post" action="/drift/styring/haendelser" novalidate>
          {props.csrf}
          <TextInput
            tr={tr}
            prefix="incident"
            name="title"
            label="status.manage.field.title"
            failure={incidentFailure}
            maxlength={TITLE_MAX}
          />
          <fieldset
            class={groupClass(incidentFailure, 'severity')}
            aria-describedby={describedBy(incidentFailure, 'severity', 'incident-severity-error')}
          >
            <legend class="form-label" safe>
              {tr('status.manage.field.severity')}
            </legend>
            <ErrorText id="incident-severity-error" failure={incidentFailure} field="severity" />
            <ul class="nobullet-list">
              {(['minor', 'major'] as const).map((s) => (
                <li>
                  <input
                    type="radio"
                    class="form-radio"
                    id={`incident-severity-${s}`}
                    name="severity"
                    value={s}
                    checked={(value(incidentFailure, 'severity') ?? 'minor') === s}
                  />
                  <label for={`incident-severity-${s}`} safe>
                    {tr(`status.incident.severity.${s}`)}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <ComponentChoice tr={tr} prefix="incident" failure={incidentFailure} />
          <TextArea
            tr={tr}
            prefix="incident"
            name="message"
            label="status.manage.field.message"
            failure={incidentFailure}
          />
          <button type="submit" class="button button-primary" safe>
            {tr('status.manage.create')}
          </button>
        </form>
      </section>

      <section aria-labelledby="manage-maintenance">
        <h2 id="manage-maintenance" safe>
          {tr('status.manage.upcoming')}
        </h2>
        {props.maintenance.length === 0 ? <p safe>{tr('status.manage.noUpcoming')}</p> : ''}
        <ul class="unstyled-list kuvert-status-maintenance">
          {props.maintenance.map((m) => (
            <li>
              <p class="mb-0">
                <strong safe>{m.title}</strong>
              </p>
              <p class="mt-0" safe>
                {tr('status.maintenance.window', {
                  from: formatDateTime(lang, m.startsAt),
                  to: formatDateTime(lang, m.endsAt),
                })}
              </p>
              <form method="post" action={`/drift/styring/vedligeholdelse/${m.id}/aflys`}>
                {props.csrf}
                <button type="submit" class="button button-secondary" safe>
                  {tr('status.manage.cancel', { title: m.title })}
                </button>
              </form>
            </li>
          ))}
        </ul>
        <h2 safe>{tr('status.manage.newMaintenance')}</h2>
        <form method="post" action="/drift/styring/vedligeholdelse" novalidate>
          {props.csrf}
          <TextInput
            tr={tr}
            prefix="maintenance"
            name="title"
            label="status.manage.field.title"
            failure={maintenanceFailure}
            maxlength={TITLE_MAX}
          />
          <TextArea
            tr={tr}
            prefix="maintenance"
            name="description"
            label="status.manage.field.description"
            failure={maintenanceFailure}
          />
          <ComponentChoice tr={tr} prefix="maintenance" failure={maintenanceFailure} />
          <TextInput
            tr={tr}
            prefix="maintenance"
            name="startsAt"
            type="datetime-local"
            label="status.manage.field.startsAt"
            failure={maintenanceFailure}
            defaultValue={toCopenhagenInput(soon)}
          />
          <TextInput
            tr={tr}
            prefix="maintenance"
            name="endsAt"
            type="datetime-local"
            label="status.manage.field.endsAt"
            failure={maintenanceFailure}
            defaultValue={toCopenhagenInput(new Date(soon.getTime() + 2 * 3_600_000))}
          />
          <button type="submit" class="button button-primary" safe>
            {tr('status.manage.schedule')}
          </button>
        </form>
      </section>
    </div>
  );
}
