import {
  ActionForm,
  DataTable,
  describedBy,
  FieldError,
  MessageAlert,
  PageHeader,
} from '../../web/components/index.ts';
import { isoDate, type Lang, translator } from '../../web/i18n.ts';
import type { Delegation } from './access.repository.ts';
import { accessText, day, endText, type FormError, type GrantFormValues, MailboxContext } from './access.views.tsx';
import { AdministratorsLink } from './administrators.views.tsx';
import type { OpenableMailbox } from './mailbox-access.ts';

/** The citizen's access page: who has access to the mailbox (and revoking it), giving access, and access held. */
export function AccessView(props: {
  lang: Lang;
  csrf: JSX.Element;
  current: OpenableMailbox;
  /** Null when the actor may not manage access to the current mailbox. */
  given: { delegation: Delegation; revocable: boolean }[] | null;
  held: Delegation[];
  done?: 'granted' | 'revoked';
  error?: FormError;
  values?: GrantFormValues;
}) {
  const tr = translator(props.lang);
  const { current, error } = props;
  const own = current.access.via === 'self';
  const values = props.values ?? {};
  const fieldError = (field: string) => (error?.field === field ? error : undefined);
  return (
    <div class="kuvert-access">
      <MailboxContext lang={props.lang} current={current} />
      <PageHeader title={own ? tr('access.heading') : tr('access.headingFor', { name: current.owner.name })} />
      {props.done ? <MessageAlert kind="success" text={tr(`access.done.${props.done}`)} /> : ''}
      {error ? <MessageAlert kind="error" text={error.message} /> : ''}
      {props.given === null ? (
        <MessageAlert kind="info" text={tr('access.notOwner', { name: current.owner.name })} />
      ) : (
        <>
          <p safe>{tr('access.intro')}</p>
          {current.owner.kind === 'business' ? <AdministratorsLink lang={props.lang} /> : ''}
          <h2 safe>{tr('access.given.heading')}</h2>
          {props.given.length === 0 ? (
            <p class="kuvert-access-none" safe>
              {tr('access.given.empty')}
            </p>
          ) : (
            <DataTable
              columns={[
                tr('access.col.person'),
                tr('access.col.access'),
                tr('access.col.since'),
                tr('access.col.until'),
                tr('access.col.action'),
              ]}
              class="kuvert-access-table"
            >
              {props.given.map(({ delegation: d, revocable }) => (
                <tr>
                  <td data-title={tr('access.col.person')} safe>
                    {d.granteeName}
                  </td>
                  <td data-title={tr('access.col.access')}>
                    <span safe>{accessText(tr, d.level, d.kind)}</span>
                    {d.mailboxKind === 'business' && d.level !== 'owner' ? (
                      // Folder scope (issue 17): the page lives in the mailbox module, which lists the folders.
                      <a class="kuvert-grant-folders-link" href={`/post/adgang/${d.id}/mapper`} safe>
                        {d.folderIds === null
                          ? tr('grantFolders.change')
                          : tr('grantFolders.scope', { folders: String(d.folderIds.length) })}
                      </a>
                    ) : (
                      ''
                    )}
                  </td>
                  <td data-title={tr('access.col.since')}>
                    <time datetime={isoDate(d.createdAt)} safe>
                      {day(props.lang, d.createdAt)}
                    </time>
                  </td>
                  <td data-title={tr('access.col.until')} safe>
                    {endText(props.lang, d)}
                  </td>
                  <td data-title={tr('access.col.action')}>
                    {revocable ? (
                      <ActionForm
                        action={`/post/adgang/${d.id}/tilbagekald`}
                        csrf={props.csrf}
                        hidden={{ mailbox: current.owner.id }}
                        text={tr('access.revoke.button')}
                        ariaLabel={tr('access.revoke.buttonFor', { name: d.granteeName })}
                      />
                    ) : d.level === 'owner' ? (
                      <AdministratorsLink lang={props.lang} />
                    ) : (
                      <span safe>{tr('access.revoke.parentNote')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}

          <section class="mt-6">
            <h2 safe>{tr('access.grant.heading')}</h2>
            <p safe>{tr('access.grant.text')}</p>
            <form method="post" action="/post/adgang" novalidate autocomplete="off">
              {props.csrf}
              <input type="hidden" name="mailbox" value={current.owner.id} />
              <div class={`form-group${fieldError('cpr') ? ' form-error' : ''}`}>
                <label class="form-label" for="grant-cpr" safe>
                  {tr('access.grant.cpr')}
                </label>
                <span class="form-hint" id="grant-cpr-hint" safe>
                  {tr('access.grant.cprHint')}
                </span>
                <FieldError id="grant-cpr-error" message={fieldError('cpr')?.message} />
                <input
                  class="form-input input-width-s"
                  id="grant-cpr"
                  name="cpr"
                  type="text"
                  inputmode="numeric"
                  maxlength="11"
                  value={values.cpr ?? ''}
                  aria-describedby={describedBy('grant-cpr-hint', fieldError('cpr') && 'grant-cpr-error')}
                  aria-invalid={fieldError('cpr') ? 'true' : undefined}
                />
              </div>
              <div class={`form-group${fieldError('name') ? ' form-error' : ''}`}>
                <label class="form-label" for="grant-name" safe>
                  {tr('access.grant.name')}
                </label>
                <span class="form-hint" id="grant-name-hint" safe>
                  {tr('access.grant.nameHint')}
                </span>
                <FieldError id="grant-name-error" message={fieldError('name')?.message} />
                <input
                  class="form-input input-width-xl"
                  id="grant-name"
                  name="name"
                  type="text"
                  maxlength="200"
                  value={values.name ?? ''}
                  aria-describedby={describedBy('grant-name-hint', fieldError('name') && 'grant-name-error')}
                  aria-invalid={fieldError('name') ? 'true' : undefined}
                />
              </div>
              <fieldset
                class={`form-group${fieldError('level') ? ' form-error' : ''}`}
                aria-describedby={fieldError('level') ? 'grant-level-error' : undefined}
              >
                <legend class="form-label" safe>
                  {tr('access.grant.level')}
                </legend>
                <FieldError id="grant-level-error" message={fieldError('level')?.message} />
                <ul class="nobullet-list">
                  {(['read', 'read_write'] as const).map((level) => (
                    <li>
                      <input
                        id={`grant-level-${level}`}
                        type="radio"
                        name="level"
                        value={level}
                        class="form-radio radio-large"
                        checked={(values.level ?? 'read') === level}
                        aria-describedby={`grant-level-${level}-hint`}
                      />
                      <label for={`grant-level-${level}`} class="form-label" safe>
                        {tr(`access.level.${level}`)}
                      </label>
                      <span class="form-hint kuvert-radio-hint" id={`grant-level-${level}-hint`} safe>
                        {tr(`access.explain.${level}`)}
                      </span>
                    </li>
                  ))}
                </ul>
              </fieldset>
              <div class={`form-group${fieldError('endDate') ? ' form-error' : ''}`}>
                <label class="form-label" for="grant-end" safe>
                  {tr('access.grant.endDate')}
                </label>
                <span class="form-hint" id="grant-end-hint" safe>
                  {tr('access.grant.endDateHint')}
                </span>
                <FieldError id="grant-end-error" message={fieldError('endDate')?.message} />
                <input
                  class="form-input input-width-s"
                  id="grant-end"
                  name="endDate"
                  type="date"
                  value={values.endDate ?? ''}
                  aria-describedby={describedBy('grant-end-hint', fieldError('endDate') && 'grant-end-error')}
                  aria-invalid={fieldError('endDate') ? 'true' : undefined}
                />
              </div>
              <button type="submit" class="button button-primary" safe>
                {tr('access.grant.button')}
              </button>
            </form>
          </section>
        </>
      )}

      <section class="mt-6">
        <h2 safe>{tr('access.held.heading')}</h2>
        {props.held.length === 0 ? (
          <p safe>{tr('access.held.empty')}</p>
        ) : (
          <>
            <p safe>{tr('access.held.intro')}</p>
            <DataTable
              columns={[tr('access.col.mailbox'), tr('access.col.access'), tr('access.col.until')]}
              class="kuvert-access-held"
            >
              {props.held.map((d) => (
                <tr>
                  <td data-title={tr('access.col.mailbox')} safe>
                    {d.mailboxName}
                  </td>
                  <td data-title={tr('access.col.access')} safe>
                    {accessText(tr, d.level, d.mailboxKind === 'business' ? 'business' : d.kind)}
                  </td>
                  <td data-title={tr('access.col.until')} safe>
                    {endText(props.lang, d)}
                  </td>
                </tr>
              ))}
            </DataTable>
            <p>
              <a href="/post/postkasser" safe>
                {tr('access.held.switch')}
              </a>
            </p>
          </>
        )}
      </section>
    </div>
  );
}
