import {
  ActionForm,
  Alert,
  DataTable,
  describedBy,
  ErrorSummary,
  FormField,
  PageHeader,
} from '../../web/components/index.ts';
import { formatDate, type Lang, translator } from '../../web/i18n.ts';
import type { OnBehalfAuthorisation } from '../identity/index.ts';
import { PortalNav } from './portal-nav.tsx';
import { ScopeFieldset } from './scope-fieldset.tsx';
import type { FieldErrors } from './staff-page.views.tsx';

export type OnBehalfNotice = 'authorised' | 'withdrawn';

/**
 * /afsender/paa-vegne-af: the authorisations this sender has given vendors (revocable, and a form to give one), and
 * — when the sender is a vendor — the authorities it may send for (read-only).
 */
export function OnBehalfView(props: {
  lang: Lang;
  csrf: JSX.Element;
  given: OnBehalfAuthorisation[];
  received: OnBehalfAuthorisation[];
  notice?: OnBehalfNotice | undefined;
  errors?: FieldErrors;
  values?: { vendorCvr?: string; scopes?: string[]; endsAt?: string };
  /** The earliest and latest end date the form offers (yyyy-mm-dd). */
  dateRange: { min: string; max: string };
}) {
  const { lang, errors = {}, values = {} } = props;
  const tr = translator(lang);
  const fields = ['vendorCvr', 'scopes', 'endsAt'].filter((f) => errors[f]);
  const status = (a: OnBehalfAuthorisation) =>
    a.revokedAt
      ? tr('machine.status.revoked', { date: formatDate(lang, a.revokedAt) })
      : a.active
        ? tr('machine.status.active')
        : tr('machine.status.ended');
  const cols = {
    vendor: tr('machine.col.vendor'),
    authority: tr('machine.col.authority'),
    scopes: tr('machine.col.scopes'),
    endsAt: tr('machine.col.endsAt'),
    status: tr('machine.col.status'),
    action: tr('machine.col.action'),
  };
  return (
    <>
      <PageHeader title={tr('machine.onBehalf.title')} lead={tr('machine.onBehalf.lead')} />
      <PortalNav lang={lang} current="onBehalf" />
      {props.notice ? <Alert kind="success" role="status" text={tr(`machine.onBehalf.${props.notice}`)} /> : ''}
      <h2 safe>{tr('machine.onBehalf.given')}</h2>
      {props.given.length === 0 ? (
        <p safe>{tr('machine.onBehalf.givenNone')}</p>
      ) : (
        <DataTable columns={[cols.vendor, cols.scopes, cols.endsAt, cols.status, cols.action]} class="kuvert-on-behalf">
          {props.given.map((a) => (
            <tr>
              <td data-title={cols.vendor} safe>
                {`${a.vendorName} (CVR ${a.vendorCvr ?? '–'})`}
              </td>
              <td data-title={cols.scopes}>
                <code class="kuvert-break" safe>
                  {a.scopes.join(' ')}
                </code>
              </td>
              <td data-title={cols.endsAt} safe>
                {formatDate(lang, a.endsAt)}
              </td>
              <td data-title={cols.status} safe>
                {status(a)}
              </td>
              <td data-title={cols.action}>
                {a.revokedAt ? (
                  ''
                ) : (
                  <ActionForm
                    action={`/afsender/paa-vegne-af/${a.id}/tilbagekald`}
                    csrf={props.csrf}
                    text={tr('machine.onBehalf.revoke')}
                    ariaLabel={tr('machine.onBehalf.revokeLabel', { name: a.vendorName })}
                  />
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <h2 safe>{tr('machine.onBehalf.add')}</h2>
      {fields.length ? (
        <ErrorSummary
          heading={tr('machine.errorSummary')}
          headingId="on-behalf-errors"
          items={fields.map((f) => ({ href: `#${f}`, text: errors[f] ?? '' }))}
        />
      ) : (
        ''
      )}
      <form method="post" action="/afsender/paa-vegne-af" novalidate>
        {props.csrf}
        <FormField
          id="vendorCvr"
          label={tr('machine.onBehalf.vendorCvr')}
          hint={tr('machine.onBehalf.vendorCvr.hint')}
          error={errors.vendorCvr}
          errorPrefix={tr('machine.errorPrefix')}
        >
          <input
            class="form-input input-width-s"
            id="vendorCvr"
            name="vendorCvr"
            type="text"
            inputmode="numeric"
            maxlength="8"
            autocomplete="off"
            value={values.vendorCvr ?? ''}
            aria-invalid={errors.vendorCvr ? 'true' : undefined}
            aria-describedby={describedBy('vendorCvr-hint', errors.vendorCvr && 'vendorCvr-error')}
          />
        </FormField>
        <ScopeFieldset
          idPrefix="scopes"
          legend={tr('machine.onBehalf.scopes')}
          checked={values.scopes ?? ['messages:send']}
          error={errors.scopes}
          errorPrefix={tr('machine.errorPrefix')}
        />
        <FormField
          id="endsAt"
          label={tr('machine.onBehalf.endsAt')}
          hint={tr('machine.onBehalf.endsAt.hint')}
          error={errors.endsAt}
          errorPrefix={tr('machine.errorPrefix')}
        >
          <input
            class="form-input input-width-s"
            id="endsAt"
            name="endsAt"
            type="date"
            min={props.dateRange.min}
            max={props.dateRange.max}
            value={values.endsAt ?? ''}
            aria-invalid={errors.endsAt ? 'true' : undefined}
            aria-describedby={describedBy('endsAt-hint', errors.endsAt && 'endsAt-error')}
          />
        </FormField>
        <button type="submit" class="button button-primary" safe>
          {tr('machine.onBehalf.submit')}
        </button>
      </form>
      {props.received.length > 0 ? (
        <>
          <h2 safe>{tr('machine.onBehalf.received')}</h2>
          <p safe>{tr('machine.onBehalf.receivedLead')}</p>
          <DataTable columns={[cols.authority, cols.scopes, cols.endsAt, cols.status]} class="kuvert-on-behalf">
            {props.received.map((a) => (
              <tr>
                <td data-title={cols.authority} safe>
                  {`${a.authorityName} (CVR ${a.authorityCvr ?? '–'})`}
                </td>
                <td data-title={cols.scopes}>
                  <code class="kuvert-break" safe>
                    {a.scopes.join(' ')}
                  </code>
                </td>
                <td data-title={cols.endsAt} safe>
                  {formatDate(lang, a.endsAt)}
                </td>
                <td data-title={cols.status} safe>
                  {status(a)}
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : (
        ''
      )}
    </>
  );
}
