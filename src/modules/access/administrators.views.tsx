import { ActionForm, DataTable, FormField, MessageAlert, PageHeader } from '../../web/components/index.ts';
import { isoDate, type Lang, translator } from '../../web/i18n.ts';
import type { Delegation } from './access.repository.ts';
import { day, type FormError, MailboxContext } from './access.views.tsx';
import type { Administrator } from './administrators.repository.ts';
import type { OpenableMailbox } from './mailbox-access.ts';

/** Who named an administrator: MitID Erhverv at login, or another administrator (seeded: neither). */
const howKey = { login: 'access.admins.how.login', citizen: 'access.admins.how.administrator' } as const;

/** The business's administrators page: who they are, removing one (never the last), naming a new one. */
export function AdministratorsView(props: {
  lang: Lang;
  csrf: JSX.Element;
  current: OpenableMailbox;
  administrators: Administrator[];
  /** Employees holding other access to the business, who can be made administrators with one button. */
  employees: Delegation[];
  done?: 'added' | 'removed';
  error?: FormError;
  values?: { cpr?: string; name?: string };
}) {
  const tr = translator(props.lang);
  const { current, error } = props;
  const values = props.values ?? {};
  const fieldError = (field: string) => (error?.field === field ? error.message : undefined);
  const last = props.administrators.length <= 1;
  return (
    <div class="kuvert-access kuvert-admins">
      <MailboxContext lang={props.lang} current={current} />
      <PageHeader title={tr('access.admins.heading', { name: current.owner.name })} />
      {props.done ? <MessageAlert kind="success" text={tr(`access.admins.done.${props.done}`)} /> : ''}
      {error ? <MessageAlert kind="error" text={error.message} /> : ''}
      <p safe>{tr('access.admins.intro')}</p>
      <DataTable
        columns={[
          tr('access.admins.col.person'),
          tr('access.col.since'),
          tr('access.admins.col.how'),
          tr('access.col.action'),
        ]}
        class="kuvert-admins-table"
      >
        {props.administrators.map((a) => {
          const how = howKey[a.createdByKind as keyof typeof howKey];
          return (
            <tr>
              <td data-title={tr('access.admins.col.person')} safe>
                {a.name}
              </td>
              <td data-title={tr('access.col.since')}>
                <time datetime={isoDate(a.since)} safe>
                  {day(props.lang, a.since)}
                </time>
              </td>
              <td data-title={tr('access.admins.col.how')} safe>
                {how ? tr(how) : '–'}
              </td>
              <td data-title={tr('access.col.action')}>
                {last ? (
                  <span safe>{tr('access.admins.lastNote')}</span>
                ) : (
                  <ActionForm
                    action={`/post/adgang/administratorer/${a.accessId}/fjern`}
                    csrf={props.csrf}
                    hidden={{ mailbox: current.owner.id }}
                    text={tr('access.admins.remove')}
                    ariaLabel={tr('access.admins.removeFor', { name: a.name })}
                  />
                )}
              </td>
            </tr>
          );
        })}
      </DataTable>

      {props.employees.length > 0 ? (
        <section class="mt-6">
          <h2 safe>{tr('access.admins.promote.heading')}</h2>
          <ul class="nobullet-list kuvert-admins-employees">
            {props.employees.map((d) => (
              <li class="mb-4">
                <span safe>{d.granteeName}</span>{' '}
                <ActionForm
                  action="/post/adgang/administratorer"
                  csrf={props.csrf}
                  hidden={{ mailbox: current.owner.id, accessId: d.id }}
                  text={tr('access.admins.promote.button')}
                  ariaLabel={tr('access.admins.promote.buttonFor', { name: d.granteeName })}
                />
              </li>
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}

      <section class="mt-6">
        <h2 safe>{tr('access.admins.add.heading')}</h2>
        <p safe>{tr('access.admins.add.text')}</p>
        <form method="post" action="/post/adgang/administratorer" novalidate autocomplete="off">
          {props.csrf}
          <input type="hidden" name="mailbox" value={current.owner.id} />
          <FormField
            id="admin-cpr"
            label={tr('access.grant.cpr')}
            hint={tr('access.grant.cprHint')}
            error={fieldError('cpr')}
          >
            <input
              class="form-input input-width-s"
              id="admin-cpr"
              name="cpr"
              type="text"
              inputmode="numeric"
              maxlength="11"
              value={values.cpr ?? ''}
              aria-describedby={fieldError('cpr') ? 'admin-cpr-hint admin-cpr-error' : 'admin-cpr-hint'}
              aria-invalid={fieldError('cpr') ? 'true' : undefined}
            />
          </FormField>
          <FormField
            id="admin-name"
            label={tr('access.grant.name')}
            hint={tr('access.grant.nameHint')}
            error={fieldError('name')}
          >
            <input
              class="form-input input-width-xl"
              id="admin-name"
              name="name"
              type="text"
              maxlength="200"
              value={values.name ?? ''}
              aria-describedby={fieldError('name') ? 'admin-name-hint admin-name-error' : 'admin-name-hint'}
              aria-invalid={fieldError('name') ? 'true' : undefined}
            />
          </FormField>
          <button type="submit" class="button button-primary" safe>
            {tr('access.admins.add.button')}
          </button>
        </form>
      </section>
      <p class="mt-6">
        <a href="/post/adgang" safe>
          {tr('access.title')}
        </a>
      </p>
    </div>
  );
}

/** On the access page of a business's mailbox (shown to its administrators only): the way to the administrators. */
export function AdministratorsLink({ lang }: { lang: Lang }) {
  return (
    <p>
      <a href="/post/adgang/administratorer" safe>
        {translator(lang)('access.admins.link')}
      </a>
    </p>
  );
}
