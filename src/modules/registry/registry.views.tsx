import type { Enrolment } from '../../db/schema.ts';
import { errorText } from '../../http/errors.ts';
import { formatDateTime, isoDate, type Lang, type MessageKey, type Translate, translator } from '../../web/i18n.ts';
import { Icon } from '../../web/icon.tsx';
import { closeReasons } from './close-mailbox.ts';
import { exemptionGrounds } from './enrolment.ts';
import type { RegistrationView } from './get-registration.ts';
import { NOTE_MAX_LENGTH } from './register-exemption.ts';
import type { EnrolmentChange } from './registry.repository.ts';

/** An error to show on a form: its stable code, the field it concerns (if any), and the message to show. */
export interface FormError {
  code: string;
  field?: string;
  message: string;
}

const registryErrorKeys = new Set<string>([
  'invalid_cpr',
  'person_not_found',
  'not_your_municipality',
  'invalid_ground',
  'note_too_long',
  'invalid_reason',
  'confirmation_required',
  'already_enrolled',
  'already_exempted',
  'not_exempted',
  'already_closed',
  'mailbox_closed',
  'business_cannot_be_exempted',
  'too_young',
]);

/** The readable message for a registry error code, in the page's language (the error catalogue's text otherwise). */
export function registryErrorMessage(lang: Lang, code: string, fallback: string): string {
  const tr = translator(lang);
  return registryErrorKeys.has(code) ? tr(`registry.error.${code}` as MessageKey) : (errorText(code, lang) ?? fallback);
}

const citizenErrorKeys = new Set(['already_enrolled', 'mailbox_closed', 'too_young']);

/** The readable message for an error when a citizen enrols themselves. */
export function citizenErrorMessage(lang: Lang, code: string, fallback: string): string {
  const tr = translator(lang);
  return citizenErrorKeys.has(code) ? tr(`enrolment.error.${code}` as MessageKey) : (errorText(code, lang) ?? fallback);
}

export const maskCpr = (cpr: string) => `${cpr.slice(0, 6)}-****`;

const statusText = (tr: Translate, enrolment: Enrolment) => tr(`registry.status.${enrolment}`);

function formatDay(lang: Lang, day: string): string {
  return new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** What happened, in words: the change, with the ground of an exemption and the reason of a closing. */
function describeChange(tr: Translate, change: EnrolmentChange): string {
  if (change.kind === 'exempted') {
    const ground = change.exemptionGround ? tr(`registry.ground.${change.exemptionGround}`) : '';
    return tr('registry.change.exempted', { ground });
  }
  if (change.kind === 'closed') {
    const reason = closeReasons.find((r) => change.note === r || change.note?.startsWith(`${r}: `));
    return reason
      ? `${tr('registry.change.closed')}: ${tr(`registry.closeReason.${reason}`)}`
      : tr('registry.change.closed');
  }
  return tr(`registry.change.${change.kind}`);
}

/** The free-text part of a change's note (the automatic reason in words; a closing's reason is in "what"). */
function noteOf(tr: Translate, change: EnrolmentChange): string {
  const note = change.note ?? '';
  if (change.kind === 'enrolled_automatically') {
    return ['turned_15', 'moved_in', 'registered'].includes(note)
      ? tr(`registry.autoReason.${note as 'turned_15' | 'moved_in' | 'registered'}`)
      : note;
  }
  if (change.kind === 'closed') {
    for (const reason of closeReasons) {
      if (note === reason) return '';
      if (note.startsWith(`${reason}: `)) return note.slice(reason.length + 2);
    }
  }
  return note;
}

/**
 * Who made a change. The owner sees the citizen service and its municipality, never the caseworker's name;
 * the back office also sees the caseworker's name.
 */
function describeActor(tr: Translate, change: EnrolmentChange, viewer: { ownerId: string | null }): string {
  switch (change.actorKind) {
    case 'citizen':
      return viewer.ownerId === change.actorId ? tr('registry.actor.self') : tr('registry.actor.citizen');
    case 'caseworker': {
      const service = change.actorMunicipalityName
        ? tr('registry.actor.caseworker', { municipality: change.actorMunicipalityName })
        : tr('registry.actor.caseworkerUnknown');
      return viewer.ownerId === null && change.actorName ? `${service} (${change.actorName})` : service;
    }
    case 'population':
      return tr('registry.actor.population');
    default:
      return tr('registry.actor.system');
  }
}

function HistoryTable({
  lang,
  history,
  ownerId,
}: {
  lang: Lang;
  history: EnrolmentChange[];
  /** The citizen viewing their own history; null in the back office. */
  ownerId: string | null;
}) {
  const tr = translator(lang);
  if (history.length === 0) return <p safe>{tr('enrolment.historyEmpty')}</p>;
  return (
    <table class="table table--responsive-headers kuvert-history">
      <thead>
        <tr>
          <th scope="col" safe>
            {tr('enrolment.col.date')}
          </th>
          <th scope="col" safe>
            {tr('enrolment.col.what')}
          </th>
          <th scope="col" safe>
            {tr('enrolment.col.by')}
          </th>
          <th scope="col" safe>
            {tr('enrolment.col.note')}
          </th>
        </tr>
      </thead>
      <tbody>
        {[...history].reverse().map((change) => (
          <tr>
            <td data-title={tr('enrolment.col.date')}>
              <time datetime={isoDate(change.occurredAt)} safe>
                {formatDateTime(lang, change.occurredAt)}
              </time>
            </td>
            <td data-title={tr('enrolment.col.what')} safe>
              {describeChange(tr, change)}
            </td>
            <td data-title={tr('enrolment.col.by')} safe>
              {describeActor(tr, change, { ownerId })}
            </td>
            <td data-title={tr('enrolment.col.note')}>
              <span safe>{noteOf(tr, change) || (change.sendUnopenedAsPaper ? '' : '–')}</span>
              {change.sendUnopenedAsPaper ? (
                <span class="display-block" safe>
                  {tr('enrolment.paper')}
                </span>
              ) : (
                ''
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Alert({ kind, text }: { kind: 'success' | 'error'; text: string }) {
  return (
    <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <div class="alert-body">
        {kind === 'error' ? (
          <p class="alert-heading" safe>
            {text}
          </p>
        ) : (
          <p class="alert-text" safe>
            {text}
          </p>
        )}
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

/** The citizen's own page: status in plain words, the history, and enrolling voluntarily when not enrolled. */
export function OwnEnrolmentView(props: {
  lang: Lang;
  view: RegistrationView;
  csrf: JSX.Element;
  enrolled?: boolean;
  error?: FormError;
}) {
  const tr = translator(props.lang);
  const { registration, age, history } = props.view;
  const underAge = age !== null && age < 15;
  const canEnrol = registration.enrolment === 'exempted' || (registration.enrolment === 'not_enrolled' && !underAge);
  return (
    <div class="kuvert-enrolment">
      <h1 safe>{tr('enrolment.heading')}</h1>
      {props.enrolled ? <Alert kind="success" text={tr('enrolment.enrolled')} /> : ''}
      {props.error ? <Alert kind="error" text={props.error.message} /> : ''}
      <h2 safe>{tr('enrolment.status')}</h2>
      <p class="font-lead kuvert-enrolment-status">
        <strong safe>{statusText(tr, registration.enrolment)}</strong>
      </p>
      <p class="form-hint" safe>
        {tr('enrolment.since', { date: formatDateTime(props.lang, registration.enrolmentChangedAt) })}
      </p>
      {registration.exemptionGround ? (
        <dl class="kuvert-meta">
          <dt safe>{tr('enrolment.ground')}</dt>
          <dd class="kuvert-exemption-ground" safe>
            {tr(`registry.ground.${registration.exemptionGround}`)}
          </dd>
        </dl>
      ) : (
        ''
      )}
      <p safe>{tr(`enrolment.explain.${registration.enrolment}`)}</p>
      {registration.enrolment === 'not_enrolled' && underAge ? <p safe>{tr('enrolment.explain.underAge')}</p> : ''}
      {canEnrol ? (
        <section class="mt-6">
          <h2 safe>{tr('enrolment.enrol.heading')}</h2>
          <p safe>{tr('enrolment.enrol.text')}</p>
          <form method="post" action="/tilmelding/frivillig">
            {props.csrf}
            <button type="submit" class="button button-primary" safe>
              {tr('enrolment.enrol.button')}
            </button>
          </form>
        </section>
      ) : (
        ''
      )}
      <h2 class="mt-6" safe>
        {tr('enrolment.history')}
      </h2>
      <HistoryTable lang={props.lang} history={history} ownerId={registration.id} />
    </div>
  );
}

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
      <h1 safe>{tr('caseworker.heading')}</h1>
      <p class="font-lead" safe>
        {tr('caseworker.municipality', { municipality: props.municipality })}
      </p>
      <p safe>{tr('caseworker.noContent')}</p>
      {error ? <Alert kind="error" text={error.message} /> : ''}
      <h2 safe>{tr('caseworker.search.heading')}</h2>
      <form method="post" action="/borgerservice/soeg" novalidate autocomplete="off">
        {props.csrf}
        <div class={`form-group${error ? ' form-error' : ''}`}>
          <label class="form-label" for="cpr" safe>
            {tr('caseworker.search.label')}
          </label>
          <span class="form-hint" id="cpr-hint" safe>
            {tr('caseworker.search.hint')}
          </span>
          <FieldError id="cpr-error" error={error} />
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
        </div>
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
    <div class={`form-group${bad ? ' form-error' : ''}`}>
      <label class="form-label" for={id} safe>
        {tr('caseworker.note')}
      </label>
      <span class="form-hint" id={`${id}-hint`} safe>
        {tr('caseworker.note.hint')}
      </span>
      <FieldError id={`${id}-error`} error={bad ? error : undefined} />
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
    </div>
  );
}

/** A person in the back office: who, their status and history (never their mail), and the actions allowed. */
export function CaseworkerPersonView(props: {
  lang: Lang;
  view: RegistrationView;
  csrf: JSX.Element;
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
      <p>
        <a class="back-link" href="/borgerservice">
          <Icon name="chevron-left" />
          <span safe>{tr('caseworker.person.back')}</span>
        </a>
      </p>
      <h1 safe>{person.name}</h1>
      {props.done ? <Alert kind="success" text={tr(`caseworker.done.${props.done}`)} /> : ''}
      {failed ? <Alert kind="error" text={failed.error.message} /> : ''}
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
            <div class={`form-group${exemptFailed?.error.field === 'ground' ? ' form-error' : ''}`}>
              <label class="form-label" for="ground" safe>
                {tr('caseworker.exempt.ground')}
              </label>
              <FieldError
                id="ground-error"
                error={exemptFailed?.error.field === 'ground' ? exemptFailed.error : undefined}
              />
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
            </div>
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
          <div class="alert alert-warning">
            <div class="alert-body">
              <p class="alert-text" safe>
                {tr('caseworker.close.warning')}
              </p>
            </div>
          </div>
          <form method="post" action={`${base}/lukning`} novalidate>
            {props.csrf}
            <div class={`form-group${closeFailed?.error.field === 'reason' ? ' form-error' : ''}`}>
              <label class="form-label" for="reason" safe>
                {tr('caseworker.close.reason')}
              </label>
              <FieldError
                id="reason-error"
                error={closeFailed?.error.field === 'reason' ? closeFailed.error : undefined}
              />
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
            </div>
            <NoteField id="close-note" lang={props.lang} value={closeFailed?.values.note} error={closeFailed?.error} />
            <div class={`form-group${closeFailed?.error.field === 'confirm' ? ' form-error' : ''}`}>
              <FieldError
                id="confirm-error"
                error={closeFailed?.error.field === 'confirm' ? closeFailed.error : undefined}
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
