import { errorText } from '../../http/errors.ts';
import { ActionForm, Alert, BackLink, PageHeader } from '../../web/components/index.ts';
import { formatDateTime, type Lang, type MessageKey, type Translate, translator } from '../../web/i18n.ts';
import { componentIds } from './components.ts';
import type { IncidentRow, MaintenanceRow } from './status.repository.ts';
import { incidentStates, TEXT_MAX, TITLE_MAX, toCopenhagenInput } from './status-input.ts';

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

export const value = (failure: ManageFailure | undefined, name: string) => {
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
    <Alert kind="success" role="status">
      <p class="alert-text" safe>
        {tr(`status.manage.done.${done}`)}
      </p>
    </Alert>
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
      <BackLink href="/drift" text={tr('status.incident.back')} />
      <PageHeader title={tr('status.manage.title')} />
      <p safe>{tr('status.manage.intro')}</p>
      {props.done ? <Done tr={tr} done={props.done} /> : ''}
      {failure ? (
        <Alert kind="error" role="alert">
          <p class="alert-heading" safe>
            {tr('status.manage.errorSummary')}
          </p>
          <p class="alert-text" safe>
            {failure.message}
          </p>
        </Alert>
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
              <ActionForm
                action={`/drift/styring/vedligeholdelse/${m.id}/aflys`}
                class={null}
                csrf={props.csrf}
                text={tr('status.manage.cancel', { title: m.title })}
              />
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
