import type { Children } from '@kitajs/html';
import { Alert } from './alert.tsx';

/** The ids a control's aria-describedby lists (hint, error), or undefined when none. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter((id): id is string => typeof id === 'string' && id !== '');
  return list.length ? list.join(' ') : undefined;
}

/**
 * The DKFDS field error (form-error-message), placed between label/hint and the control. With `prefix`, a
 * visually hidden "Error:" precedes the message for screen readers.
 */
export function FieldError({
  id,
  message,
  prefix,
}: {
  id: string;
  message: string | null | undefined;
  prefix?: string;
}) {
  if (!message) return '';
  if (prefix === undefined) {
    return (
      <span class="form-error-message" id={id} safe>
        {message}
      </span>
    );
  }
  return (
    <span class="form-error-message" id={id}>
      <span class="sr-only" safe>
        {prefix}
      </span>{' '}
      <span safe>{message}</span>
    </span>
  );
}

/**
 * A DKFDS form group: label, optional hint, the field error, and the control (children). The control itself
 * carries id, aria-describedby (use `describedBy(hintId, errorId)`) and aria-invalid.
 */
export function FormField(props: {
  id: string;
  label: string;
  hint?: string;
  hintId?: string;
  error?: string | null;
  errorId?: string;
  errorPrefix?: string;
  class?: string;
  children: Children;
}) {
  const hintId = props.hintId ?? `${props.id}-hint`;
  const errorId = props.errorId ?? `${props.id}-error`;
  return (
    <div class={`form-group${props.error ? ' form-error' : ''}${props.class ? ` ${props.class}` : ''}`}>
      <label class="form-label" for={props.id} safe>
        {props.label}
      </label>
      {props.hint ? (
        <span class="form-hint" id={hintId} safe>
          {props.hint}
        </span>
      ) : (
        ''
      )}
      <FieldError id={errorId} message={props.error} prefix={props.errorPrefix} />
      {props.children}
    </div>
  );
}

/**
 * The DKFDS error summary at the top of a form: an error alert whose heading names the problem and whose
 * list links to the fields (`items`), or any other body (children).
 */
export function ErrorSummary(props: {
  heading: string;
  headingId?: string;
  items?: readonly { href: string; text: string }[];
  id?: string;
  tabindex?: string;
  role?: 'alert' | 'note';
  children?: Children;
}) {
  return (
    <Alert
      kind="error"
      role={props.role ?? 'alert'}
      id={props.id}
      tabindex={props.tabindex}
      labelledBy={props.headingId}
      heading={props.heading}
      headingId={props.headingId}
    >
      {props.items ? (
        <ul class="alert-text">
          {props.items.map((item) => (
            <li>
              <a href={item.href} safe>
                {item.text}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
      {props.children ?? ''}
    </Alert>
  );
}
