import { errorText } from '../../http/errors.ts';
import { type Lang, type MessageKey, type Translate, translator } from '../../web/i18n.ts';
import type { AccessLevel, AccessVia, DelegationKind } from './mailbox.policy.ts';
import type { OpenableMailbox } from './mailbox-access.ts';

/** An error to show on a form: its stable code, the field it concerns (if any), and the message to show. */
export interface FormError {
  code: string;
  field?: string;
  message: string;
}

const errorCodes = new Set([
  'invalid_cpr',
  'name_required',
  'person_not_matched',
  'cannot_grant_self',
  'invalid_level',
  'invalid_end_date',
  'end_date_in_past',
  'already_has_access',
  'access_management_forbidden',
  'access_not_found',
  'invalid_kind',
  'document_reference_required',
  'document_reference_too_long',
  'not_a_minor_15_17',
  'grantee_not_found',
  'not_revocable_by_caseworker',
  'mailbox_not_openable',
]);

/** The readable message for an access error code, in the page's language (the error catalogue's text otherwise). */
export function accessErrorMessage(lang: Lang, code: string, fallback: string): string {
  return errorCodes.has(code)
    ? translator(lang)(`access.error.${code}` as MessageKey)
    : (errorText(code, lang) ?? fallback);
}

/** The last day a delegation holds (it ends at the following midnight, Copenhagen time). */
export function lastDay(lang: Lang, endsAt: Date): string {
  return new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', {
    dateStyle: 'long',
    timeZone: 'Europe/Copenhagen',
  }).format(new Date(endsAt.getTime() - 1));
}

export function day(lang: Lang, at: Date): string {
  return new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', {
    dateStyle: 'long',
    timeZone: 'Europe/Copenhagen',
  }).format(at);
}

export function endText(lang: Lang, d: { kind: DelegationKind; endsAt: Date | null }): string {
  const tr = translator(lang);
  if (!d.endsAt) return tr('access.noEnd');
  if (d.kind === 'parent') return tr('access.untilEighteen', { date: day(lang, d.endsAt) });
  return tr('access.until', { date: lastDay(lang, d.endsAt) });
}

/** "Read access (power of attorney)", or "Administrator of the business". */
export function accessText(tr: Translate, level: AccessLevel, via: AccessVia | DelegationKind): string {
  if (level === 'owner') return via === 'business' ? tr('access.businessAdministrator') : tr('access.via.self');
  const how = via === 'grant' || via === 'self' ? '' : ` (${tr(`access.via.${via}`).toLocaleLowerCase()})`;
  return `${tr(`access.level.${level}`)}${how}`;
}

/** Which mailbox the pages are about, with the way to switch. */
export function MailboxContext({ lang, current }: { lang: Lang; current: OpenableMailbox }) {
  const tr = translator(lang);
  return (
    <p class="kuvert-access-context">
      <span safe>{tr('access.switch.current', { name: current.owner.name })}</span>{' '}
      <a href="/post/postkasser" safe>
        {tr('access.held.switch')}
      </a>
    </p>
  );
}

export interface GrantFormValues {
  cpr?: string;
  name?: string;
  level?: string;
  endDate?: string;
}
