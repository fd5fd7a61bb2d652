import { ActionForm, Alert, PageHeader } from '../../web/components/index.ts';
import { formatDateTime, isoDate, type Lang, type MessageKey, type Translate, translator } from '../../web/i18n.ts';
import { CONTACT_LIMITS, type ContactDetailItem, type ContactStatus } from './contact-details.ts';
import type { NotifyPreference } from './notify.repository.ts';
import { NotificationSettings } from './notify-settings.views.tsx';

export const CONTACT_PATH = '/indstillinger/kontakt';

/** Error codes the contact page explains next to the field; anything else becomes an error page. */
export const contactErrorCodes = [
  'invalid_email',
  'invalid_mobile',
  'too_many_emails',
  'too_many_mobiles',
  'already_added',
  'invalid_code',
  'wrong_code',
  'code_attempts_exceeded',
  'code_expired',
  'no_code',
  'rate_limited',
  'code_not_sent',
] as const;
export type ContactErrorCode = (typeof contactErrorCodes)[number];

export const contactNotices = ['added', 'sent', 'confirmed', 'removed', 'preferences'] as const;
export const NOTIFY_SETTINGS_PATH = `${CONTACT_PATH}/advisering`;
export type ContactNotice = (typeof contactNotices)[number];

/** A failed form: which form (an add form, or one detail's code form), the error and its message parameters. */
export interface ContactFormError {
  target: 'email' | 'mobile' | { detailId: string };
  code: ContactErrorCode;
  params: Record<string, string | number>;
}

export interface ContactPageProps {
  lang: Lang;
  csrfToken: string;
  details: ContactDetailItem[];
  notice: ContactNotice | null;
  error: ContactFormError | null;
  /** What the person typed, shown again after an error. */
  values: { email?: string; mobile?: string; code?: string };
  /** When e-mails or SMS go to the development outbox: point to it, where the codes can be read. */
  developmentOutbox: string | null;
  /** How the person wants to be notified (channels, language, NemSMS). */
  preference: NotifyPreference;
}

const detailAnchor = (id: string) => `kontakt-${id}`;
const fieldIdOf = (target: ContactFormError['target']) =>
  typeof target === 'string' ? target : `code-${target.detailId}`;

const badgeClass: Record<ContactStatus, string> = {
  unconfirmed: 'badge badge-warning',
  confirmed: 'badge badge-success',
  needs_reconfirmation: 'badge badge-warning',
  failing: 'badge badge-error',
};

function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

function ErrorMessage({ id, text, tr }: { id: string; text: string; tr: Translate }) {
  return (
    <span class="form-error-message" id={id}>
      <span class="sr-only" safe>
        {tr('contact.errorPrefix')}
      </span>{' '}
      <span safe>{text}</span>
    </span>
  );
}

function AddForm({
  kind,
  props,
  errorText,
}: {
  kind: 'email' | 'mobile';
  props: ContactPageProps;
  errorText: string | null;
}) {
  const tr = translator(props.lang);
  const isEmail = kind === 'email';
  const count = props.details.filter((d) => d.kind === kind).length;
  const heading = isEmail ? tr('contact.addEmail.heading') : tr('contact.addMobile.heading');
  if (count >= CONTACT_LIMITS[kind]) {
    return (
      <section class="mt-5">
        <h2 class="h3" safe>
          {heading}
        </h2>
        <p safe>{isEmail ? tr('contact.addEmail.full') : tr('contact.addMobile.full')}</p>
      </section>
    );
  }
  const hintId = `${kind}-hint`;
  const errorId = `${kind}-error`;
  return (
    <section class="mt-5">
      <h2 class="h3" safe>
        {heading}
      </h2>
      <form method="post" action={`${CONTACT_PATH}/${isEmail ? 'email' : 'mobil'}`} novalidate>
        <Csrf token={props.csrfToken} />
        <div class={errorText ? 'form-group form-error' : 'form-group'}>
          <label class="form-label" for={kind} safe>
            {isEmail ? tr('contact.addEmail.label') : tr('contact.addMobile.label')}
          </label>
          <span class="form-hint" id={hintId} safe>
            {isEmail ? tr('contact.addEmail.hint') : tr('contact.addMobile.hint')}
          </span>
          {errorText ? <ErrorMessage id={errorId} text={errorText} tr={tr} /> : ''}
          <input
            class="form-input"
            id={kind}
            name={kind}
            type={isEmail ? 'email' : 'tel'}
            autocomplete={isEmail ? 'email' : 'tel'}
            spellcheck="false"
            maxlength={isEmail ? '254' : '24'}
            value={(isEmail ? props.values.email : props.values.mobile) ?? ''}
            aria-describedby={errorText ? `${hintId} ${errorId}` : hintId}
            aria-invalid={errorText ? 'true' : undefined}
          />
        </div>
        <button type="submit" class="button button-primary" safe>
          {tr('contact.add')}
        </button>
      </form>
    </section>
  );
}

function DetailItem({
  detail,
  props,
  errorText,
}: {
  detail: ContactDetailItem;
  props: ContactPageProps;
  errorText: string | null;
}) {
  const { lang } = props;
  const tr = translator(lang);
  const base = `${CONTACT_PATH}/${detail.id}`;
  const codeId = `code-${detail.id}`;
  const hintId = `${codeId}-hint`;
  const errorId = `${codeId}-error`;
  const needsCode = detail.status !== 'confirmed' || detail.codeExpiresAt !== null;
  return (
    <li id={detailAnchor(detail.id)} class="mb-5">
      <h3 class="h4">
        <span safe>{detail.kind === 'email' ? tr('contact.kind.email') : tr('contact.kind.mobile')}</span>
        {': '}
        <span safe>{detail.value}</span>
      </h3>
      <p class="mb-0">
        <span safe>{tr('contact.status')}</span>
        {': '}
        <span class={badgeClass[detail.status]} safe>
          {tr(`contact.status.${detail.status}`)}
        </span>
      </p>
      {detail.status === 'failing' ? (
        <p class="mb-0">
          <span safe>{tr('contact.status.failing.hint')}</span>
          {detail.failingSince ? (
            <>
              {' '}
              <span safe>{tr('notify.failingSince')}</span>
              {': '}
              <time datetime={isoDate(detail.failingSince)} safe>
                {formatDateTime(lang, detail.failingSince)}
              </time>
              .
            </>
          ) : (
            ''
          )}
        </p>
      ) : (
        ''
      )}
      <p class="mt-3">
        <span safe>{tr('contact.lastConfirmed')}</span>
        {': '}
        {detail.lastConfirmedAt ? (
          <time datetime={isoDate(detail.lastConfirmedAt)} safe>
            {formatDateTime(lang, detail.lastConfirmedAt)}
          </time>
        ) : (
          <span safe>{tr('contact.neverConfirmed')}</span>
        )}
      </p>
      {/* The code form also appears without a pending code when there is an error to show next to it. */}
      {needsCode && (detail.codeExpiresAt || errorText) ? (
        <form method="post" action={`${base}/bekraeft`} novalidate>
          <Csrf token={props.csrfToken} />
          <div class={errorText ? 'form-group form-error' : 'form-group'}>
            <label class="form-label" for={codeId} safe>
              {tr('contact.code.label')}
            </label>
            <span class="form-hint" id={hintId} safe>
              {detail.codeExpiresAt
                ? tr('contact.code.hint', { time: formatDateTime(lang, detail.codeExpiresAt) })
                : tr('contact.code.none')}
            </span>
            {errorText ? <ErrorMessage id={errorId} text={errorText} tr={tr} /> : ''}
            <input
              class="form-input input-char-8"
              id={codeId}
              name="code"
              type="text"
              inputmode="numeric"
              autocomplete="one-time-code"
              maxlength="12"
              value={errorText ? (props.values.code ?? '') : ''}
              aria-describedby={errorText ? `${hintId} ${errorId}` : hintId}
              aria-invalid={errorText ? 'true' : undefined}
            />
          </div>
          <button type="submit" class="button button-primary" safe>
            {tr('contact.confirm')}
          </button>
        </form>
      ) : needsCode ? (
        <p safe>{tr('contact.code.none')}</p>
      ) : (
        ''
      )}
      <ul class="nobullet-list inline-list mt-3">
        {detail.status !== 'confirmed' ? (
          <li>
            <ActionForm
              action={`${base}/ny-kode`}
              class={null}
              csrf={<Csrf token={props.csrfToken} />}
              text={tr('contact.resend')}
            />
          </li>
        ) : (
          ''
        )}
        <li>
          <ActionForm
            action={`${base}/fjern`}
            class={null}
            csrf={<Csrf token={props.csrfToken} />}
            buttonClass="button button-tertiary"
            text={tr('contact.remove')}
            ariaLabel={tr('contact.removeWhat', { value: detail.value })}
          />
        </li>
      </ul>
    </li>
  );
}

/** The message for a failed form, in the page's language. */
export function contactErrorText(lang: Lang, error: ContactFormError): string {
  const tr = translator(lang);
  return tr(`contact.error.${error.code}` as MessageKey, error.params);
}

/** /indstillinger/kontakt: the person's contact details with their status, and the forms to manage them. */
export function ContactDetailsView(props: ContactPageProps) {
  const { lang, details, error, notice } = props;
  const tr = translator(lang);
  const errorText = error ? contactErrorText(lang, error) : null;
  const errorFor = (target: 'email' | 'mobile' | string) =>
    error && (typeof error.target === 'string' ? error.target === target : error.target.detailId === target)
      ? errorText
      : null;
  const needsReconfirmation = details.some((d) => d.status === 'needs_reconfirmation');
  const failing = details.some((d) => d.status === 'failing');
  return (
    <div class="kuvert-contact">
      <PageHeader title={tr('contact.heading')} />
      {error && errorText ? (
        <Alert
          kind="error"
          role="alert"
          labelledBy="contact-error-heading"
          headingId="contact-error-heading"
          heading={tr('contact.errorSummary')}
        >
          <p class="alert-text">
            <a href={`#${fieldIdOf(error.target)}`} safe>
              {errorText}
            </a>
          </p>
        </Alert>
      ) : notice ? (
        <Alert kind="success" role="status" text={tr(`contact.done.${notice}`)} />
      ) : (
        ''
      )}
      {failing ? (
        <Alert kind="error" role="note" heading={tr('notify.failing.heading')} text={tr('notify.failing.text')} />
      ) : (
        ''
      )}
      {needsReconfirmation ? (
        <Alert kind="warning" heading={tr('contact.reconfirm.heading')} text={tr('contact.reconfirm.text')} />
      ) : (
        ''
      )}
      <p class="font-lead" safe>
        {tr('contact.intro')}
      </p>
      {props.developmentOutbox ? (
        <Alert kind="info">
          <p class="alert-text">
            <span safe>{tr('notify.devOutbox')}</span>{' '}
            <a href={props.developmentOutbox} safe>
              {tr('contact.devOutbox.link')}
            </a>
            .
          </p>
        </Alert>
      ) : (
        ''
      )}
      <section>
        <h2 safe>{tr('contact.list.heading')}</h2>
        {details.length === 0 ? (
          <p safe>{tr('contact.empty')}</p>
        ) : (
          <ul class="nobullet-list">
            {details.map((detail) => (
              <DetailItem detail={detail} props={props} errorText={errorFor(detail.id)} />
            ))}
          </ul>
        )}
      </section>
      <AddForm kind="email" props={props} errorText={errorFor('email')} />
      <AddForm kind="mobile" props={props} errorText={errorFor('mobile')} />
      <NotificationSettings props={{ ...props, action: NOTIFY_SETTINGS_PATH }} />
    </div>
  );
}
