import {
  ActionForm,
  BackLink,
  DataTable,
  describedBy,
  ErrorSummary,
  FieldError,
  MessageAlert,
  PageHeader,
} from '../../web/components/index.ts';
import { type Lang, translator } from '../../web/i18n.ts';
import type { Delegation } from './access.repository.ts';
import { day, endText, type FormError } from './access.views.tsx';
import { DOCUMENT_REFERENCE_MAX } from './register-delegation.ts';

export interface DelegationFormValues {
  cpr?: string;
  name?: string;
  level?: string;
  documentReference?: string;
  endDate?: string;
}

/** The id of the field an error is about, for the error summary's link (the form's first field otherwise). */
function fieldAnchor(form: 'power_of_attorney' | 'parent', field: string | undefined): string {
  const prefix = form === 'parent' ? 'parent' : 'poa';
  if (field === 'level') return `${prefix}-level-read`;
  if (field === 'cpr' || field === 'name' || field === 'documentReference' || field === 'endDate') {
    return `${prefix}-${field}`;
  }
  return `${prefix}-cpr`;
}

/** Citizen service: who has access to a person's mailbox, and registering/ending powers of attorney and parents. */
export function CaseworkerAccessView(props: {
  lang: Lang;
  csrf: JSX.Element;
  person: { id: string; name: string };
  delegations: { delegation: Delegation; revocable: boolean }[];
  /** The 18th birthday when the person is 15–17 (parents may be registered); null otherwise. */
  eighteenthBirthday: Date | null;
  done?: 'registered' | 'revoked';
  failed?: { form: 'power_of_attorney' | 'parent' | 'revoke'; error: FormError; values: DelegationFormValues };
  /** Back from the confirmation step: the form filled in again. */
  values?: { form: 'power_of_attorney' | 'parent'; values: DelegationFormValues };
}) {
  const tr = translator(props.lang);
  const { person, failed } = props;
  const base = `/borgerservice/personer/${person.id}/adgang`;
  const poaFailed = failed?.form === 'power_of_attorney' ? failed : undefined;
  const parentFailed = failed?.form === 'parent' ? failed : undefined;
  const filled = (form: 'power_of_attorney' | 'parent') =>
    failed?.form === form ? failed.values : props.values?.form === form ? props.values.values : undefined;
  const poaValues = filled('power_of_attorney');
  const parentValues = filled('parent');

  function Field(p: {
    form: 'poa' | 'parent';
    name: 'cpr' | 'name' | 'documentReference' | 'endDate';
    label: string;
    hint?: string;
    type?: string;
    width: string;
    maxlength?: string;
    inputmode?: string;
    value?: string;
    error?: FormError;
  }) {
    const id = `${p.form}-${p.name}`;
    const bad = p.error?.field === p.name ? p.error : undefined;
    return (
      <div class={`form-group${bad ? ' form-error' : ''}`}>
        <label class="form-label" for={id} safe>
          {p.label}
        </label>
        {p.hint ? (
          <span class="form-hint" id={`${id}-hint`} safe>
            {p.hint}
          </span>
        ) : (
          ''
        )}
        <FieldError id={`${id}-error`} message={bad?.message} />
        <input
          class={`form-input ${p.width}`}
          id={id}
          name={p.name}
          type={p.type ?? 'text'}
          inputmode={p.inputmode}
          maxlength={p.maxlength}
          value={p.value ?? ''}
          aria-describedby={describedBy(p.hint && `${id}-hint`, bad && `${id}-error`)}
          aria-invalid={bad ? 'true' : undefined}
        />
      </div>
    );
  }

  function LevelField({ form, value, error }: { form: 'poa' | 'parent'; value?: string; error?: FormError }) {
    const bad = error?.field === 'level' ? error : undefined;
    return (
      <fieldset class={`form-group${bad ? ' form-error' : ''}`}>
        <legend class="form-label" safe>
          {tr('access.grant.level')}
        </legend>
        <FieldError id={`${form}-level-error`} message={bad?.message} />
        <ul class="nobullet-list">
          {(['read', 'read_write'] as const).map((level) => (
            <li>
              <input
                id={`${form}-level-${level}`}
                type="radio"
                name="level"
                value={level}
                class="form-radio"
                checked={(value ?? 'read') === level}
              />
              <label for={`${form}-level-${level}`} class="form-label" safe>
                {tr(`access.level.${level}`)}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
    );
  }

  return (
    <div class="kuvert-access">
      <BackLink
        href={`/borgerservice/personer/${person.id}`}
        text={tr('access.caseworker.back', { name: person.name })}
      />
      <PageHeader title={tr('access.caseworker.heading', { name: person.name })} />
      {props.done ? <MessageAlert kind="success" text={tr(`access.caseworker.done.${props.done}`)} /> : ''}
      {failed && failed.form !== 'revoke' ? (
        <ErrorSummary
          heading={tr('access.caseworker.errorSummary')}
          headingId="form-error-heading"
          items={[{ href: `#${fieldAnchor(failed.form, failed.error.field)}`, text: failed.error.message }]}
        />
      ) : failed ? (
        <MessageAlert kind="error" text={failed.error.message} />
      ) : (
        ''
      )}
      <p safe>{tr('access.caseworker.noContent')}</p>

      <h2 safe>{tr('access.caseworker.list.heading')}</h2>
      {props.delegations.length === 0 ? (
        <p safe>{tr('access.caseworker.list.empty')}</p>
      ) : (
        <DataTable
          columns={[
            tr('access.col.person'),
            tr('access.col.access'),
            tr('access.caseworker.col.reference'),
            tr('access.col.until'),
            tr('access.col.action'),
          ]}
          class="kuvert-access-table"
        >
          {props.delegations.map(({ delegation: d, revocable }) => (
            <tr>
              <td data-title={tr('access.col.person')} safe>
                {d.granteeName}
              </td>
              <td data-title={tr('access.col.access')} safe>
                {`${tr(`access.via.${d.kind}`)}: ${tr(`access.level.${d.level}`)}`}
              </td>
              <td data-title={tr('access.caseworker.col.reference')} safe>
                {d.documentReference ?? '–'}
              </td>
              <td data-title={tr('access.col.until')} safe>
                {endText(props.lang, d)}
              </td>
              <td data-title={tr('access.col.action')}>
                {revocable ? (
                  <ActionForm
                    action={`${base}/${d.id}/ophaev`}
                    csrf={props.csrf}
                    text={tr('access.caseworker.revoke.button')}
                    ariaLabel={tr('access.caseworker.revoke.buttonFor', { name: d.granteeName })}
                  />
                ) : (
                  <span safe>{tr('access.caseworker.grantByCitizen')}</span>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      <section class="mt-6">
        <h2 safe>{tr('access.caseworker.poa.heading')}</h2>
        <p safe>{tr('access.caseworker.poa.text')}</p>
        <form method="post" action={base} novalidate autocomplete="off">
          {props.csrf}
          <input type="hidden" name="kind" value="power_of_attorney" />
          <Field
            form="poa"
            name="cpr"
            label={tr('access.caseworker.granteeCpr')}
            hint={tr('access.grant.cprHint')}
            width="input-width-s"
            maxlength="11"
            inputmode="numeric"
            value={poaValues?.cpr}
            error={poaFailed?.error}
          />
          <Field
            form="poa"
            name="name"
            label={tr('access.caseworker.granteeName')}
            hint={tr('access.grant.nameHint')}
            width="input-width-l"
            maxlength="200"
            value={poaValues?.name}
            error={poaFailed?.error}
          />
          <LevelField form="poa" value={poaValues?.level} error={poaFailed?.error} />
          <Field
            form="poa"
            name="documentReference"
            label={tr('access.caseworker.documentReference')}
            hint={tr('access.caseworker.documentReferenceHint')}
            width="input-width-l"
            maxlength={String(DOCUMENT_REFERENCE_MAX)}
            value={poaValues?.documentReference}
            error={poaFailed?.error}
          />
          <Field
            form="poa"
            name="endDate"
            type="date"
            label={tr('access.grant.endDate')}
            width="input-width-s"
            value={poaValues?.endDate}
            error={poaFailed?.error}
          />
          <button type="submit" class="button button-primary" safe>
            {tr('access.caseworker.poa.button')}
          </button>
        </form>
      </section>

      <section class="mt-6">
        <h2 safe>{tr('access.caseworker.parent.heading')}</h2>
        {props.eighteenthBirthday ? (
          <>
            <p safe>{tr('access.caseworker.parent.text', { date: day(props.lang, props.eighteenthBirthday) })}</p>
            <form method="post" action={base} novalidate autocomplete="off">
              {props.csrf}
              <input type="hidden" name="kind" value="parent" />
              <Field
                form="parent"
                name="cpr"
                label={tr('access.caseworker.parentCpr')}
                hint={tr('access.grant.cprHint')}
                width="input-width-s"
                maxlength="11"
                inputmode="numeric"
                value={parentValues?.cpr}
                error={parentFailed?.error}
              />
              <Field
                form="parent"
                name="name"
                label={tr('access.caseworker.parentName')}
                hint={tr('access.grant.nameHint')}
                width="input-width-l"
                maxlength="200"
                value={parentValues?.name}
                error={parentFailed?.error}
              />
              <LevelField form="parent" value={parentValues?.level} error={parentFailed?.error} />
              <Field
                form="parent"
                name="documentReference"
                label={tr('access.caseworker.documentReferenceOptional')}
                width="input-width-l"
                maxlength={String(DOCUMENT_REFERENCE_MAX)}
                value={parentValues?.documentReference}
                error={parentFailed?.error}
              />
              <button type="submit" class="button button-primary" safe>
                {tr('access.caseworker.parent.button')}
              </button>
            </form>
          </>
        ) : (
          <p safe>{tr('access.caseworker.parent.notMinor')}</p>
        )}
      </section>
    </div>
  );
}
