import { errorText } from '../../http/errors.ts';
import { Alert, PageHeader } from '../../web/components/index.ts';
import { formatBytes, type Lang, type MessageKey, translator } from '../../web/i18n.ts';
import { PortalNav } from './portal-nav.tsx';
import type { ComposeError, ComposeField, ComposeForm } from './send-letter.ts';

const KNOWN_ERRORS = new Set([
  'invalid_recipient',
  'invalid_cpr',
  'invalid_cvr',
  'unknown_recipient',
  'recipient_closed',
  'label_required',
  'label_too_long',
  'reference_too_long',
  'notification_too_long',
  'file_required',
  'not_a_pdf',
  'document_too_large',
  'empty_document',
  'message_uuid_conflict',
]);

/** An error in the reader's language; an unexpected code is said by the error catalogue's text. */
export function composeErrorText(lang: Lang, error: ComposeError, maxBytes: number): string {
  const tr = translator(lang);
  if (error.code === 'invalid_characters') return tr('form.text.control_characters_line');
  if (KNOWN_ERRORS.has(error.code)) {
    return tr(`portal.compose.error.${error.code}` as MessageKey, { size: formatBytes(lang, maxBytes) });
  }
  return tr('portal.compose.error.invalid', { detail: errorText(error.code, lang) ?? error.code });
}

const inputId: Record<ComposeField, string> = {
  recipient: 'recipient',
  label: 'label',
  senderReference: 'senderReference',
  notification: 'notification',
  file: 'file',
  form: 'recipient',
};

/** The compose form: recipient, subject, reference and one PDF. Values are kept on errors, except the file. */
export function ComposeView(props: {
  lang: Lang;
  csrf: JSX.Element;
  form: ComposeForm;
  errors: ComposeError[];
  maxBytes: number;
  fileWasChosen: boolean;
}) {
  const { lang, form, errors, maxBytes } = props;
  const tr = translator(lang);
  const errorOf = (field: ComposeField) => errors.find((e) => e.field === field);
  const text = (error: ComposeError) => composeErrorText(lang, error, maxBytes);

  const field = (
    name: 'recipient' | 'label' | 'senderReference' | 'notification',
    label: MessageKey,
    hint: MessageKey,
    max: number,
  ) => {
    const error = errorOf(name);
    return (
      <div class={`form-group${error ? ' form-error' : ''}`}>
        <label class="form-label" for={name} safe>
          {tr(label)}
        </label>
        <span class="form-hint" id={`${name}-hint`} safe>
          {tr(hint)}
        </span>
        {error ? (
          <span class="form-error-message" id={`${name}-error`}>
            <span class="sr-only" safe>
              {tr('portal.errorPrefix')}
            </span>{' '}
            <span safe>{text(error)}</span>
          </span>
        ) : (
          ''
        )}
        <input
          class="form-input"
          id={name}
          name={name}
          type="text"
          value={form[name]}
          maxlength={String(max)}
          autocomplete="off"
          inputmode={name === 'recipient' ? 'numeric' : undefined}
          aria-describedby={error ? `${name}-hint ${name}-error` : `${name}-hint`}
        />
      </div>
    );
  };

  const fileError = errorOf('file');
  const formError = errorOf('form');
  const chooseAgain = props.fileWasChosen && errors.length > 0 && !fileError;
  return (
    <>
      <PageHeader title={tr('portal.compose.title')} />
      <PortalNav lang={lang} current="compose" />
      {errors.length > 0 ? (
        <Alert kind="error" role="alert" labelledBy="compose-error-heading">
          <p class="alert-heading" id="compose-error-heading" safe>
            {tr('portal.errorSummary')}
          </p>
          <ul class="alert-text">
            {errors.map((error) => (
              <li>
                <a href={`#${inputId[error.field]}`} safe>
                  {text(error)}
                </a>
              </li>
            ))}
          </ul>
        </Alert>
      ) : (
        ''
      )}
      <p class="font-lead" safe>
        {tr('portal.compose.intro')}
      </p>
      <form method="post" action="/afsender/nyt-brev" enctype="multipart/form-data" novalidate>
        {props.csrf}
        <input type="hidden" name="messageUuid" value={form.messageUuid} />
        {formError ? (
          <p class="form-error-message" safe>
            {text(formError)}
          </p>
        ) : (
          ''
        )}
        {field('recipient', 'portal.compose.recipient', 'portal.compose.recipient.hint', 20)}
        {field('label', 'portal.compose.label', 'portal.compose.label.hint', 250)}
        {field('senderReference', 'portal.compose.reference', 'portal.compose.reference.hint', 100)}
        {field('notification', 'portal.compose.notification', 'portal.compose.notification.hint', 150)}
        <div class={`form-group${fileError ? ' form-error' : ''}`}>
          <label class="form-label" for="file" safe>
            {tr('portal.compose.file')}
          </label>
          <span class="form-hint" id="file-hint" safe>
            {tr('portal.compose.file.hint', { size: formatBytes(lang, maxBytes) })}
          </span>
          {fileError ? (
            <span class="form-error-message" id="file-error">
              <span class="sr-only" safe>
                {tr('portal.errorPrefix')}
              </span>{' '}
              <span safe>{text(fileError)}</span>
            </span>
          ) : (
            ''
          )}
          {chooseAgain ? (
            <span class="form-hint" id="file-again" safe>
              {tr('portal.compose.file.again')}
            </span>
          ) : (
            ''
          )}
          <input
            class="form-file-input"
            id="file"
            name="file"
            type="file"
            accept="application/pdf,.pdf"
            aria-describedby={['file-hint', fileError ? 'file-error' : '', chooseAgain ? 'file-again' : '']
              .filter(Boolean)
              .join(' ')}
          />
        </div>
        <button type="submit" class="button button-primary" safe>
          {tr('portal.compose.submit')}
        </button>
      </form>
    </>
  );
}
