import type { Children } from '@kitajs/html';
import { Icon } from '../icon.tsx';

export type AlertKind = 'success' | 'error' | 'warning' | 'info';

/**
 * The DKFDS alert (komponenter/alerts): the coloured box with its icon from the dkfds sprite
 * (/assets/dkfds/img/all-svg-icons.svg#info|success|warning|error), an optional heading and text.
 * The icon is decorative (the heading, text and role carry the meaning). `role` is the page's choice:
 * "alert" for an error the reader must see now, "status" for a confirmation, "note" for a standing notice.
 */
export function Alert(props: {
  kind: AlertKind;
  heading?: string;
  headingId?: string;
  text?: string;
  role?: 'alert' | 'status' | 'note';
  id?: string;
  class?: string;
  labelledBy?: string;
  tabindex?: string;
  paragraph?: boolean;
  children?: Children;
}) {
  const classes = ['alert', `alert-${props.kind}`, props.paragraph ? 'alert--paragraph' : '', props.class ?? '']
    .filter(Boolean)
    .join(' ');
  return (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: the error summary labels its role="alert" box by its heading, as DKFDS does
    <div class={classes} role={props.role} id={props.id} aria-labelledby={props.labelledBy} tabindex={props.tabindex}>
      <Icon name={props.kind} class="alert-icon" />
      <div class="alert-body">
        {props.heading !== undefined ? (
          <p class="alert-heading" id={props.headingId} safe>
            {props.heading}
          </p>
        ) : (
          ''
        )}
        {props.text !== undefined ? (
          <p class="alert-text" safe>
            {props.text}
          </p>
        ) : (
          ''
        )}
        {props.children ?? ''}
      </div>
    </div>
  );
}

/**
 * The one-line message pages show after a form: a confirmation (status, as alert text) or an error (alert,
 * as alert heading).
 */
export function MessageAlert({ kind, text }: { kind: 'success' | 'error' | 'info'; text: string }) {
  return kind === 'error' ? (
    <Alert kind="error" role="alert" heading={text} />
  ) : (
    <Alert kind={kind} role="status" text={text} />
  );
}
