import { ActionForm, Alert, BackLink, PageHeader } from '../../web/components/index.ts';
import { formatBytes, formatDateTime, isoDate, type Lang, type MessageKey, translator } from '../../web/i18n.ts';
import { Icon } from '../../web/icon.tsx';
import type { UserFolder } from './folders.ts';
import { OrganiseControls } from './inbox.views.tsx';
import {
  documentUrl,
  folderName,
  folderRefOf,
  folderUrl,
  Notice,
  OwnerNotice,
  type Permissions,
} from './mailbox-layout.views.tsx';
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

function formatRange(lang: Lang, start: string | Date | null, end: string | Date | null): string {
  if (!start) return '';
  return end ? `${formatDateTime(lang, start)} – ${formatDateTime(lang, end)}` : formatDateTime(lang, start);
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

/** One letter: who sent it, when, its actions and documents, and what can be done with it. */
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
}) {
  const tr = translator(lang);
  const folder = folderRefOf(message);
  return (
    <article class="kuvert-message">
      <OwnerNotice lang={lang} ownerName={message.ownerName} canSwitch={canSwitch} />
      <FolderBackLink lang={lang} folder={folder} folders={folders} />
      <PageHeader title={message.label} />
      <Notice lang={lang} notice={notice} error={error} />
      <dl class="kuvert-meta">
        <dt safe>{tr('message.from')}</dt>
        <dd safe>{message.senderName}</dd>
        <dt safe>{tr('message.received')}</dt>
        <dd>
          <time datetime={isoDate(message.availableAt)} safe>
            {formatDateTime(lang, message.availableAt)}
          </time>
        </dd>
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
      {message.replyable ? (
        <p>
          <a class="button button-primary" href={`/post/${message.id}/svar`} safe>
            {tr('mailbox.letter.reply')}
          </a>
        </p>
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
      <h2 safe>{tr('message.documents')}</h2>
      {message.documents.map((doc) => {
        const url = documentUrl(message.id, doc.position);
        return (
          <section class="kuvert-document">
            <h3 safe>{doc.title}</h3>
            {doc.mediaType === 'application/pdf' ? (
              <iframe class="kuvert-pdf" src={url} title={tr('message.documentTitle', { title: doc.title })} />
            ) : doc.mediaType === 'text/html' ? (
              <iframe
                class="kuvert-html"
                sandbox=""
                src={url}
                title={tr('mailbox.letter.htmlTitle', { title: doc.title })}
              />
            ) : doc.text !== null ? (
              <pre class="kuvert-text-document" safe>
                {doc.text}
              </pre>
            ) : (
              ''
            )}
            <p class="mt-3">
              <a class="button button-secondary" href={`${url}?download=1`} download={doc.filename}>
                <Icon name="download" />
                <span safe>{tr('message.download', { filename: doc.filename })}</span>
              </a>{' '}
              <span class="form-hint" safe>
                {`(${formatBytes(lang, doc.sizeBytes)})`}
              </span>
            </p>
          </section>
        );
      })}
      {message.documents.length > 1 ? (
        <p>
          <a class="button button-secondary" href={`/post/${message.id}/dokumenter.zip`} download="">
            <Icon name="download" />
            <span safe>{tr('mailbox.letter.downloadAll')}</span>
          </a>
        </p>
      ) : (
        ''
      )}
      {perms.mayOrganise || perms.mayDelete ? (
        <form method="post" action="/post/handling" class="kuvert-letter-organise">
          {csrfField as 'safe'}
          <input type="hidden" name="id" value={message.id} />
          <input type="hidden" name="returnTo" value={`/post/${message.id}`} />
          <fieldset>
            <legend safe>{tr('mailbox.letter.manage')}</legend>
            <OrganiseControls lang={lang} folder={folder} folders={folders} perms={perms} idPrefix="letter" />
          </fieldset>
        </form>
      ) : (
        ''
      )}
    </article>
  );
}
