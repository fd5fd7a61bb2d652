import type { AppError } from '../../http/problem.ts';
import { Alert, BackLink, PageHeader } from '../../web/components/index.ts';
import { formatBytes, formatDateTime, isoDate, type Lang, translator } from '../../web/i18n.ts';
import type { AttachmentLimits } from './attachments.ts';
import type { ContactPoint } from './contact-points.ts';
import type { InboundFormValues, Writing } from './recipient.views.tsx';
import { acceptAttribute, controlOf, ErrorSummary, errorText, FieldError, typeList } from './shared.views.tsx';
import { BODY_MAX, SUBJECT_MAX } from './write-to-authority.ts';

/** The reply / write form: subject, text and attachments within the limits. Typed text survives an error. */
function InboundForm(props: {
  lang: Lang;
  csrf: JSX.Element;
  action: string;
  values: InboundFormValues;
  error: AppError | null;
  limits: AttachmentLimits;
  maxFileBytes: number;
  writing: Writing;
  submitText: string;
}) {
  const { lang, values, error, limits } = props;
  const tr = translator(lang);
  const control = error ? controlOf(error.field) : null;
  const message = error ? errorText(lang, error, limits, props.maxFileBytes) : null;
  const target = control === 'subject' || control === 'body' ? control : 'attachments';
  const perFile = Math.min(props.maxFileBytes, limits.maxTotalBytes);
  const errorAt = (name: string) =>
    control === name || (name === 'attachments' && control === 'form') ? message : null;
  return (
    <>
      {error && message ? <ErrorSummary lang={lang} text={message} target={target} /> : ''}
      {props.writing.isOwner ? (
        ''
      ) : (
        <Alert kind="info" role="note">
          <p class="alert-text" safe>
            {tr('corr.form.onBehalf', { writer: props.writing.writerName, owner: props.writing.mailboxOwnerName })}
          </p>
        </Alert>
      )}
      <form method="post" action={props.action} enctype="multipart/form-data" novalidate>
        {props.csrf}
        <input type="hidden" name="formKey" value={values.formKey} />
        <div class={`form-group${errorAt('subject') ? ' form-error' : ''}`}>
          <label class="form-label" for="subject" safe>
            {tr('corr.form.subject')}
          </label>
          <FieldError lang={lang} id="subject-error" text={errorAt('subject')} />
          <input
            class="form-input"
            id="subject"
            name="subject"
            type="text"
            value={values.subject}
            maxlength={String(SUBJECT_MAX)}
            aria-describedby={errorAt('subject') ? 'subject-error' : undefined}
          />
        </div>
        <div class={`form-group${errorAt('body') ? ' form-error' : ''}`}>
          <label class="form-label" for="body" safe>
            {tr('corr.form.body')}
          </label>
          <FieldError lang={lang} id="body-error" text={errorAt('body')} />
          <textarea
            class="form-input kuvert-corr-body"
            id="body"
            name="body"
            rows="10"
            maxlength={String(BODY_MAX)}
            aria-describedby={errorAt('body') ? 'body-error' : undefined}
            safe
          >
            {values.body}
          </textarea>
        </div>
        {limits.maxCount > 0 ? (
          <div class={`form-group${errorAt('attachments') ? ' form-error' : ''}`}>
            <label class="form-label" for="attachments" safe>
              {tr('corr.form.attachments')}
            </label>
            <span class="form-hint" id="attachments-hint" safe>
              {tr('corr.form.attachments.hint', {
                count: limits.maxCount,
                types: typeList(limits.mediaTypes),
                size: formatBytes(lang, perFile),
                total: formatBytes(lang, limits.maxTotalBytes),
              })}
            </span>
            <FieldError lang={lang} id="attachments-error" text={errorAt('attachments')} />
            {error ? (
              <span class="form-hint" id="attachments-again" safe>
                {tr('corr.form.attachments.again')}
              </span>
            ) : (
              ''
            )}
            <input
              class="form-file-input"
              id="attachments"
              name="attachments"
              type="file"
              multiple
              accept={acceptAttribute(limits.mediaTypes)}
              aria-describedby={[
                'attachments-hint',
                errorAt('attachments') ? 'attachments-error' : '',
                error ? 'attachments-again' : '',
              ]
                .filter(Boolean)
                .join(' ')}
            />
          </div>
        ) : (
          <p class="form-hint" safe>
            {tr('corr.form.noAttachments')}
          </p>
        )}
        <button type="submit" class="button button-primary" safe>
          {props.submitText}
        </button>
      </form>
    </>
  );
}

/** /post/:id/svar: reply to a letter. */
export function ReplyView(props: {
  lang: Lang;
  csrf: JSX.Element;
  letter: { id: string; label: string; senderName: string; replyBy: Date | null };
  values: InboundFormValues;
  error: AppError | null;
  limits: AttachmentLimits;
  maxFileBytes: number;
  writing: Writing;
}) {
  const { lang, letter } = props;
  const tr = translator(lang);
  return (
    <div class="kuvert-corr">
      <BackLink href={`/post/${letter.id}`} text={tr('corr.reply.back')} />
      <PageHeader title={tr('corr.reply.heading')} />
      <dl class="kuvert-meta">
        <dt safe>{tr('corr.reply.letter')}</dt>
        <dd safe>{letter.label}</dd>
        <dt safe>{tr('corr.to')}</dt>
        <dd safe>{letter.senderName}</dd>
        {letter.replyBy ? (
          <>
            <dt safe>{tr('corr.reply.replyBy')}</dt>
            <dd>
              <time datetime={isoDate(letter.replyBy)} safe>
                {formatDateTime(lang, letter.replyBy)}
              </time>
            </dd>
          </>
        ) : (
          ''
        )}
      </dl>
      <InboundForm {...props} action={`/post/${letter.id}/svar`} submitText={tr('corr.reply.submit')} />
    </div>
  );
}

/** Why a letter cannot be answered, said plainly. */
export function CannotReplyView({ lang, letterId, code }: { lang: Lang; letterId: string; code: string }) {
  const tr = translator(lang);
  const text =
    code === 'reply_period_over'
      ? tr('corr.reply.closed')
      : code === 'read_only_access'
        ? tr('corr.reply.readOnly')
        : tr('corr.reply.notAllowed');
  return (
    <div class="kuvert-corr">
      <BackLink href={`/post/${letterId}`} text={tr('corr.reply.back')} />
      <PageHeader title={tr('corr.reply.cannot')} />
      <Alert kind="warning" paragraph role="alert">
        <p class="alert-text" safe>
          {text}
        </p>
      </Alert>
    </div>
  );
}

/** /post/skriv: choose the authority and contact point to write to. */
export function ChooseContactPointView({
  lang,
  groups,
  readOnly,
}: {
  lang: Lang;
  groups: { senderId: string; senderName: string; contactPoints: ContactPoint[] }[];
  readOnly: boolean;
}) {
  const tr = translator(lang);
  return (
    <div class="kuvert-corr">
      <PageHeader title={tr('corr.write.heading')} />
      {readOnly ? (
        <Alert kind="warning" paragraph role="alert">
          <p class="alert-text" safe>
            {tr('corr.write.readOnly')}
          </p>
        </Alert>
      ) : groups.length === 0 ? (
        <p safe>{tr('corr.write.none')}</p>
      ) : (
        <>
          <p class="font-lead" safe>
            {tr('corr.write.intro')}
          </p>
          {groups.map((group) => (
            <section class="kuvert-corr-authority">
              <h2 class="h3" safe>
                {group.senderName}
              </h2>
              <ul class="nobullet-list kuvert-corr-points">
                {group.contactPoints.map((cp) => (
                  <li>
                    <a href={`/post/skriv/${cp.id}`} safe>
                      {cp.name}
                    </a>
                    {cp.description ? (
                      <p class="form-hint" safe>
                        {cp.description}
                      </p>
                    ) : (
                      ''
                    )}
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </>
      )}
    </div>
  );
}

/** /post/skriv/:contactPointId: write a new message to one contact point. */
export function WriteView(props: {
  lang: Lang;
  csrf: JSX.Element;
  contactPoint: ContactPoint & { senderName: string };
  values: InboundFormValues;
  error: AppError | null;
  limits: AttachmentLimits;
  maxFileBytes: number;
  writing: Writing;
}) {
  const { lang, contactPoint } = props;
  const tr = translator(lang);
  return (
    <div class="kuvert-corr">
      <BackLink href="/post/skriv" text={tr('corr.write.back')} />
      <PageHeader title={tr('corr.write.to', { name: contactPoint.name })} />
      <dl class="kuvert-meta">
        <dt safe>{tr('corr.to')}</dt>
        <dd safe>{`${contactPoint.senderName} – ${contactPoint.name}`}</dd>
      </dl>
      {contactPoint.description ? <p safe>{contactPoint.description}</p> : ''}
      <InboundForm {...props} action={`/post/skriv/${contactPoint.id}`} submitText={tr('corr.write.submit')} />
    </div>
  );
}
