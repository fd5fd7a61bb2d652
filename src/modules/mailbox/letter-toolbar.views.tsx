import { ActionForm } from '../../web/components/index.ts';
import { type Lang, translator } from '../../web/i18n.ts';
import { Icon } from '../../web/icon.tsx';
import type { UserFolder } from './folders.ts';
import { folderName, folderParam, type Permissions } from './mailbox-layout.views.tsx';
import type { FolderRef } from './mailbox-listing.repository.ts';
import type { OpenedMessage } from './open-message.ts';

/** A one-button form on the letter page for an operation of /post/handling (trash, restore, mark unread, …). */
function LetterOperation({
  messageId,
  csrfField,
  operation,
  text,
}: {
  messageId: string;
  csrfField: string;
  operation: string;
  text: string;
}) {
  return (
    <ActionForm
      action="/post/handling"
      class="kuvert-letter-operation"
      csrf={csrfField as 'safe'}
      hidden={{ id: messageId, returnTo: `/post/${messageId}`, handling: operation }}
      text={text}
    />
  );
}

/**
 * What can be done with the letter, at its top: reply, forward, move, delete (or restore and delete for good in
 * Trash), mark unread, print. Each shows only when the policy allows it (mayInMailbox, through `perms`, `replyable`
 * and `forwardable`). Move opens a small form in a disclosure (no script needed); Print is a button that the page's
 * script shows and wires to the browser's print (without script the browser's own print uses the same print styles).
 */
export function LetterToolbar({
  lang,
  message,
  folder,
  folders,
  perms,
  csrfField,
}: {
  lang: Lang;
  message: OpenedMessage;
  folder: FolderRef;
  folders: UserFolder[];
  perms: Permissions;
  csrfField: string;
}) {
  const tr = translator(lang);
  const inTrash = folder.kind === 'trash';
  const targets: FolderRef[] = [
    { kind: 'inbox' } as FolderRef,
    { kind: 'archive' } as FolderRef,
    ...folders.map((f): FolderRef => ({ kind: 'user', id: f.id, name: f.name })),
  ].filter((f) => !(f.kind === folder.kind && (f.kind !== 'user' || (folder.kind === 'user' && folder.id === f.id))));
  return (
    <div class="kuvert-letter-toolbar">
      {message.replyable ? (
        <a class="button button-primary" href={`/post/${message.id}/svar`}>
          <Icon name="reply" />
          <span safe>{tr('mailbox.letter.reply')}</span>
        </a>
      ) : (
        ''
      )}
      {message.forwardable ? (
        <a class="button button-secondary" href={`/post/${message.id}/videresend`}>
          <Icon name="forward" />
          <span safe>{tr('mailbox.letter.forward')}</span>
        </a>
      ) : (
        ''
      )}
      {perms.mayOrganise && !inTrash && targets.length > 0 ? (
        <details class="kuvert-letter-move">
          <summary class="button button-secondary" safe>
            {tr('mailbox.letter.move')}
          </summary>
          <form method="post" action="/post/handling" class="kuvert-letter-move-form">
            {csrfField as 'safe'}
            <input type="hidden" name="id" value={message.id} />
            <input type="hidden" name="returnTo" value={`/post/${message.id}`} />
            <label class="form-label" for="letter-target" safe>
              {tr('mailbox.bulk.moveTo')}
            </label>
            <div class="kuvert-search-row">
              <select class="form-select" id="letter-target" name="mappe">
                {targets.map((f) => (
                  <option value={folderParam(f) ?? 'indbakke'} safe>
                    {folderName(tr, f, folders)}
                  </option>
                ))}
              </select>
              <button class="button button-primary" type="submit" name="handling" value="move" safe>
                {tr('mailbox.letter.moveSubmit')}
              </button>
            </div>
          </form>
        </details>
      ) : (
        ''
      )}
      {perms.mayDelete && !inTrash ? (
        <LetterOperation
          messageId={message.id}
          csrfField={csrfField}
          operation="trash"
          text={tr('mailbox.bulk.trash')}
        />
      ) : (
        ''
      )}
      {perms.mayDelete && inTrash ? (
        <LetterOperation
          messageId={message.id}
          csrfField={csrfField}
          operation="restore"
          text={tr('mailbox.bulk.restore')}
        />
      ) : (
        ''
      )}
      {perms.mayDeletePermanently && inTrash ? (
        <LetterOperation
          messageId={message.id}
          csrfField={csrfField}
          operation="delete_permanently"
          text={tr('mailbox.bulk.deletePermanently')}
        />
      ) : (
        ''
      )}
      {perms.mayOrganise && !inTrash ? (
        <LetterOperation
          messageId={message.id}
          csrfField={csrfField}
          operation="mark_unread"
          text={tr('mailbox.bulk.markUnread')}
        />
      ) : (
        ''
      )}
      <button class="button button-secondary" type="button" data-kuvert-print="" hidden>
        <Icon name="print" />
        <span safe>{tr('mailbox.letter.print')}</span>
      </button>
    </div>
  );
}
