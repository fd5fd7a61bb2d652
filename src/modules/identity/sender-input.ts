import { textProblem } from '../../http/input.ts';
import { AppError } from '../../http/problem.ts';
import { normaliseCvr } from '../../kernel/identifiers.ts';
import { characterCount } from '../../web/form-text.ts';
import type { SenderRole, SenderTable } from './identity.tables.ts';

export type SenderKind = SenderTable['kind'];
export const senderKinds: readonly SenderKind[] = ['municipality', 'state', 'region', 'other'];
export const senderRoles: readonly SenderRole[] = ['admin', 'staff'];

/** What creates a sender: the authority and its first administrator, as typed (CLI flags or the operator's form). */
export interface NewSenderInput {
  cvr: string;
  name: string;
  kind: string;
  municipalityCode?: string | undefined;
  contactEmail: string;
  contactPhone?: string | undefined;
  adminSubject: string;
  adminName: string;
}

export interface NewSender {
  cvr: string;
  name: string;
  kind: SenderKind;
  municipalityCode: string | null;
  contactEmail: string;
  contactPhone: string | null;
  adminSubject: string;
  adminName: string;
}

/** The form fields of a new sender; the errors name them. */
export type SenderField = keyof NewSenderInput;

export type SenderInputCode =
  | 'sender_cvr_invalid'
  | 'sender_cvr_taken'
  | 'sender_name_invalid'
  | 'sender_kind_invalid'
  | 'sender_municipality_invalid'
  | 'sender_contact_email_invalid'
  | 'sender_contact_phone_invalid'
  | 'staff_subject_invalid'
  | 'staff_subject_taken'
  | 'staff_name_invalid';

/** Every problem with a new sender at once (a form shows each at its field); code and field are the first one's. */
export class SenderInputError extends AppError {
  constructor(readonly problems: { field: string; code: SenderInputCode }[]) {
    const first = problems[0] ?? { field: 'cvr', code: 'sender_cvr_invalid' as const };
    const status = first.code === 'sender_cvr_taken' || first.code === 'staff_subject_taken' ? 409 : 400;
    super(status, first.code, `${first.field}: ${first.code}`, first.field, { problems });
  }
}

const MAX_NAME = 200;
const MAX_SUBJECT = 255;
// The contact e-mail is an organisation's mailbox, given by an operator: a plain sanity check (the citizen-facing
// rules with confirmation codes are notify's normaliseEmail, a module above this one).
const EMAIL_RE =
  /^[^\s@<>"]{1,64}@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*\.\p{L}{2,}$/u;

function cleanName(value: string | undefined, max: number): string | null {
  if (value === undefined || textProblem(value) !== null) return null;
  const trimmed = value.trim();
  return characterCount(trimmed) <= max ? trimmed : null;
}

/** A staff member's login subject: the identity provider's `sub`, printable, no spaces. */
export function cleanSubject(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  return /^[\x21-\x7e]{1,255}$/.test(trimmed) && trimmed.length <= MAX_SUBJECT ? trimmed : null;
}

export function cleanStaffName(value: string | undefined): string | null {
  return cleanName(value, MAX_NAME);
}

/** A Danish phone number: 8 digits, optionally +45 / 0045 first; spaces ignored. Returned as +45XXXXXXXX. */
function cleanPhone(value: string): string | null {
  const compact = value.replace(/[\s\-.]/g, '');
  const match = /^(?:\+45|0045)?(\d{8})$/.exec(compact);
  return match ? `+45${match[1]}` : null;
}

/** Checks a new sender's fields (not yet uniqueness, which the transaction checks); throws every problem at once. */
export function checkNewSender(input: NewSenderInput, municipalityCodes: ReadonlySet<string>): NewSender {
  const problems: { field: SenderField; code: SenderInputCode }[] = [];
  const cvr = normaliseCvr(input.cvr ?? '');
  if (!cvr) problems.push({ field: 'cvr', code: 'sender_cvr_invalid' });
  const name = cleanName(input.name, MAX_NAME);
  if (!name) problems.push({ field: 'name', code: 'sender_name_invalid' });
  const kind = senderKinds.find((k) => k === input.kind) ?? null;
  if (!kind) problems.push({ field: 'kind', code: 'sender_kind_invalid' });
  const code = (input.municipalityCode ?? '').trim();
  let municipalityCode: string | null = null;
  if (kind === 'municipality') {
    if (municipalityCodes.has(code)) municipalityCode = code;
    else problems.push({ field: 'municipalityCode', code: 'sender_municipality_invalid' });
  } else if (code !== '') {
    problems.push({ field: 'municipalityCode', code: 'sender_municipality_invalid' });
  }
  const email = (input.contactEmail ?? '').trim();
  if (email.length > 254 || !EMAIL_RE.test(email))
    problems.push({ field: 'contactEmail', code: 'sender_contact_email_invalid' });
  const phoneText = (input.contactPhone ?? '').trim();
  const phone = phoneText === '' ? null : cleanPhone(phoneText);
  if (phoneText !== '' && !phone) problems.push({ field: 'contactPhone', code: 'sender_contact_phone_invalid' });
  const adminSubject = cleanSubject(input.adminSubject);
  if (!adminSubject) problems.push({ field: 'adminSubject', code: 'staff_subject_invalid' });
  const adminName = cleanStaffName(input.adminName);
  if (!adminName) problems.push({ field: 'adminName', code: 'staff_name_invalid' });
  if (problems.length || !cvr || !name || !kind || !adminSubject || !adminName) throw new SenderInputError(problems);
  return { cvr, name, kind, municipalityCode, contactEmail: email, contactPhone: phone, adminSubject, adminName };
}
