import { errorText } from '../../http/errors.ts';
import { formatDateTime, isoDate, type Lang, type MessageKey, type Translate, translator } from '../../web/i18n.ts';
import { Icon } from '../../web/icon.tsx';
import type { Delegation } from './access.repository.ts';
import type { ActivityItem } from './list-activity.ts';
import type { AccessLevel, AccessVia, DelegationKind } from './mailbox.policy.ts';
import type { OpenableMailbox } from './mailbox-access.ts';
import { DOCUMENT_REFERENCE_MAX } from './register-delegation.ts';

/** An error to show on a form: its stable code, the field it concerns (if any), and the message to show. */
export interface FormError {
  code: string;
  field?: string;
  message: string;
}

const errorCodes = new Set([
  'invalid_cpr',
  'name_required',
  'person_not_matched',
  'cannot_grant_self',
  'invalid_level',
  'invalid_end_date',
  'end_date_in_past',
  'already_has_access',
  'access_management_forbidden',
  'access_not_found',
  'invalid_kind',
  'document_reference_required',
  'document_reference_too_long',
  'not_a_minor_15_17',
  'grantee_not_found',
  'not_revocable_by_caseworker',
  'mailbox_not_openable',
]);

/** The readable message for an access error code, in the page's language (the error catalogue's text otherwise). */
export function accessErrorMessage(lang: Lang, code: string, fallback: string): string {
  return errorCodes.has(code)
    ? translator(lang)(`access.error.${code}` as MessageKey)
    : (errorText(code, lang) ?? fallback);
}

/** The last day a delegation holds (it ends at the following midnight, Copenhagen time). */
function lastDay(lang: Lang, endsAt: Date): string {
  return new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', {
    dateStyle: 'long',
    timeZone: 'Europe/Copenhagen',
  }).format(new Date(endsAt.getTime() - 1));
}

function day(lang: Lang, at: Date): string {
  return new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', {
    dateStyle: 'long',
    timeZone: 'Europe/Copenhagen',
  }).format(at);
}

function endText(lang: Lang, d: { kind: DelegationKind; endsAt: Date | null }): string {
  const tr = translator(lang);
  if (!d.endsAt) return tr('access.noEnd');
  if (d.kind === 'parent') return tr('access.untilEighteen', { date: day(lang, d.endsAt) });
  return tr('access.until', { date: lastDay(lang, d.endsAt) });
}

/** "Read access (power of attorney)", or "Administrator of the business". */
export function accessText(tr: Translate, level: AccessLevel, via: AccessVia | DelegationKind): string {
  if (level === 'owner') return via === 'business' ? tr('access.businessAdministrator') : tr('access.via.self');
  const how = via === 'grant' || via === 'self' ? '' : ` (${tr(`access.via.${via}`).toLocaleLowerCase()})`;
  return `${tr(`access.level.${level}`)}${how}`;
}

function Alert({ kind, text }: { kind: 'success' | 'error' | 'info'; text: string }) {
  return (
    <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <div class="alert-body">
        <p class={kind === 'error' ? 'alert-heading' : 'alert-text'} safe>
          {text}
        </p>
      </div>
    </div>
  );
}

function FieldError({ id, error }: { id: string; error: FormError | undefined }) {
  return error ? (
    <span class="form-error-message" id={id} safe>
      {error.message}
    </span>
  ) : (
    ''
  );
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter((id): id is string => typeof id === 'string');
  return list.length ? list.join(' ') : undefined;
}

/** Which mailbox the pages are about, with the way to switch. */
function MailboxContext({ lang, current }: { lang: Lang; current: OpenableMailbox }) {
  const tr = translator(lang);
  return (
    <p class="kuvert-access-context">
      <span safe>{tr('access.switch.current', { name: current.owner.name })}</span>{' '}
      <a href="/post/postkasser" safe>
        {tr('access.held.switch')}
      </a>
    </p>
  );
}

export interface GrantFormValues {
  cpr?: string;
  name?: string;
  level?: string;
  endDate?: string;
}

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
      <h1 safe>{own ? tr('access.heading') : tr('access.headingFor', { name: current.owner.name })}</h1>
      {props.done ? <Alert kind="success" text={tr(`access.done.${props.done}`)} /> : ''}
      {error ? <Alert kind="error" text={error.message} /> : ''}
      {props.given === null ? (
        <Alert kind="info" text={tr('access.notOwner', { name: current.owner.name })} />
      ) : (
        <>
          <p safe>{tr('access.intro')}</p>
          <h2 safe>{tr('access.given.heading')}</h2>
          {props.given.length === 0 ? (
            <p class="kuvert-access-none" safe>
              {tr('access.given.empty')}
            </p>
          ) : (
            <table class="table table--responsive-headers kuvert-access-table">
              <thead>
                <tr>
                  <th scope="col" safe>
                    {tr('access.col.person')}
                  </th>
                  <th scope="col" safe>
                    {tr('access.col.access')}
                  </th>
                  <th scope="col" safe>
                    {tr('access.col.since')}
                  </th>
                  <th scope="col" safe>
                    {tr('access.col.until')}
                  </th>
                  <th scope="col" safe>
                    {tr('access.col.action')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {props.given.map(({ delegation: d, revocable }) => (
                  <tr>
                    <td data-title={tr('access.col.person')} safe>
                      {d.granteeName}
                    </td>
                    <td data-title={tr('access.col.access')} safe>
                      {accessText(tr, d.level, d.kind)}
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
                        <form method="post" action={`/post/adgang/${d.id}/tilbagekald`} class="kuvert-inline-form">
                          {props.csrf}
                          <input type="hidden" name="mailbox" value={current.owner.id} />
                          <button
                            type="submit"
                            class="button button-secondary"
                            aria-label={tr('access.revoke.buttonFor', { name: d.granteeName })}
                            safe
                          >
                            {tr('access.revoke.button')}
                          </button>
                        </form>
                      ) : (
                        <span safe>{tr('access.revoke.parentNote')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
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
                <FieldError id="grant-cpr-error" error={fieldError('cpr')} />
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
                <FieldError id="grant-name-error" error={fieldError('name')} />
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
                <FieldError id="grant-level-error" error={fieldError('level')} />
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
                <FieldError id="grant-end-error" error={fieldError('endDate')} />
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
            <table class="table table--responsive-headers kuvert-access-held">
              <thead>
                <tr>
                  <th scope="col" safe>
                    {tr('access.col.mailbox')}
                  </th>
                  <th scope="col" safe>
                    {tr('access.col.access')}
                  </th>
                  <th scope="col" safe>
                    {tr('access.col.until')}
                  </th>
                </tr>
              </thead>
              <tbody>
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
              </tbody>
            </table>
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

/** The mailbox switcher: every mailbox the person may open, own first, each chosen by a small form. */
export function SwitchView(props: {
  lang: Lang;
  csrf: JSX.Element;
  mailboxes: OpenableMailbox[];
  current: OpenableMailbox;
  error?: FormError;
}) {
  const tr = translator(props.lang);
  return (
    <div class="kuvert-access">
      <h1 safe>{tr('access.switch.heading')}</h1>
      {props.error ? <Alert kind="error" text={props.error.message} /> : ''}
      <p safe>{tr('access.switch.intro')}</p>
      <p class="kuvert-access-current" safe>
        {tr('access.switch.current', { name: props.current.owner.name })}
      </p>
      <ul class="nobullet-list kuvert-mailbox-list">
        {props.mailboxes.map((m) => {
          const own = m.access.via === 'self';
          const isCurrent = m.owner.id === props.current.owner.id;
          const name = own ? tr('access.switch.own', { name: m.owner.name }) : m.owner.name;
          return (
            <li class="kuvert-mailbox-choice">
              <div>
                <p class="kuvert-mailbox-name">
                  <strong safe>{name}</strong>
                </p>
                <p class="form-hint" safe>
                  {`${tr(`access.switch.kind.${m.owner.kind}`)} · ${accessText(tr, m.access.level, m.access.via)}`}
                </p>
              </div>
              {isCurrent ? (
                <span class="kuvert-mailbox-current" safe>
                  {tr('access.switch.isCurrent')}
                </span>
              ) : (
                <form method="post" action="/post/postkasser">
                  {props.csrf}
                  <input type="hidden" name="mailbox" value={m.owner.id} />
                  <button
                    type="submit"
                    class="button button-secondary"
                    aria-label={tr('access.switch.openNamed', { name: m.owner.name })}
                    safe
                  >
                    {tr('access.switch.open')}
                  </button>
                </form>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Who did something, as the owner reads it. */
function whoText(tr: Translate, item: ActivityItem): string {
  switch (item.who.kind) {
    case 'owner':
      return item.who.viewerIsOwner ? tr('access.activity.you') : tr('access.activity.owner');
    case 'delegate':
      return item.who.level && item.who.via
        ? tr('access.activity.withAccess', {
            name: item.who.name,
            access: accessText(tr, item.who.level, item.who.via).toLocaleLowerCase(),
          })
        : item.who.name;
    case 'citizen_service':
      return item.who.municipality
        ? tr('access.activity.citizenService', { municipality: item.who.municipality })
        : tr('access.activity.citizenServiceUnknown');
    case 'unknown':
      return tr('access.activity.unknownPerson');
    default:
      return tr('access.activity.system');
  }
}

function whatText(lang: Lang, item: ActivityItem): string {
  const tr = translator(lang);
  const what = item.what;
  switch (what.kind) {
    case 'open':
      return tr('access.activity.open', { label: what.label ?? tr('access.activity.goneLetter') });
    case 'document_open':
      if (what.all)
        return tr('access.activity.documentsAll', { label: what.label ?? tr('access.activity.goneLetter') });
      return what.title
        ? tr('access.activity.documentOpen', {
            title: what.title,
            label: what.label ?? tr('access.activity.goneLetter'),
          })
        : tr('access.activity.documentOpenUntitled', { label: what.label ?? tr('access.activity.goneLetter') });
    case 'grant':
    case 'register':
    case 'revoke': {
      const access =
        what.level === 'owner' && what.delegationKind === 'business'
          ? tr('access.businessAdministrator').toLocaleLowerCase()
          : tr(`access.levelLower.${what.level}`);
      const name = what.granteeName ?? tr('access.activity.unknownPerson');
      const until =
        what.kind !== 'revoke' && what.endsAt
          ? ` ${tr('access.activity.until', { date: lastDay(lang, what.endsAt) })}`
          : '';
      if (what.kind === 'grant') return `${tr('access.activity.grant', { name, access })}${until}`;
      if (what.kind === 'register') {
        const kind = tr(`access.kindLower.${what.delegationKind}`);
        return `${tr('access.activity.register', { kind, name, access })}${until}`;
      }
      return tr('access.activity.revoke', { name, access });
    }
  }
}

/** The owner's activity log: who opened what and when, and changes to access. Newest first, keyset pages. */
export function ActivityView(props: {
  lang: Lang;
  current: OpenableMailbox;
  items: ActivityItem[];
  nextBefore: string | null;
  isContinuation: boolean;
}) {
  const tr = translator(props.lang);
  const own = props.current.access.via === 'self';
  return (
    <div class="kuvert-access">
      <MailboxContext lang={props.lang} current={props.current} />
      <h1 safe>
        {own ? tr('access.activity.headingOwn') : tr('access.activity.heading', { name: props.current.owner.name })}
      </h1>
      <p safe>{tr('access.activity.intro')}</p>
      {props.items.length === 0 ? (
        <p safe>{props.isContinuation ? tr('access.activity.emptyMore') : tr('access.activity.empty')}</p>
      ) : (
        <table class="table table--responsive-headers kuvert-activity">
          <thead>
            <tr>
              <th scope="col" safe>
                {tr('access.activity.col.when')}
              </th>
              <th scope="col" safe>
                {tr('access.activity.col.who')}
              </th>
              <th scope="col" safe>
                {tr('access.activity.col.what')}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((item) => (
              <tr>
                <td data-title={tr('access.activity.col.when')}>
                  <time datetime={isoDate(item.occurredAt)} safe>
                    {formatDateTime(props.lang, item.occurredAt)}
                  </time>
                </td>
                <td data-title={tr('access.activity.col.who')} safe>
                  {whoText(tr, item)}
                </td>
                <td data-title={tr('access.activity.col.what')} safe>
                  {whatText(props.lang, item)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.nextBefore || props.isContinuation ? (
        <nav class="kuvert-pagination" aria-label={tr('access.activity.pagination')}>
          {props.isContinuation ? (
            <a href="/post/aktivitet" safe>
              {tr('access.activity.first')}
            </a>
          ) : (
            ''
          )}
          {props.nextBefore ? (
            <a href={`/post/aktivitet?foer=${props.nextBefore}`} rel="next" safe>
              {tr('access.activity.next')}
            </a>
          ) : (
            ''
          )}
        </nav>
      ) : (
        ''
      )}
    </div>
  );
}

export interface DelegationFormValues {
  cpr?: string;
  level?: string;
  documentReference?: string;
  endDate?: string;
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
}) {
  const tr = translator(props.lang);
  const { person, failed } = props;
  const base = `/borgerservice/personer/${person.id}/adgang`;
  const poaFailed = failed?.form === 'power_of_attorney' ? failed : undefined;
  const parentFailed = failed?.form === 'parent' ? failed : undefined;

  function Field(p: {
    form: 'poa' | 'parent';
    name: 'cpr' | 'documentReference' | 'endDate';
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
        <FieldError id={`${id}-error`} error={bad} />
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
        <FieldError id={`${form}-level-error`} error={bad} />
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
      <p>
        <a class="back-link" href={`/borgerservice/personer/${person.id}`}>
          <Icon name="chevron-left" />
          <span safe>{tr('access.caseworker.back', { name: person.name })}</span>
        </a>
      </p>
      <h1 safe>{tr('access.caseworker.heading', { name: person.name })}</h1>
      {props.done ? <Alert kind="success" text={tr(`access.caseworker.done.${props.done}`)} /> : ''}
      {failed ? <Alert kind="error" text={failed.error.message} /> : ''}
      <p safe>{tr('access.caseworker.noContent')}</p>

      <h2 safe>{tr('access.caseworker.list.heading')}</h2>
      {props.delegations.length === 0 ? (
        <p safe>{tr('access.caseworker.list.empty')}</p>
      ) : (
        <table class="table table--responsive-headers kuvert-access-table">
          <thead>
            <tr>
              <th scope="col" safe>
                {tr('access.col.person')}
              </th>
              <th scope="col" safe>
                {tr('access.col.access')}
              </th>
              <th scope="col" safe>
                {tr('access.caseworker.col.reference')}
              </th>
              <th scope="col" safe>
                {tr('access.col.until')}
              </th>
              <th scope="col" safe>
                {tr('access.col.action')}
              </th>
            </tr>
          </thead>
          <tbody>
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
                    <form method="post" action={`${base}/${d.id}/ophaev`} class="kuvert-inline-form">
                      {props.csrf}
                      <button
                        type="submit"
                        class="button button-secondary"
                        aria-label={tr('access.caseworker.revoke.buttonFor', { name: d.granteeName })}
                        safe
                      >
                        {tr('access.caseworker.revoke.button')}
                      </button>
                    </form>
                  ) : (
                    <span safe>{tr('access.caseworker.grantByCitizen')}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
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
            value={poaFailed?.values.cpr}
            error={poaFailed?.error}
          />
          <LevelField form="poa" value={poaFailed?.values.level} error={poaFailed?.error} />
          <Field
            form="poa"
            name="documentReference"
            label={tr('access.caseworker.documentReference')}
            hint={tr('access.caseworker.documentReferenceHint')}
            width="input-width-l"
            maxlength={String(DOCUMENT_REFERENCE_MAX)}
            value={poaFailed?.values.documentReference}
            error={poaFailed?.error}
          />
          <Field
            form="poa"
            name="endDate"
            type="date"
            label={tr('access.grant.endDate')}
            width="input-width-s"
            value={poaFailed?.values.endDate}
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
                value={parentFailed?.values.cpr}
                error={parentFailed?.error}
              />
              <LevelField form="parent" value={parentFailed?.values.level} error={parentFailed?.error} />
              <Field
                form="parent"
                name="documentReference"
                label={tr('access.caseworker.documentReferenceOptional')}
                width="input-width-l"
                maxlength={String(DOCUMENT_REFERENCE_MAX)}
                value={parentFailed?.values.documentReference}
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
