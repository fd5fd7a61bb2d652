import type { ErrorCode } from '../http/errors.ts';
import { type TextProblem, textProblem } from '../http/input.ts';
import { AppError } from '../http/problem.ts';
import { type Lang, type MessageKey, t } from './i18n.ts';

/*
 * Text typed into a web form, checked the same way on every form: no control characters (tab and line breaks only
 * where the field is multi-line), no lone surrogates, not blank when required, and at most `max` characters. The
 * use case throws `FormTextError`; the page shows `formTextMessage` next to the field, in Danish or English.
 */

export type FormTextProblem = TextProblem | 'too_long';

export interface FormTextRule {
  /** At most this many characters (code points, as PostgreSQL counts them). */
  max: number;
  multiline?: boolean;
  /** An optional field: empty (or only white space) is accepted. */
  allowBlank?: boolean;
}

/** Characters as PostgreSQL counts them for varchar(n): code points, not UTF-16 units. */
export const characterCount = (value: string) => {
  let n = 0;
  for (const _ of value) n++;
  return n;
};

/** What is wrong with a typed text, or null. */
export function formTextProblem(value: string, rule: FormTextRule): FormTextProblem | null {
  const problem = textProblem(value, { multiline: rule.multiline, allowBlank: rule.allowBlank });
  if (problem) return problem;
  return characterCount(value) > rule.max ? 'too_long' : null;
}

const STATUS: Record<FormTextProblem, number> = {
  control_characters: 400,
  lone_surrogate: 400,
  blank: 422,
  too_long: 422,
};
const CODE: Record<FormTextProblem, ErrorCode> = {
  control_characters: 'invalid_characters',
  lone_surrogate: 'invalid_characters',
  blank: 'blank_text',
  too_long: 'text_too_long',
};
const DETAIL: Record<FormTextProblem, (max: number) => string> = {
  control_characters: () => 'contains control characters (such as NUL), which are not allowed here.',
  lone_surrogate: () => 'contains an invalid character (a lone UTF-16 surrogate).',
  blank: () => 'must not be empty or only white space.',
  too_long: (max) => `must be at most ${max} characters.`,
};

/** A refused form text: a stable code (`invalid_characters`, `blank_text`, `text_too_long`), the field and why. */
export class FormTextError extends AppError {
  constructor(
    field: string,
    readonly problem: FormTextProblem,
    readonly max: number,
    readonly multiline = false,
  ) {
    super(STATUS[problem], CODE[problem], `${field}: ${DETAIL[problem](max)}`, field);
  }
}

/** Checks a typed text and returns it; throws FormTextError naming the field. */
export function checkFormText(value: string, field: string, rule: FormTextRule): string {
  const problem = formTextProblem(value, rule);
  if (problem) throw new FormTextError(field, problem, rule.max, rule.multiline);
  return value;
}

/** The sentence a page shows next to a refused field, in Danish or English. */
export function formTextMessage(lang: Lang, error: FormTextError): string {
  return t(lang, formTextKey(error), { max: error.max });
}

/** The message key for a refused text (`form.text.too_long` takes `{max}`). */
export function formTextKey(error: FormTextError): MessageKey {
  if (error.problem === 'control_characters') {
    return error.multiline ? 'form.text.control_characters' : 'form.text.control_characters_line';
  }
  return `form.text.${error.problem}`;
}
