import type { Enrolment } from '../../db/schema.ts';
import { errorText } from '../../http/errors.ts';
import { DataTable } from '../../web/components/index.ts';
import { formatDateTime, isoDate, type Lang, type MessageKey, type Translate, translator } from '../../web/i18n.ts';
import { closeReasons } from './close-mailbox.ts';
import type { EnrolmentChange } from './registry.repository.ts';

/** An error to show on a form: its stable code, the field it concerns (if any), and the message to show. */
export interface FormError {
  code: string;
  field?: string;
  message: string;
}

const registryErrorKeys = new Set<string>([
  'invalid_cpr',
  'person_not_found',
  'not_your_municipality',
  'invalid_ground',
  'note_too_long',
  'invalid_reason',
  'confirmation_required',
  'already_enrolled',
  'already_exempted',
  'not_exempted',
  'already_closed',
  'mailbox_closed',
  'business_cannot_be_exempted',
  'too_young',
]);

/** The readable message for a registry error code, in the page's language (the error catalogue's text otherwise). */
export function registryErrorMessage(lang: Lang, code: string, fallback: string): string {
  const tr = translator(lang);
  return registryErrorKeys.has(code) ? tr(`registry.error.${code}` as MessageKey) : (errorText(code, lang) ?? fallback);
}

const citizenErrorKeys = new Set(['already_enrolled', 'mailbox_closed', 'too_young']);

/** The readable message for an error when a citizen enrols themselves. */
export function citizenErrorMessage(lang: Lang, code: string, fallback: string): string {
  const tr = translator(lang);
  return citizenErrorKeys.has(code) ? tr(`enrolment.error.${code}` as MessageKey) : (errorText(code, lang) ?? fallback);
}

export const maskCpr = (cpr: string) => `${cpr.slice(0, 6)}-****`;

export const statusText = (tr: Translate, enrolment: Enrolment) => tr(`registry.status.${enrolment}`);

export function formatDay(lang: Lang, day: string): string {
  return new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** What happened, in words: the change, with the ground of an exemption and the reason of a closing. */
function describeChange(tr: Translate, change: EnrolmentChange): string {
  if (change.kind === 'exempted') {
    const ground = change.exemptionGround ? tr(`registry.ground.${change.exemptionGround}`) : '';
    return tr('registry.change.exempted', { ground });
  }
  if (change.kind === 'closed') {
    const reason = closeReasons.find((r) => change.note === r || change.note?.startsWith(`${r}: `));
    return reason
      ? `${tr('registry.change.closed')}: ${tr(`registry.closeReason.${reason}`)}`
      : tr('registry.change.closed');
  }
  return tr(`registry.change.${change.kind}`);
}

/** The free-text part of a change's note (the automatic reason in words; a closing's reason is in "what"). */
function noteOf(tr: Translate, change: EnrolmentChange): string {
  const note = change.note ?? '';
  if (change.kind === 'enrolled_automatically') {
    return ['turned_15', 'moved_in', 'registered'].includes(note)
      ? tr(`registry.autoReason.${note as 'turned_15' | 'moved_in' | 'registered'}`)
      : note;
  }
  if (change.kind === 'closed') {
    for (const reason of closeReasons) {
      if (note === reason) return '';
      if (note.startsWith(`${reason}: `)) return note.slice(reason.length + 2);
    }
  }
  return note;
}

/**
 * Who made a change. The owner sees the citizen service and its municipality, never the caseworker's name;
 * the back office also sees the caseworker's name.
 */
function describeActor(tr: Translate, change: EnrolmentChange, viewer: { ownerId: string | null }): string {
  switch (change.actorKind) {
    case 'citizen':
      return viewer.ownerId === change.actorId ? tr('registry.actor.self') : tr('registry.actor.citizen');
    case 'caseworker': {
      const service = change.actorMunicipalityName
        ? tr('registry.actor.caseworker', { municipality: change.actorMunicipalityName })
        : tr('registry.actor.caseworkerUnknown');
      return viewer.ownerId === null && change.actorName ? `${service} (${change.actorName})` : service;
    }
    case 'population':
      return tr('registry.actor.population');
    default:
      return tr('registry.actor.system');
  }
}

export function HistoryTable({
  lang,
  history,
  ownerId,
}: {
  lang: Lang;
  history: EnrolmentChange[];
  /** The citizen viewing their own history; null in the back office. */
  ownerId: string | null;
}) {
  const tr = translator(lang);
  if (history.length === 0) return <p safe>{tr('enrolment.historyEmpty')}</p>;
  return (
    <DataTable
      columns={[tr('enrolment.col.date'), tr('enrolment.col.what'), tr('enrolment.col.by'), tr('enrolment.col.note')]}
      class="kuvert-history"
    >
      {[...history].reverse().map((change) => (
        <tr>
          <td data-title={tr('enrolment.col.date')}>
            <time datetime={isoDate(change.occurredAt)} safe>
              {formatDateTime(lang, change.occurredAt)}
            </time>
          </td>
          <td data-title={tr('enrolment.col.what')} safe>
            {describeChange(tr, change)}
          </td>
          <td data-title={tr('enrolment.col.by')} safe>
            {describeActor(tr, change, { ownerId })}
          </td>
          <td data-title={tr('enrolment.col.note')}>
            <span safe>{noteOf(tr, change) || (change.sendUnopenedAsPaper ? '' : '–')}</span>
            {change.sendUnopenedAsPaper ? (
              <span class="display-block" safe>
                {tr('enrolment.paper')}
              </span>
            ) : (
              ''
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
