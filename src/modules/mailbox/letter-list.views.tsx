import { formatDateTime, formatListDate, isoDate, type Lang, translator } from '../../web/i18n.ts';
import { Icon, type IconName } from '../../web/icon.tsx';
import type { UserFolder } from './folders.ts';
import { folderName, folderRefOf } from './mailbox-layout.views.tsx';
import type { InboxItem } from './mailbox-listing.repository.ts';

/** An icon with its meaning said in words to screen readers (and as a tooltip). */
function Cue({ icon, text }: { icon: IconName; text: string }) {
  return (
    <span class="kuvert-cue" title={text}>
      <Icon name={icon} />
      <span class="sr-only" safe>
        {text}
      </span>
    </span>
  );
}

/**
 * The letters as a list: each a compact row (sender and date, subject, a preview line and cues for unread,
 * attachments, appointment, action needed and legal notification) that is one link to the letter, with a checkbox
 * before it when the actor may act on the letters. Unread is said in words, not by weight or colour alone.
 */
export function LetterList({
  lang,
  items,
  selectable,
  showFolder,
  folders,
  checked = false,
}: {
  lang: Lang;
  items: InboxItem[];
  selectable: boolean;
  showFolder: boolean;
  folders: UserFolder[];
  /** Every box ticked (the no-JavaScript "select all"). */
  checked?: boolean;
}) {
  const tr = translator(lang);
  const now = new Date();
  return (
    <ul class="kuvert-letters no-max-width" aria-label={tr('mailbox.list.label')}>
      {items.map((item) => (
        <li class={item.unread ? 'kuvert-letter kuvert-unread' : 'kuvert-letter'}>
          {selectable ? (
            <div class="form-group-checkbox kuvert-letter-select">
              <input
                class="form-checkbox kuvert-letter-check"
                type="checkbox"
                id={`sel-${item.id}`}
                name="id"
                value={item.id}
                checked={checked}
              />
              <label for={`sel-${item.id}`}>
                <span class="sr-only" safe>
                  {tr('mailbox.select', { label: item.label })}
                </span>
              </label>
            </div>
          ) : (
            ''
          )}
          <a class="kuvert-letter-link" href={`/post/${item.id}`}>
            <span class="kuvert-letter-top">
              <span class="kuvert-letter-sender">
                {item.unread ? (
                  <>
                    <span class="kuvert-unread-dot" aria-hidden="true" />
                    <span class="sr-only" safe>
                      {tr('mailbox.unread')}
                    </span>
                  </>
                ) : (
                  <span class="sr-only" safe>
                    {tr('mailbox.read')}
                  </span>
                )}
                <span class="sr-only">, </span>
                <span safe>{item.senderName}</span>
              </span>
              <time
                class="kuvert-letter-date"
                datetime={isoDate(item.availableAt)}
                title={formatDateTime(lang, item.availableAt)}
                safe
              >
                {formatListDate(lang, item.availableAt, now)}
              </time>
            </span>
            <span class="kuvert-letter-subject" safe>
              {item.label}
            </span>
            <span class="kuvert-letter-bottom">
              <span class="kuvert-letter-preview" safe>
                {item.preview ?? ''}
              </span>
              <span class="kuvert-letter-cues">
                {showFolder ? (
                  <span class="kuvert-letter-folder" safe>
                    {folderName(tr, folderRefOf(item), folders)}
                  </span>
                ) : (
                  ''
                )}
                {item.legalNotification ? (
                  <span class="kuvert-legal-badge" safe>
                    {tr('mailbox.legalBadge')}
                  </span>
                ) : (
                  ''
                )}
                {item.actionNeeded ? <Cue icon="checklist" text={tr('mailbox.cue.action')} /> : ''}
                {item.appointment ? <Cue icon="calendar-month" text={tr('mailbox.cue.appointment')} /> : ''}
                {item.attachments ? <Cue icon="attach-file" text={tr('mailbox.cue.attachments')} /> : ''}
              </span>
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}
