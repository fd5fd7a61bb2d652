import { errorText } from '../../http/errors.ts';
import { ActionForm, Alert, DataTable, PageHeader } from '../../web/components/index.ts';
import { formatDateTime, type Lang, translator } from '../../web/i18n.ts';
import type { WebhookEndpoint } from '../events/index.ts';
import { PortalNav } from './portal-nav.tsx';

/** The webhook endpoints page: add (the signing secret shown once), list with delivery state, remove. */
export function WebhooksView(props: {
  lang: Lang;
  csrf: JSX.Element;
  endpoints: WebhookEndpoint[];
  created?: { url: string; secret: string };
  removed?: boolean;
  error?: { code: 'invalid_url' | 'too_many_webhooks' };
  url?: string;
}) {
  const { lang, endpoints, error } = props;
  const tr = translator(lang);
  const errorText = error ? tr(`portal.webhooks.error.${error.code}`) : null;
  return (
    <>
      <PageHeader title={tr('portal.webhooks.title')} />
      <PortalNav lang={lang} current="webhooks" />
      {props.created ? (
        <Alert kind="success" role="status">
          <p class="alert-text" safe>
            {tr('portal.webhooks.created')}
          </p>
          <p class="alert-text">
            <code class="kuvert-secret" safe>
              {props.created.secret}
            </code>
          </p>
        </Alert>
      ) : props.removed ? (
        <Alert kind="success" role="status">
          <p class="alert-text" safe>
            {tr('portal.webhooks.removed')}
          </p>
        </Alert>
      ) : (
        ''
      )}
      <p class="font-lead" safe>
        {tr('portal.webhooks.intro')}
      </p>
      <h2 safe>{tr('portal.webhooks.add')}</h2>
      <form method="post" action="/afsender/webhooks" novalidate>
        {props.csrf}
        <div class={`form-group${errorText ? ' form-error' : ''}`}>
          <label class="form-label" for="url" safe>
            {tr('portal.webhooks.url')}
          </label>
          <span class="form-hint" id="url-hint" safe>
            {tr('portal.webhooks.url.hint')}
          </span>
          {errorText ? (
            <span class="form-error-message" id="url-error" role="alert">
              <span class="sr-only" safe>
                {tr('portal.errorPrefix')}
              </span>{' '}
              <span safe>{errorText}</span>
            </span>
          ) : (
            ''
          )}
          <input
            class="form-input"
            id="url"
            name="url"
            type="url"
            maxlength="2000"
            value={props.url ?? ''}
            aria-describedby={errorText ? 'url-hint url-error' : 'url-hint'}
          />
        </div>
        <button type="submit" class="button button-primary" safe>
          {tr('portal.webhooks.submit')}
        </button>
      </form>
      <h2 safe>{tr('portal.webhooks.list')}</h2>
      {endpoints.length === 0 ? (
        <p safe>{tr('portal.webhooks.none')}</p>
      ) : (
        <DataTable
          columns={[
            tr('portal.webhooks.col.url'),
            tr('portal.webhooks.col.created'),
            tr('portal.webhooks.col.delivery'),
            tr('portal.webhooks.col.action'),
          ]}
          class="kuvert-webhooks"
        >
          {endpoints.map((endpoint) => {
            const failedLast =
              endpoint.lastFailureAt && (!endpoint.lastSuccessAt || endpoint.lastFailureAt > endpoint.lastSuccessAt);
            return (
              <tr>
                <td data-title={tr('portal.webhooks.col.url')}>
                  <code class="kuvert-secret" safe>
                    {endpoint.url}
                  </code>
                </td>
                <td data-title={tr('portal.webhooks.col.created')}>
                  <time datetime={endpoint.createdAt} safe>
                    {formatDateTime(lang, endpoint.createdAt)}
                  </time>
                </td>
                <td data-title={tr('portal.webhooks.col.delivery')} safe>
                  {failedLast && endpoint.lastFailureAt
                    ? tr('portal.webhooks.failed', {
                        time: formatDateTime(lang, endpoint.lastFailureAt),
                        error: deliveryError(lang, endpoint.lastError),
                      })
                    : endpoint.lastSuccessAt
                      ? tr('portal.webhooks.ok', { time: formatDateTime(lang, endpoint.lastSuccessAt) })
                      : tr('portal.webhooks.never')}
                </td>
                <td data-title={tr('portal.webhooks.col.action')}>
                  <ActionForm
                    action={`/afsender/webhooks/${endpoint.id}/fjern`}
                    class={null}
                    csrf={props.csrf}
                    text={tr('portal.webhooks.remove')}
                    ariaLabel={tr('portal.webhooks.removeLabel', { url: endpoint.url })}
                  />
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </>
  );
}

/**
 * Why the last delivery failed, in the page language: an HTTP status as it is, anything else (the fetch's own English
 * message, such as "fetch failed") as the error catalogue's text on a Danish page.
 */
function deliveryError(lang: Lang, error: string | null): string {
  if (!error || lang === 'en' || /^HTTP \d+$/.test(error)) return error ?? '';
  return errorText('webhook_delivery_failed', lang) ?? '';
}
