import { ActionForm, PageHeader } from '../../web/components/index.ts';
import { type Lang, type MessageKey, translator } from '../../web/i18n.ts';
import { MailboxLayout, type MailboxNav, Notice } from './mailbox-layout.views.tsx';

export function FoldersView({
  lang,
  nav,
  csrfField,
  notice,
  error,
  value,
}: {
  lang: Lang;
  nav: MailboxNav;
  csrfField: string;
  notice: MessageKey | null;
  error: MessageKey | null;
  value: string;
}) {
  const tr = translator(lang);
  return (
    <MailboxLayout lang={lang} nav={nav}>
      <div class="kuvert-folder-admin">
        <PageHeader title={tr('mailbox.folders.heading')} />
        <Notice lang={lang} notice={notice} error={error} />
        <form method="post" action="/post/mapper" class="kuvert-folder-create">
          {csrfField as 'safe'}
          <div class={error ? 'form-group form-error' : 'form-group'}>
            <label class="form-label" for="folder-name" safe>
              {tr('mailbox.folders.name')}
            </label>
            <div class="kuvert-search-row">
              <input
                class="form-input"
                id="folder-name"
                name="name"
                maxlength="80"
                required
                value={value}
                aria-invalid={error ? 'true' : undefined}
              />
              <button class="button button-primary" type="submit" safe>
                {tr('mailbox.folders.create')}
              </button>
            </div>
          </div>
        </form>
        {nav.folders.length === 0 ? (
          <p safe>{tr('mailbox.folders.none')}</p>
        ) : (
          <>
            <p class="form-hint" safe>
              {tr('mailbox.folders.deleteHint')}
            </p>
            <ul class="unstyled-list kuvert-folder-list">
              {nav.folders.map((f) => (
                <li class="kuvert-folder-item">
                  <form method="post" action={`/post/mapper/${f.id}`}>
                    {csrfField as 'safe'}
                    <label class="form-label" for={`rename-${f.id}`} safe>
                      {tr('mailbox.folders.newName', { name: f.name })}
                    </label>
                    <div class="kuvert-search-row">
                      <input
                        class="form-input"
                        id={`rename-${f.id}`}
                        name="name"
                        maxlength="80"
                        required
                        value={f.name}
                      />
                      <button class="button button-secondary" type="submit" safe>
                        {tr('mailbox.folders.rename')}
                      </button>
                    </div>
                  </form>
                  <ActionForm
                    action={`/post/mapper/${f.id}/slet`}
                    class={null}
                    csrf={csrfField}
                    buttonClass="button button-tertiary"
                    text={tr('mailbox.folders.delete', { name: f.name })}
                  />
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </MailboxLayout>
  );
}
