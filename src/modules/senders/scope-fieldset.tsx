import { FieldError } from '../../web/components/index.ts';
import { SCOPES, SENDER_SCOPES } from '../identity/index.ts';

/**
 * The sender scopes as checkboxes in a fieldset (the systems and on-behalf forms): each scope's name in code and
 * its description (English, as the OAuth scopes themselves are). `error`: the field error for the whole group.
 */
export function ScopeFieldset(props: {
  idPrefix: string;
  legend: string;
  hint?: string;
  checked: readonly string[];
  error?: string | undefined;
  errorPrefix: string;
}) {
  const errorId = `${props.idPrefix}-error`;
  return (
    <fieldset
      class={`form-group${props.error ? ' form-error' : ''}`}
      id={props.idPrefix}
      aria-describedby={props.error ? errorId : undefined}
    >
      <legend class="form-label" safe>
        {props.legend}
      </legend>
      {props.hint ? (
        <span class="form-hint" safe>
          {props.hint}
        </span>
      ) : (
        ''
      )}
      <FieldError id={errorId} message={props.error} prefix={props.errorPrefix} />
      {SENDER_SCOPES.map((scope) => {
        const id = `${props.idPrefix}-${scope.replace(':', '-')}`;
        return (
          <div class="form-group-checkbox">
            <input
              class="form-checkbox"
              id={id}
              name="scopes"
              type="checkbox"
              value={scope}
              checked={props.checked.includes(scope)}
              aria-describedby={`${id}-hint`}
            />
            <label class="form-label" for={id}>
              <code safe>{scope}</code>
            </label>
            <span class="form-hint" id={`${id}-hint`} safe>
              {SCOPES[scope]}
            </span>
          </div>
        );
      })}
    </fieldset>
  );
}

/** A form body's `scopes`: one checkbox gives a string, several an array, none undefined. */
export const scopesOf = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
