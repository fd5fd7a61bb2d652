import { errorText as catalogueText } from '../../http/errors.ts';
import type { AppError } from '../../http/problem.ts';
import { Alert, BackLink, describedBy, FormField, PageHeader } from '../../web/components/index.ts';
import { FormTextError, formTextMessage } from '../../web/form-text.ts';
import { formatCount } from '../../web/format-number.ts';
import { type Lang, translator } from '../../web/i18n.ts';
import type { ContactPoint } from './contact-points.ts';
import { ErrorSummary, FieldError } from './shared.views.tsx';

export const forwardUrl = (letterId: string) => `/post/${letterId}/videresend`;

/** What the forward form holds, kept across an error and the confirmation step (the CPR number in the body only). */
export interface ForwardFormValues {
  to: 'person' | 'authority' | '';
  cpr: string;
  name: string;
  contactPoint: string;
  note: string;
  formKey: string;
}

export interface ForwardLetter {
  id: string;
  label: string;
  senderName: string;
}

type ContactPointGroups = { senderId: string; senderName: string; contactPoints: ContactPoint[] }[];

/** The form control an error belongs to. */
export function forwardControl(error: AppError): 'to' | 'cpr' | 'name' | 'contactPoint' | 'note' {
  const field = (error.field ?? '').replace(/^\//, '');
  if (field === 'name' || field === 'contactPoint' || field === 'note' || field === 'to') return field;
  return 'cpr';
}

/** A forward error in the reader's language (every code has its catalogue text; typed-text problems their own). */
export function forwardErrorText(lang: Lang, error: AppError): string {
  if (error instanceof FormTextError) return formTextMessage(lang, error);
  return catalogueText(error.code, lang) ?? error.message;
}

function LetterLine({ lang, letter }: { lang: Lang; letter: ForwardLetter }) {
  const tr = translator(lang);
  return (
    <p class="kuvert-forward-letter" safe>
      {tr('corr.forward.letterLine', { label: letter.label, sender: letter.senderName })}
    </p>
  );
}

/** /post/:id/videresend: to a person (CPR number and name) or to an authority's contact point, with a note. */
export function ForwardView(props: {
  lang: Lang;
  csrf: JSX.Element;
  letter: ForwardLetter;
  groups: ContactPointGroups;
  values: ForwardFormValues;
  error: AppError | null;
  onBehalfOf: string | null;
  noteMax: number;
}) {
  const { lang, values, error } = props;
  const tr = translator(lang);
  const control = error ? forwardControl(error) : null;
  const message = error ? forwardErrorText(lang, error) : null;
  const errorAt = (name: string) => (control === name ? message : null);
  const invalid = (name: string) => (control === name ? 'true' : undefined);
  return (
    <div class="kuvert-corr kuvert-forward">
      <BackLink href={`/post/${props.letter.id}`} text={tr('corr.forward.back')} />
      <PageHeader title={tr('corr.forward.heading')} lead={tr('corr.forward.lead')} />
      <LetterLine lang={lang} letter={props.letter} />
      {error && message ? (
        <ErrorSummary lang={lang} text={message} target={control === 'to' ? 'to-person' : (control ?? 'cpr')} />
      ) : (
        ''
      )}
      {props.onBehalfOf ? (
        <Alert kind="info" role="note">
          <p class="alert-text" safe>
            {tr('corr.forward.onBehalf', { owner: props.onBehalfOf })}
          </p>
        </Alert>
      ) : (
        ''
      )}
      <form method="post" action={forwardUrl(props.letter.id)} class="kuvert-forward-form" novalidate>
        {props.csrf}
        <input type="hidden" name="formKey" value={values.formKey} />
        <input type="hidden" name="step" value="confirm" />
        <fieldset class={`form-group${errorAt('to') ? ' form-error' : ''}`}>
          <legend class="form-label" safe>
            {tr('corr.forward.to')}
          </legend>
          <FieldError lang={lang} id="to-error" text={errorAt('to')} />
          <ul class="nobullet-list">
            <li>
              <input
                class="form-radio radio-large"
                type="radio"
                id="to-person"
                name="to"
                value="person"
                checked={values.to === 'person'}
                aria-describedby={describedBy(errorAt('to') && 'to-error')}
              />
              <label for="to-person" safe>
                {tr('corr.forward.toPerson')}
              </label>
            </li>
            <li>
              <input
                class="form-radio radio-large"
                type="radio"
                id="to-authority"
                name="to"
                value="authority"
                checked={values.to === 'authority'}
              />
              <label for="to-authority" safe>
                {tr('corr.forward.toAuthority')}
              </label>
            </li>
          </ul>
        </fieldset>

        <div class="kuvert-forward-person">
          <h2 class="h3" safe>
            {tr('corr.forward.personHeading')}
          </h2>
          <p class="form-hint" id="person-hint" safe>
            {tr('corr.forward.personHint')}
          </p>
          <FormField
            id="cpr"
            label={tr('corr.forward.cpr')}
            hint={tr('corr.forward.cprHint')}
            error={errorAt('cpr')}
            errorPrefix={tr('corr.errorPrefix')}
          >
            <input
              class="form-input input-width-s"
              id="cpr"
              name="cpr"
              type="text"
              inputmode="numeric"
              autocomplete="off"
              maxlength="11"
              value={values.cpr}
              aria-invalid={invalid('cpr')}
              aria-describedby={describedBy('cpr-hint', errorAt('cpr') && 'cpr-error')}
            />
          </FormField>
          <FormField
            id="name"
            label={tr('corr.forward.name')}
            error={errorAt('name')}
            errorPrefix={tr('corr.errorPrefix')}
          >
            <input
              class="form-input"
              id="name"
              name="name"
              type="text"
              autocomplete="off"
              maxlength="200"
              value={values.name}
              aria-invalid={invalid('name')}
              aria-describedby={describedBy(errorAt('name') && 'name-error')}
            />
          </FormField>
        </div>
        <div class="kuvert-forward-authority">
          <h2 class="h3" safe>
            {tr('corr.forward.authorityHeading')}
          </h2>
          <FormField
            id="contactPoint"
            label={tr('corr.forward.contactPoint')}
            hint={tr('corr.forward.contactPointHint')}
            error={errorAt('contactPoint')}
            errorPrefix={tr('corr.errorPrefix')}
          >
            <select
              class="form-select"
              id="contactPoint"
              name="contactPoint"
              aria-invalid={invalid('contactPoint')}
              aria-describedby={describedBy('contactPoint-hint', errorAt('contactPoint') && 'contactPoint-error')}
            >
              <option value="" safe>
                {tr('corr.forward.chooseContactPoint')}
              </option>
              {props.groups.map((group) => (
                <optgroup label={group.senderName}>
                  {group.contactPoints.map((cp) => (
                    <option value={cp.id} selected={values.contactPoint === cp.id} safe>
                      {`${group.senderName}: ${cp.name}`}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </FormField>
        </div>
        <FormField
          id="note"
          label={tr('corr.forward.note')}
          hint={tr('corr.forward.noteHint', { max: formatCount(lang, props.noteMax) })}
          error={errorAt('note')}
          errorPrefix={tr('corr.errorPrefix')}
          class="kuvert-forward-note-group"
        >
          <textarea
            class="form-input"
            id="note"
            name="note"
            rows="4"
            maxlength={String(props.noteMax)}
            aria-invalid={invalid('note')}
            aria-describedby={describedBy('note-hint', errorAt('note') && 'note-error')}
            safe
          >
            {values.note}
          </textarea>
        </FormField>
        <button type="submit" class="button button-primary kuvert-forward-continue" safe>
          {tr('corr.forward.continue')}
        </button>
      </form>
    </div>
  );
}

/** The confirmation step: names the letter and the recipient; sends, or goes back to the form with the values. */
export function ForwardConfirmView(props: {
  lang: Lang;
  csrf: JSX.Element;
  letter: ForwardLetter;
  values: ForwardFormValues;
  recipientName: string;
  note: string | null;
}) {
  const { lang, values } = props;
  const tr = translator(lang);
  const hidden = (step: string) => (
    <>
      {props.csrf}
      <input type="hidden" name="step" value={step} />
      <input type="hidden" name="formKey" value={values.formKey} />
      <input type="hidden" name="to" value={values.to} />
      {values.to === 'person' ? (
        <>
          <input type="hidden" name="cpr" value={values.cpr} />
          <input type="hidden" name="name" value={values.name} />
        </>
      ) : (
        <input type="hidden" name="contactPoint" value={values.contactPoint} />
      )}
      <input type="hidden" name="note" value={values.note} />
    </>
  );
  return (
    <div class="kuvert-corr kuvert-forward">
      <PageHeader title={tr('corr.forward.confirmHeading')} />
      <p class="font-lead" safe>
        {tr('corr.forward.confirmText', { label: props.letter.label, name: props.recipientName })}
      </p>
      <dl class="kuvert-meta kuvert-forward-summary">
        <dt safe>{tr('corr.forward.letter')}</dt>
        <dd safe>{tr('corr.forward.letterLine', { label: props.letter.label, sender: props.letter.senderName })}</dd>
        <dt safe>{tr('corr.forward.recipient')}</dt>
        <dd safe>{props.recipientName}</dd>
        <dt safe>{tr('corr.forward.noteSummary')}</dt>
        <dd class="kuvert-forward-note" safe>
          {props.note ?? tr('corr.forward.noNote')}
        </dd>
      </dl>
      <p safe>{values.to === 'person' ? tr('corr.forward.personEffect') : tr('corr.forward.authorityEffect')}</p>
      <div class="kuvert-forward-buttons">
        <form method="post" action={forwardUrl(props.letter.id)}>
          {hidden('send')}
          <button type="submit" class="button button-primary" safe>
            {tr('corr.forward.send')}
          </button>
        </form>
        <form method="post" action={forwardUrl(props.letter.id)}>
          {hidden('edit')}
          <button type="submit" class="button button-secondary" safe>
            {tr('corr.forward.edit')}
          </button>
        </form>
      </div>
    </div>
  );
}

/** The letter cannot be forwarded by this person now (read-only access, an unserved legal notification). */
export function CannotForwardView({ lang, letterId, error }: { lang: Lang; letterId: string; error: AppError }) {
  const tr = translator(lang);
  return (
    <div class="kuvert-corr kuvert-forward">
      <BackLink href={`/post/${letterId}`} text={tr('corr.forward.back')} />
      <PageHeader title={tr('corr.forward.cannot')} />
      <Alert kind="warning" paragraph role="alert">
        <p class="alert-text" safe>
          {forwardErrorText(lang, error)}
        </p>
      </Alert>
    </div>
  );
}

/** After forwarding to a person: where it went, and the way back. */
export function ForwardDoneView(props: { lang: Lang; letterId: string; label: string; recipientName: string }) {
  const tr = translator(props.lang);
  return (
    <div class="kuvert-corr kuvert-forward">
      <PageHeader title={tr('corr.forward.doneHeading')} />
      <Alert kind="success" role="status">
        <p class="alert-text" safe>
          {tr('corr.forward.done', { label: props.label, name: props.recipientName })}
        </p>
      </Alert>
      <p>
        <a href={`/post/${props.letterId}`} safe>
          {tr('corr.forward.backToLetter')}
        </a>
      </p>
      <p>
        <a href="/post" safe>
          {tr('corr.forward.toInbox')}
        </a>
      </p>
    </div>
  );
}
