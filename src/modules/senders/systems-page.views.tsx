import {
  ActionForm,
  Alert,
  DataTable,
  describedBy,
  ErrorSummary,
  FormField,
  PageHeader,
} from '../../web/components/index.ts';
import { formatDateTime, type Lang, translator } from '../../web/i18n.ts';
import type { SystemClientListing } from '../identity/index.ts';
import { PortalNav } from './portal-nav.tsx';
import { ScopeFieldset } from './scope-fieldset.tsx';
import type { FieldErrors } from './staff-page.views.tsx';

export type SystemsNotice = { kind: 'registered'; id: string } | { kind: 'replaced' } | { kind: 'revoked' };

/** /afsender/systemer: the sender's systems (machine login); administrators register, re-key and revoke. */
export function SystemsView(props: {
  lang: Lang;
  csrf: JSX.Element;
  systems: SystemClientListing[];
  notice?: SystemsNotice | undefined;
  errors?: FieldErrors;
  values?: { name?: string; jwks?: string; scopes?: string[]; test?: boolean };
  /** A failed key replacement: which system, and the error shown at its textarea. */
  replaceError?: { id: string; message: string } | undefined;
}) {
  const { lang, errors = {}, values = {} } = props;
  const tr = translator(lang);
  const fields = ['name', 'jwks', 'scopes'].filter((f) => errors[f]);
  const cols = {
    name: tr('machine.col.name'),
    id: tr('machine.col.clientId'),
    scopes: tr('machine.col.scopes'),
    mode: tr('machine.col.mode'),
    created: tr('machine.col.created'),
    status: tr('machine.col.status'),
    action: tr('machine.col.action'),
  };
  return (
    <>
      <PageHeader title={tr('machine.systems.title')} lead={tr('machine.systems.lead')} />
      <PortalNav lang={lang} current="systems" />
      {props.notice ? (
        <Alert
          kind="success"
          role="status"
          text={tr(`machine.systems.${props.notice.kind}`, props.notice.kind === 'registered' ? props.notice : {})}
        />
      ) : (
        ''
      )}
      <h2 safe>{tr('machine.systems.list')}</h2>
      {props.systems.length === 0 ? (
        <p safe>{tr('machine.systems.none')}</p>
      ) : (
        <DataTable columns={Object.values(cols)} class="kuvert-systems">
          {props.systems.map((system) => (
            <tr>
              <td data-title={cols.name} safe>
                {system.name}
              </td>
              <td data-title={cols.id}>
                <code class="kuvert-break" safe>
                  {system.id}
                </code>
              </td>
              <td data-title={cols.scopes}>
                <code class="kuvert-break" safe>
                  {system.scopes.join(' ')}
                </code>
              </td>
              <td data-title={cols.mode} safe>
                {tr(system.test ? 'machine.mode.test' : 'machine.mode.live')}
              </td>
              <td data-title={cols.created} safe>
                {formatDateTime(lang, system.createdAt)}
              </td>
              <td data-title={cols.status} safe>
                {system.revokedAt
                  ? tr('machine.status.revoked', { date: formatDateTime(lang, system.revokedAt) })
                  : tr('machine.status.active')}
              </td>
              <td data-title={cols.action}>
                {system.revokedAt ? (
                  ''
                ) : (
                  <>
                    <ActionForm
                      action={`/afsender/systemer/${system.id}/tilbagekald`}
                      csrf={props.csrf}
                      text={tr('machine.systems.revoke')}
                      ariaLabel={tr('machine.systems.revokeLabel', { name: system.name })}
                    />
                    {system.jwksUrl ? (
                      <p class="form-hint" safe>
                        {tr('machine.keysFromUrl')}
                      </p>
                    ) : (
                      <ReplaceKeys
                        {...props}
                        system={system}
                        error={props.replaceError?.id === system.id ? props.replaceError.message : undefined}
                      />
                    )}
                  </>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <h2 safe>{tr('machine.systems.add')}</h2>
      {fields.length ? (
        <ErrorSummary
          heading={tr('machine.errorSummary')}
          headingId="systems-errors"
          items={fields.map((f) => ({ href: `#${f}`, text: errors[f] ?? '' }))}
        />
      ) : (
        ''
      )}
      <form method="post" action="/afsender/systemer" novalidate>
        {props.csrf}
        <FormField
          id="name"
          label={tr('machine.systems.name')}
          error={errors.name}
          errorPrefix={tr('machine.errorPrefix')}
        >
          <input
            class="form-input"
            id="name"
            name="name"
            type="text"
            maxlength="100"
            autocomplete="off"
            value={values.name ?? ''}
            aria-invalid={errors.name ? 'true' : undefined}
            aria-describedby={describedBy(errors.name && 'name-error')}
          />
        </FormField>
        <FormField
          id="jwks"
          label={tr('machine.systems.jwks')}
          hint={tr('machine.systems.jwks.hint')}
          error={errors.jwks}
          errorPrefix={tr('machine.errorPrefix')}
        >
          <textarea
            class="form-input kuvert-jwks"
            id="jwks"
            name="jwks"
            rows="8"
            spellcheck="false"
            aria-invalid={errors.jwks ? 'true' : undefined}
            aria-describedby={describedBy('jwks-hint', errors.jwks && 'jwks-error')}
            safe
          >
            {values.jwks ?? ''}
          </textarea>
        </FormField>
        <ScopeFieldset
          idPrefix="scopes"
          legend={tr('machine.systems.scopes')}
          hint={tr('machine.systems.scopes.hint')}
          checked={values.scopes ?? ['messages:send', 'messages:read']}
          error={errors.scopes}
          errorPrefix={tr('machine.errorPrefix')}
        />
        <div class="form-group">
          <div class="form-group-checkbox">
            <input class="form-checkbox" id="test" name="test" type="checkbox" value="1" checked={values.test} />
            <label class="form-label" for="test" safe>
              {tr('machine.systems.test')}
            </label>
          </div>
        </div>
        <button type="submit" class="button button-primary" safe>
          {tr('machine.systems.submit')}
        </button>
      </form>
    </>
  );
}

/** A system's key replacement: a disclosure with a JWKS textarea, open when its last attempt failed. */
function ReplaceKeys(props: {
  lang: Lang;
  csrf: JSX.Element;
  system: SystemClientListing;
  error?: string | undefined;
}) {
  const tr = translator(props.lang);
  const id = `jwks-${props.system.id}`;
  return (
    <details class="kuvert-replace-keys" open={props.error !== undefined}>
      <summary safe>{tr('machine.systems.replace')}</summary>
      <form method="post" action={`/afsender/systemer/${props.system.id}/noegler`} novalidate>
        {props.csrf}
        <FormField
          id={id}
          label={tr('machine.systems.replaceTitle', { name: props.system.name })}
          error={props.error}
          errorPrefix={tr('machine.errorPrefix')}
        >
          <textarea
            class="form-input kuvert-jwks"
            id={id}
            name="jwks"
            rows="5"
            spellcheck="false"
            aria-invalid={props.error ? 'true' : undefined}
            aria-describedby={describedBy(props.error && `${id}-error`)}
          />
        </FormField>
        <button type="submit" class="button button-secondary" safe>
          {tr('machine.systems.replace')}
        </button>
      </form>
    </details>
  );
}
