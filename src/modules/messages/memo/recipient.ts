/** Who a MeMo message is for, as a checked CPR or CVR number. */
import { normaliseCpr, normaliseCvr } from '../../../kernel/identifiers.ts';
import { MemoError } from './memo-errors.ts';
import type { MemoMessage } from './memo-model.ts';

export type MemoRecipientIdentifier = { cpr: string } | { cvr: string };

const FIELD = '/MessageHeader/Recipient/recipientID';

/**
 * The recipient's CPR or CVR number, normalised; throws MemoError memo_recipient_invalid (422, field
 * /MessageHeader/Recipient/recipientID) for placeholders such as "Recipient ID", invalid numbers and other idTypes.
 */
export function recipientIdentifier(message: MemoMessage): MemoRecipientIdentifier {
  const { recipientID, idType } = message.recipient;
  const type = idType.trim().toUpperCase();
  const id = recipientID.trim();
  const placeholder = /\D/.test(id.replace('-', ''))
    ? ` "${recipientID}" is not a number (a placeholder from an example?).`
    : ` "${recipientID}" is not a valid ${type} number.`;
  if (type === 'CPR') {
    const cpr = normaliseCpr(id);
    if (cpr) return { cpr };
    throw new MemoError('memo_recipient_invalid', `The recipient's CPR number${placeholder}`, [], FIELD);
  }
  if (type === 'CVR') {
    const cvr = normaliseCvr(id);
    if (cvr) return { cvr };
    throw new MemoError('memo_recipient_invalid', `The recipient's CVR number${placeholder}`, [], FIELD);
  }
  throw new MemoError(
    'memo_recipient_invalid',
    `The recipient's idType is "${idType}"; Kuvert delivers to recipients identified by CPR or CVR.`,
    [],
    FIELD,
  );
}
