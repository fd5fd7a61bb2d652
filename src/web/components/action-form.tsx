import type { Children } from '@kitajs/html';

/**
 * A one-button POST form inside a table row or a list (revoke, delete, move): the CSRF field, any hidden
 * fields, and a secondary button whose aria-label may name what it acts on.
 */
export function ActionForm(props: {
  action: string;
  csrf: JSX.Element;
  text: string;
  ariaLabel?: string;
  hidden?: Record<string, string>;
  buttonClass?: string;
  /** The form's class; `null` for none. Default: kuvert-inline-form. */
  class?: string | null;
  children?: Children;
}) {
  return (
    <form
      method="post"
      action={props.action}
      class={props.class === null ? undefined : (props.class ?? 'kuvert-inline-form')}
    >
      {props.csrf}
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      {props.children ?? ''}
      <button type="submit" class={props.buttonClass ?? 'button button-secondary'} aria-label={props.ariaLabel} safe>
        {props.text}
      </button>
    </form>
  );
}
