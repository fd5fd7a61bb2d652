import { Alert, BackLink, FieldError, FormField, MessageAlert, PageHeader } from '../../web/components/index.ts';
import { formatDateTime, type Lang, type MessageKey, type Translate, translator } from '../../web/i18n.ts';
import { closeReasons } from './close-mailbox.ts';
import { exemptionGrounds } from './enrolment.ts';
import type { RegistrationView } from './get-registration.ts';
import { NOTE_MAX_LENGTH } from './register-exemption.ts';
import { type FormError, formatDay, HistoryTable, maskCpr, statusText } from './registry.views.tsx';

/** The back office's start page: the caseworker's municipality and the search form (CPR in the body, never a URL). */
export function CaseworkerSearchView(props: {
  lang: Lang;
  municipality: string;
  csrf: JSX.Element;
  cpr?: string;
  error?: FormError;
}) {
  const tr = translator(props.lang);
  const error = props.error;
  return (
    <>
      <PageHeader
        title={tr('caseworker.heading')}
        lead={tr('caseworker.municipality', { municipality: props.municipality })}
      />
      <p safe>{tr('caseworker.noContent')}</p>
      {error ? <MessageAlert kind="error" text={error.message} /> : ''}
      <h2 safe>{tr('caseworker.search.heading')}</h2>
      <form method="post" action="/borgerservice/soeg" novalidate autocomplete="off">
        {props.csrf}
        <FormField
          id="cpr"
          label={tr('caseworker.search.label')}
          hint={tr('caseworker.search.hint')}
          error={error?.message}
        >
          <input
            class="form-input input-width-s"
            id="cpr"
            name="cpr"
            type="text"
            inputmode="numeric"
            maxlength="11"
            value={props.cpr ?? ''}
            aria-describedby={error ? 'cpr-hint cpr-error' : 'cpr-hint'}
            aria-invalid={error ? 'true' : undefined}
          />
        </FormField>
        <button type="submit" class="button button-primary" safe>
          {tr('caseworker.search.button')}
        </button>
      </form>
    </>
  );
}

/** Which action form failed, with what the caseworker had entered (kept on the re-rendered page). */
export type FailedAction =
  | { form: 'exempt'; error: FormError; values: { ground?: string; note?: string; paper?: boolean } }
  | { form: 'reenrol'; error: FormError; values: { note?: string } }
  | { form: 'close'; error: FormError; values: { reason?: string; note?: string; confirm?: boolean } };

export type DoneAction = 'exempted' | 're_enrolled' | 'closed';

function NoteField({ id, lang, value, error }: { id: string; lang: Lang; value?: string; error?: FormError }) {
  const tr = translator(lang);
  const bad = error?.field === 'note';
  return (
    <FormField
      id={id}
      label={tr('caseworker.note')}
      hint={tr('caseworker.note.hint')}
      error={(bad ? error : undefined)?.message}
    >
      <textarea
        class="form-input"
        id={id}
        name="note"
        rows="3"
        maxlength={String(NOTE_MAX_LENGTH)}
        aria-describedby={bad ? `${id}-hint ${id}-error` : `${id}-hint`}
        safe
      >
        {value ?? ''}
      </textarea>
    </FormField>
  );
}

/** A person in the back office: who, their status and history (never their mail), and the actions allowed. */
export function CaseworkerPersonView(props: {
  lang: Lang;
  view: RegistrationView;
  csrf: JSX.Element;
  /** KUVERT_DEATH_RETENTION_YEARS: how long a mailbox closed by death keeps its post. */
  deathRetentionYears: number;
  done?: DoneAction;
  failed?: FailedAction;
}) {
  const tr = translator(props.lang);
  const { registration: person, age, history } = props.view;
  const base = `/borgerservice/personer/${person.id}`;
  const failed = props.failed;
  const exemptFailed = failed?.form === 'exempt' ? failed : undefined;
  const reenrolFailed = failed?.form === 'reenrol' ? failed : undefined;
  const closeFailed = failed?.form === 'close' ? failed : undefined;
  const canExempt = person.enrolment !== 'exempted' && person.enrolment !== 'closed';
  return (
    <div class="kuvert-person">
      <BackLink href="/borgerservice" text={tr('caseworker.person.back')} />
      <PageHeader title={person.name} />
      {props.done ? <MessageAlert kind="success" text={tr(`caseworker.done.${props.done}`)} /> : ''}
      {failed ? <MessageAlert kind="error" text={failed.error.message} /> : ''}
      {person.addressDoubtfulSince ? (
        <Alert
          kind="warning"
          role="note"
          text={tr('caseworker.person.addressDoubt', {
            reason: doubtReason(tr, person.addressDoubtReason),
            date: formatDateTime(props.lang, person.addressDoubtfulSince),
          })}
        />
      ) : (
        ''
      )}
      <dl class="kuvert-meta">
        <dt safe>{tr('caseworker.person.cpr')}</dt>
        <dd safe>{person.cpr ? maskCpr(person.cpr) : '–'}</dd>
        <dt safe>{tr('caseworker.person.age')}</dt>
        <dd safe>{age === null ? '–' : tr('caseworker.person.ageValue', { age })}</dd>
        <dt safe>{tr('caseworker.person.municipality')}</dt>
        <dd safe>{person.municipalityName ?? person.municipalityCode ?? '–'}</dd>
        <dt safe>{tr('caseworker.person.status')}</dt>
        <dd class="kuvert-person-status" safe>
          {statusText(tr, person.enrolment)}
        </dd>
        {person.exemptionGround ? (
          <>
            <dt safe>{tr('caseworker.person.ground')}</dt>
            <dd safe>{tr(`registry.ground.${person.exemptionGround}`)}</dd>
          </>
        ) : (
          ''
        )}
        {person.closedReason ? (
          <>
            <dt safe>{tr('caseworker.person.closedReason')}</dt>
            <dd safe>{tr(`registry.closeReason.${person.closedReason}`)}</dd>
          </>
        ) : (
          ''
        )}
        <dt safe>{tr('caseworker.person.address')}</dt>
        <dd class="kuvert-person-address">
          {postalAddress(person).map((line) => (
            <span class="kuvert-address-line" safe>
              {line}
            </span>
          ))}
          {postalAddress(person).length === 0 ? <span safe>{tr('caseworker.person.noAddress')}</span> : ''}
          {person.addressDoubtfulSince ? (
            <strong class="kuvert-address-doubt" safe>
              {tr('caseworker.person.addressDoubtful')}
            </strong>
          ) : (
            ''
          )}
        </dd>
        {person.deleteAfter ? (
          <>
            <dt safe>{tr('caseworker.person.deleteAfter')}</dt>
            <dd safe>{formatDay(props.lang, person.deleteAfter)}</dd>
          </>
        ) : (
          ''
        )}
      </dl>
      <p>
        <a href={`${base}/adgang`} safe>
          {tr('access.caseworker.link')}
        </a>
      </p>

      <h2 class="mt-6" safe>
        {tr('caseworker.actions')}
      </h2>
      {person.enrolment === 'closed' ? <p safe>{tr('caseworker.closedNoActions')}</p> : ''}
      {canExempt ? (
        <section class="mt-5">
          <h3 safe>{tr('caseworker.exempt.heading')}</h3>
          <p safe>{tr('caseworker.exempt.text')}</p>
          <form method="post" action={`${base}/fritagelse`} novalidate>
            {props.csrf}
            <FormField
              id="ground"
              label={tr('caseworker.exempt.ground')}
              error={(exemptFailed?.error.field === 'ground' ? exemptFailed.error : undefined)?.message}
            >
              <select
                class="form-select"
                id="ground"
                name="ground"
                aria-describedby={exemptFailed?.error.field === 'ground' ? 'ground-error' : undefined}
              >
                <option value="" safe>
                  {tr('caseworker.exempt.chooseGround')}
                </option>
                {exemptionGrounds.map((ground) => (
                  <option value={ground} selected={exemptFailed?.values.ground === ground} safe>
                    {tr(`registry.ground.${ground}`)}
                  </option>
                ))}
              </select>
            </FormField>
            <NoteField
              id="exempt-note"
              lang={props.lang}
              value={exemptFailed?.values.note}
              error={exemptFailed?.error}
            />
            <div class="form-group form-group-checkbox">
              <input
                id="paper"
                type="checkbox"
                name="paper"
                value="1"
                class="form-checkbox"
                checked={exemptFailed?.values.paper ?? false}
              />
              <label for="paper" class="form-label" safe>
                {tr('caseworker.exempt.paper')}
              </label>
            </div>
            <button type="submit" class="button button-primary" safe>
              {tr('caseworker.exempt.button')}
            </button>
          </form>
        </section>
      ) : (
        ''
      )}
      {person.enrolment === 'exempted' ? (
        <section class="mt-5">
          <h3 safe>{tr('caseworker.reenrol.heading')}</h3>
          <p safe>{tr('caseworker.reenrol.text')}</p>
          <form method="post" action={`${base}/gentilmelding`} novalidate>
            {props.csrf}
            <NoteField
              id="reenrol-note"
              lang={props.lang}
              value={reenrolFailed?.values.note}
              error={reenrolFailed?.error}
            />
            <button type="submit" class="button button-primary" safe>
              {tr('caseworker.reenrol.button')}
            </button>
          </form>
        </section>
      ) : (
        ''
      )}
      {person.enrolment !== 'closed' ? (
        <section class="mt-5">
          <h3 safe>{tr('caseworker.close.heading')}</h3>
          <Alert kind="warning">
            <p class="alert-text" safe>
              {tr('caseworker.close.warning', { years: props.deathRetentionYears })}
            </p>
          </Alert>
          <form method="post" action={`${base}/lukning`} novalidate>
            {props.csrf}
            <FormField
              id="reason"
              label={tr('caseworker.close.reason')}
              error={(closeFailed?.error.field === 'reason' ? closeFailed.error : undefined)?.message}
            >
              <select class="form-select" id="reason" name="reason">
                <option value="" safe>
                  {tr('caseworker.close.chooseReason')}
                </option>
                {closeReasons.map((reason) => (
                  <option value={reason} selected={closeFailed?.values.reason === reason} safe>
                    {tr(`registry.closeReason.${reason}`)}
                  </option>
                ))}
              </select>
            </FormField>
            <NoteField id="close-note" lang={props.lang} value={closeFailed?.values.note} error={closeFailed?.error} />
            <div class={`form-group${closeFailed?.error.field === 'confirm' ? ' form-error' : ''}`}>
              <FieldError
                id="confirm-error"
                message={(closeFailed?.error.field === 'confirm' ? closeFailed.error : undefined)?.message}
              />
              <div class="form-group-checkbox">
                <input
                  id="confirm"
                  type="checkbox"
                  name="confirm"
                  value="1"
                  class="form-checkbox"
                  checked={closeFailed?.values.confirm ?? false}
                />
                <label for="confirm" class="form-label" safe>
                  {tr('caseworker.close.confirm')}
                </label>
              </div>
            </div>
            <button type="submit" class="button button-secondary" safe>
              {tr('caseworker.close.button')}
            </button>
          </form>
        </section>
      ) : (
        ''
      )}

      <h2 class="mt-6" safe>
        {tr('enrolment.history')}
      </h2>
      <HistoryTable lang={props.lang} history={history} ownerId={null} />
    </div>
  );
}

/** The postal address as lines: the street lines, then "postcode city" (empty when the registry has none). */
function postalAddress(person: RegistrationView['registration']): string[] {
  const place = [person.postcode, person.city].filter(Boolean).join(' ');
  return [...person.addressLines.filter((line) => line.trim()), ...(place ? [place] : [])];
}

const DOUBT_REASONS = new Set(['unknown_addressee', 'moved', 'insufficient_address', 'deceased', 'other']);
const doubtReason = (tr: Translate, reason: string | null) =>
  tr(`registry.addressDoubt.${reason && DOUBT_REASONS.has(reason) ? reason : 'other'}` as MessageKey);
