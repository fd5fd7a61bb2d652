import { ActionForm, Alert, BackLink, PageHeader } from '../../web/components/index.ts';
import {
  formatDateTime,
  formatDateTimeRange,
  isoDate,
  type Lang,
  type MessageKey,
  translator,
} from '../../web/i18n.ts';
import { Icon } from '../../web/icon.tsx';
import type { ProofListing } from '../proofs/index.ts';
import type { UserFolder } from './folders.ts';
import { LetterDocuments } from './letter-documents.views.tsx';
import { LetterProofs } from './letter-proofs.views.tsx';
import { LetterToolbar } from './letter-toolbar.views.tsx';
import { folderName, folderRefOf, folderUrl, Notice, OwnerNotice, type Permissions } from './mailbox-layout.views.tsx';
import type { FolderRef } from './mailbox-listing.repository.ts';
import type { LetterAction, LetterSummary, OpenedMessage } from './open-message.ts';

function FolderBackLink({ lang, folder, folders }: { lang: Lang; folder: FolderRef; folders: UserFolder[] }) {
  const tr = translator(lang);
  return (
    <BackLink
      href={folderUrl(folder)}
      text={
        folder.kind === 'inbox'
          ? tr('message.back')
          : tr('mailbox.letter.back', { folder: folderName(tr, folder, folders) })
      }
    />
  );
}

/** Before a legal-notification letter is opened: what opening means, and an explicit button to open it. */
export function LegalNoticeView({
  lang,
  message,
  csrfField,
  folders,
  canSwitch,
}: {
  lang: Lang;
  message: LetterSummary;
  csrfField: string;
  folders: UserFolder[];
  canSwitch: boolean;
}) {
  const tr = translator(lang);
  const folder = folderRefOf(message);
  return (
    <article class="kuvert-message kuvert-legal">
      <OwnerNotice lang={lang} ownerName={message.ownerName} canSwitch={canSwitch} />
      <FolderBackLink lang={lang} folder={folder} folders={folders} />
      <PageHeader title={tr('mailbox.legal.heading')} />
      <dl class="kuvert-meta">
        <dt safe>{tr('message.from')}</dt>
        <dd safe>{message.senderName}</dd>
        <dt safe>{tr('message.received')}</dt>
        <dd>
          <time datetime={isoDate(message.availableAt)} safe>
            {formatDateTime(lang, message.availableAt)}
          </time>
        </dd>
      </dl>
      <Alert kind="warning">
        <p class="alert-text" safe>
          {tr('mailbox.legal.text', { sender: message.senderName })}
        </p>
      </Alert>
      <form method="post" action={`/post/${message.id}/aabn`} class="kuvert-legal-actions">
        {csrfField as 'safe'}
        <button class="button button-primary" type="submit" safe>
          {tr('mailbox.legal.open')}
        </button>{' '}
        <a class="button button-secondary" href={folderUrl(folder)} safe>
          {tr('mailbox.legal.notNow')}
        </a>
      </form>
    </article>
  );
}

/** An appointment's time as sent (ISO text from the sender): "15. dec. 2026 kl. 09.30–10.15"; unreadable text as is. */
function formatRange(lang: Lang, start: string | Date | null, end: string | Date | null): string {
  if (!start) return '';
  const valid = (d: string | Date) => !Number.isNaN(new Date(d).getTime());
  if (!valid(start)) return String(start);
  return formatDateTimeRange(lang, start, end && valid(end) ? end : null);
}

function ActionView({
  lang,
  messageId,
  action,
  mayAct,
  csrfField,
}: {
  lang: Lang;
  messageId: string;
  action: LetterAction;
  mayAct: boolean;
  csrfField: string;
}) {
  const tr = translator(lang);
  const confirmable = action.code === 'BEKRAEFT' || action.code === 'UNDERSKRIV';
  return (
    <li class="kuvert-action">
      {action.reservation ? (
        <>
          <h3 safe>{action.reservation.abstract || action.label}</h3>
          {action.reservation.description ? <p safe>{action.reservation.description}</p> : ''}
          <dl class="kuvert-meta">
            <dt safe>{tr('mailbox.actions.when')}</dt>
            <dd safe>{formatRange(lang, action.reservation.start, action.reservation.end)}</dd>
            {action.reservation.location ? (
              <>
                <dt safe>{tr('mailbox.actions.where')}</dt>
                <dd safe>{action.reservation.location}</dd>
              </>
            ) : (
              ''
            )}
          </dl>
          <p>
            <a
              class="button button-secondary"
              href={`/post/${messageId}/handlinger/${action.position}/kalender.ics`}
              download="aftale.ics"
            >
              <span safe>{tr('mailbox.actions.calendar')}</span>
            </a>
          </p>
        </>
      ) : confirmable ? (
        action.status === 'done' ? (
          <p>
            <span safe>{action.label}</span>:{' '}
            <strong safe>{tr(`mailbox.actions.done.${action.code}` as MessageKey)}</strong>
          </p>
        ) : mayAct ? (
          <ActionForm
            action={`/post/${messageId}/handlinger/${action.position}`}
            class={null}
            csrf={csrfField}
            buttonClass="button button-primary"
            text={action.label}
          />
        ) : (
          <p safe>{action.label}</p>
        )
      ) : action.url ? (
        <p>
          <a class="button button-primary" href={action.url} rel="noopener noreferrer">
            <span safe>{action.label}</span>{' '}
            <span class="sr-only" safe>
              {tr('mailbox.actions.opensExternal')}
            </span>
          </a>
        </p>
      ) : (
        <>
          <p safe>{action.label}</p>
          {action.unsafeUrl ? (
            <p class="form-hint" safe>
              {tr('mailbox.actions.unsafeLink', { url: action.unsafeUrl })}
            </p>
          ) : (
            ''
          )}
        </>
      )}
    </li>
  );
}

/** One letter: what can be done with it, who sent it and when, its notification, actions and documents. */
export function MessageView({
  lang,
  message,
  folders,
  perms,
  mayAct,
  canSwitch,
  csrfField,
  notice,
  error,
  proofs = [],
}: {
  lang: Lang;
  message: OpenedMessage;
  folders: UserFolder[];
  perms: Permissions;
  mayAct: boolean;
  canSwitch: boolean;
  csrfField: string;
  notice: MessageKey | null;
  error: MessageKey | null;
  /** The signed proofs the reader may download (issue 18; mailbox/letter-proofs.ts). */
  proofs?: ProofListing[];
}) {
  const tr = translator(lang);
  const folder = folderRefOf(message);
  return (
    <article class="kuvert-message">
      <OwnerNotice lang={lang} ownerName={message.ownerName} canSwitch={canSwitch} />
      <FolderBackLink lang={lang} folder={folder} folders={folders} />
      <PageHeader title={message.label} />
      <Notice lang={lang} notice={notice} error={error} />
      <LetterToolbar
        lang={lang}
        message={message}
        folder={folder}
        folders={folders}
        perms={perms}
        csrfField={csrfField}
      />
      <dl class="kuvert-meta">
        <dt safe>{tr('message.from')}</dt>
        <dd safe>{message.senderName}</dd>
        <dt safe>{tr('message.received')}</dt>
        <dd>
          <time datetime={isoDate(message.availableAt)} safe>
            {formatDateTime(lang, message.availableAt)}
          </time>
        </dd>
        {message.legallyNotifiedAt ? (
          <>
            <dt safe>{tr('mailbox.letter.served')}</dt>
            <dd class="kuvert-served">
              <time datetime={isoDate(message.legallyNotifiedAt)} safe>
                {formatDateTime(lang, message.legallyNotifiedAt)}
              </time>
            </dd>
          </>
        ) : (
          ''
        )}
        {message.forwardedBy ? (
          <>
            <dt safe>{tr('mailbox.letter.forwardedBy')}</dt>
            <dd>
              <span safe>{message.forwardedBy.name}</span>,{' '}
              <time datetime={isoDate(message.forwardedBy.at)} safe>
                {formatDateTime(lang, message.forwardedBy.at)}
              </time>
            </dd>
            {message.forwardedBy.note ? (
              <>
                <dt safe>{tr('mailbox.letter.forwardNote')}</dt>
                <dd class="kuvert-forward-note" safe>
                  {message.forwardedBy.note}
                </dd>
              </>
            ) : (
              ''
            )}
          </>
        ) : (
          ''
        )}
        <dt safe>{tr('mailbox.letter.folder')}</dt>
        <dd safe>{folderName(tr, folder, folders)}</dd>
      </dl>
      {message.legalNotification ? (
        <p>
          <span class="badge kuvert-legal-badge" safe>
            {tr('mailbox.legalBadge')}
          </span>
        </p>
      ) : (
        ''
      )}
      {message.notification ? (
        <section class="kuvert-notification">
          <h2 safe>{tr('mailbox.letter.notification')}</h2>
          <p safe>{message.notification}</p>
        </section>
      ) : (
        ''
      )}
      {message.actions.length > 0 ? (
        <section class="kuvert-actions">
          <h2 safe>{tr('mailbox.actions.heading')}</h2>
          <ul class="unstyled-list">
            {message.actions.map((action) => (
              <ActionView lang={lang} messageId={message.id} action={action} mayAct={mayAct} csrfField={csrfField} />
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
      <LetterDocuments lang={lang} message={message} />
      {message.documents.length > 1 ? (
        <p class="kuvert-download-all">
          <a class="button button-secondary" href={`/post/${message.id}/dokumenter.zip`} download="">
            <Icon name="download" />
            <span safe>{tr('mailbox.letter.downloadAll')}</span>
          </a>
        </p>
      ) : (
        ''
      )}
      <LetterProofs lang={lang} messageId={message.id} proofs={proofs} />
      <script src="/assets/letter.js" defer />
    </article>
  );
}
