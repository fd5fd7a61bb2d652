import { AppError } from '../../http/problem.ts';
import { checkEscalationInput, type EscalationChoice, type EscalationInput } from '../notify/index.ts';
import { KUVERT_MEMO_EXTENSION_NS, type XmlElement } from './memo/index.ts';

/** Where a MeMo letter's escalation sits, for error fields. */
export const MEMO_ESCALATION_FIELD = '/kuvert:escalation';

/**
 * A MeMo letter's escalation plan, from Kuvert's extension (outside the MeMo schema, see memo/kuvert-extension.ts):
 * `<kuvert:escalation plan="standard"/>`, or the steps themselves —
 * `<kuvert:escalation><kuvert:step action="remind" afterDays="3" channels="email sms"/>…</kuvert:escalation>`
 * (no step: none, not even the sender's default). null when the letter has no such element.
 */
export function memoEscalation(
  extensions: readonly XmlElement[],
  letter: { mandatory: boolean; messageType: string },
): EscalationChoice | null {
  const elements = extensions.filter((e) => e.ns === KUVERT_MEMO_EXTENSION_NS && e.local === 'escalation');
  if (elements.length === 0) return null;
  const invalid = (detail: string) =>
    new AppError(422, 'escalation_invalid_memo_extension', detail, MEMO_ESCALATION_FIELD);
  if (elements.length > 1) throw invalid('A MeMo letter has at most one kuvert:escalation element.');
  const element = elements[0] as XmlElement;
  const plan = element.attributes.plan;
  const input: EscalationInput = {};
  if (plan !== undefined) input.plan = plan;
  if (element.children.length > 0 || plan === undefined) {
    input.steps = element.children.map((step) => {
      if (step.ns !== KUVERT_MEMO_EXTENSION_NS || step.local !== 'step') {
        throw invalid('kuvert:escalation holds only kuvert:step elements.');
      }
      const { action = '', afterDays = '', channels } = step.attributes;
      return {
        action,
        afterDays: /^\d{1,4}$/.test(afterDays) ? Number(afterDays) : Number.NaN,
        ...(channels === undefined ? {} : { channels: channels.split(/\s+/).filter(Boolean) }),
      };
    });
  }
  return checkEscalationInput(input, MEMO_ESCALATION_FIELD, letter);
}
