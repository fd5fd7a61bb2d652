import { ActionForm, Alert, BackLink, DataTable, FormField, PageHeader } from '../../web/components/index.ts';
import type { Lang } from '../../web/i18n.ts';
import { formatDateTime, isoDate } from '../../web/i18n.ts';
import type { ApiKeyListing } from './manage-api-keys.ts';

const strings = {
  da: {
    title: 'API-nøgler',
    intro:
      'Jeres fagsystemer sender breve gennem Kuverts API med en API-nøgle. En nøgle vises kun én gang, når den oprettes; Kuvert gemmer den ikke. Tilbagekald en nøgle, så snart den ikke længere bruges eller kan være kompromitteret.',
    newKey: 'Ny API-nøgle',
    label: 'Navn på nøglen',
    labelHint: 'Fx navnet på det system, der skal bruge den.',
    create: 'Opret nøgle',
    created: 'Nøglen er oprettet. Kopiér den nu – den bliver ikke vist igen.',
    keys: 'Nøgler',
    none: 'Der er ingen API-nøgler endnu.',
    colName: 'Navn',
    colKey: 'Nøgle',
    colCreated: 'Oprettet',
    colStatus: 'Status',
    active: 'Aktiv',
    revokedAt: 'Tilbagekaldt',
    revoke: 'Tilbagekald',
    revokeLabel: 'Tilbagekald nøglen',
    back: 'Tilbage til afsendte breve',
    test: 'Testnøgle',
    testHint:
      'Breve sendt med en testnøgle valideres og rutes som rigtige breve, men når aldrig frem til nogen: de ses kun i jeres testpostkasse.',
    colMode: 'Type',
    modeLive: 'Produktion',
    modeTest: 'Test',
  },
  en: {
    title: 'API keys',
    intro:
      'Your systems send letters through the Kuvert API with an API key. A key is shown only once, when it is created; Kuvert does not keep it. Revoke a key as soon as it is no longer used or may be compromised.',
    newKey: 'New API key',
    label: 'Name of the key',
    labelHint: 'For example the name of the system that will use it.',
    create: 'Create key',
    created: 'The key has been created. Copy it now – it will not be shown again.',
    keys: 'Keys',
    none: 'There are no API keys yet.',
    colName: 'Name',
    colKey: 'Key',
    colCreated: 'Created',
    colStatus: 'Status',
    active: 'Active',
    revokedAt: 'Revoked',
    revoke: 'Revoke',
    revokeLabel: 'Revoke the key',
    back: 'Back to sent letters',
    test: 'Test key (Testnøgle)',
    testHint:
      'Letters sent with a test key are validated and routed like real ones but never reach anybody: only your test mailbox shows them.',
    colMode: 'Mode',
    modeLive: 'Live',
    modeTest: 'Test',
  },
} satisfies Record<Lang, Record<string, string>>;

export function apiKeysTitle(lang: Lang): string {
  return strings[lang].title;
}

export function ApiKeysView(props: {
  lang: Lang;
  keys: ApiKeyListing[];
  csrf: JSX.Element;
  newKey?: string;
  error?: string;
  label?: string;
  test?: boolean;
}) {
  const s = strings[props.lang];
  return (
    <>
      <BackLink href="/afsender" text={s.back} />
      <PageHeader title={s.title} lead={s.intro} />
      {props.newKey ? (
        <Alert kind="success" role="status">
          <p class="alert-text" safe>
            {s.created}
          </p>
          <p>
            <code class="kuvert-secret" safe>
              {props.newKey}
            </code>
          </p>
        </Alert>
      ) : (
        ''
      )}
      <h2 safe>{s.newKey}</h2>
      <form method="post" action="/afsender/api-noegler" novalidate>
        {props.csrf}
        <FormField id="label" label={s.label} hint={s.labelHint} error={props.error}>
          <input
            class="form-input"
            id="label"
            name="label"
            type="text"
            maxlength="100"
            value={props.label ?? ''}
            aria-describedby={props.error ? 'label-hint label-error' : 'label-hint'}
          />
        </FormField>
        <div class="form-group">
          <div class="form-group-checkbox">
            <input
              class="form-checkbox"
              id="test"
              name="test"
              type="checkbox"
              value="1"
              checked={props.test === true}
              aria-describedby="test-hint"
            />
            <label class="form-label" for="test" safe>
              {s.test}
            </label>
            <span class="form-hint" id="test-hint" safe>
              {s.testHint}
            </span>
          </div>
        </div>
        <button type="submit" class="button button-primary" safe>
          {s.create}
        </button>
      </form>
      <h2 safe>{s.keys}</h2>
      {props.keys.length === 0 ? (
        <p safe>{s.none}</p>
      ) : (
        <DataTable columns={[s.colName, s.colMode, s.colKey, s.colCreated, s.colStatus]}>
          {props.keys.map((key) => (
            <tr>
              <td data-title={s.colName} safe>
                {key.label}
              </td>
              <td data-title={s.colMode}>
                {key.test ? (
                  <span class="badge badge-small kuvert-test-badge" safe>
                    {s.modeTest}
                  </span>
                ) : (
                  <span safe>{s.modeLive}</span>
                )}
              </td>
              <td data-title={s.colKey}>
                <code safe>{key.hint}</code>
              </td>
              <td data-title={s.colCreated}>
                <time datetime={isoDate(key.createdAt)} safe>
                  {formatDateTime(props.lang, key.createdAt)}
                </time>
              </td>
              <td data-title={s.colStatus}>
                {key.revokedAt ? (
                  <span safe>{`${s.revokedAt} ${formatDateTime(props.lang, key.revokedAt)}`}</span>
                ) : (
                  <ActionForm
                    action={`/afsender/api-noegler/${key.id}/tilbagekald`}
                    class={null}
                    csrf={props.csrf}
                    text={s.revoke}
                    ariaLabel={`${s.revokeLabel}: ${key.label}`}
                  >
                    <span safe>{s.active}</span>{' '}
                  </ActionForm>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
