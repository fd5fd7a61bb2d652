import { ActionForm, FormField, MessageAlert, PageHeader } from '../../web/components/index.ts';
import { type Lang, type MessageKey, translator } from '../../web/i18n.ts';
import { MailboxLayout, type MailboxNav } from './mailbox-layout.views.tsx';
import type { MailboxRule } from './rules.ts';

type Option = { id: string; name: string };

/** The rules page: the rules in the order they are tried (up, down, delete), and the form for a new one. */
export function RulesView(props: {
  lang: Lang;
  nav: MailboxNav;
  csrfField: string;
  rules: MailboxRule[];
  folders: Option[];
  senders: Option[];
  notice: boolean;
  error: MessageKey | null;
}) {
  const tr = translator(props.lang);
  const { rules, csrfField } = props;
  return (
    <MailboxLayout lang={props.lang} nav={props.nav}>
      <div class="kuvert-rules">
        <PageHeader title={tr('rules.title')} lead={tr('rules.lead')} />
        {props.notice ? <MessageAlert kind="success" text={tr('rules.done')} /> : ''}
        {props.error ? <MessageAlert kind="error" text={tr(props.error)} /> : ''}
        {rules.length === 0 ? (
          <p safe>{tr('rules.none')}</p>
        ) : (
          <ol class="kuvert-rule-list">
            {rules.map((rule, i) => (
              <li class="kuvert-rule">
                <p>
                  <strong safe>{tr('rules.when')}</strong>{' '}
                  <span safe>
                    {[
                      rule.senderName ? `${tr('rules.sender')}: ${rule.senderName}` : null,
                      rule.subjectWords.length > 0 ? `${tr('rules.words')}: ${rule.subjectWords.join(' ')}` : null,
                      rule.senderReference ? `${tr('rules.reference')}: ${rule.senderReference}` : null,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </span>
                  <br />
                  <strong safe>{tr('rules.then')}</strong> <span safe>{rule.folderName}</span>
                  {rule.notifyFolderEmployees ? <span safe>{` (${tr('rules.notifies')})`}</span> : ''}
                </p>
                <div class="kuvert-rule-actions">
                  {i > 0 ? (
                    <ActionForm
                      action={`/post/regler/${rule.id}/op`}
                      class={null}
                      csrf={csrfField}
                      buttonClass="button button-secondary"
                      text={tr('rules.up', { n: String(i + 1) })}
                    />
                  ) : (
                    ''
                  )}
                  {i < rules.length - 1 ? (
                    <ActionForm
                      action={`/post/regler/${rule.id}/ned`}
                      class={null}
                      csrf={csrfField}
                      buttonClass="button button-secondary"
                      text={tr('rules.down', { n: String(i + 1) })}
                    />
                  ) : (
                    ''
                  )}
                  <ActionForm
                    action={`/post/regler/${rule.id}/slet`}
                    class={null}
                    csrf={csrfField}
                    buttonClass="button button-tertiary"
                    text={tr('rules.delete', { n: String(i + 1) })}
                  />
                </div>
              </li>
            ))}
          </ol>
        )}
        <h2 safe>{tr('rules.addHeading')}</h2>
        {props.folders.length === 0 ? (
          <p>
            <span safe>{tr('rules.noFolders')}</span>{' '}
            <a href="/post/mapper" safe>
              {tr('rules.createFolder')}
            </a>
          </p>
        ) : (
          <form method="post" action="/post/regler">
            {csrfField as 'safe'}
            <FormField id="rule-sender" label={tr('rules.sender')}>
              <select class="form-select" id="rule-sender" name="sender">
                <option value="" safe>
                  {tr('rules.anySender')}
                </option>
                {props.senders.map((s) => (
                  <option value={s.id} safe>
                    {s.name}
                  </option>
                ))}
              </select>
            </FormField>
            <FormField id="rule-words" label={tr('rules.words')} hint={tr('rules.wordsHint')}>
              <input
                class="form-input"
                id="rule-words"
                name="words"
                maxlength="200"
                aria-describedby="rule-words-hint"
              />
            </FormField>
            <FormField id="rule-reference" label={tr('rules.reference')} hint={tr('rules.referenceHint')}>
              <input
                class="form-input"
                id="rule-reference"
                name="reference"
                maxlength="200"
                aria-describedby="rule-reference-hint"
              />
            </FormField>
            <FormField id="rule-folder" label={tr('rules.folder')}>
              <select class="form-select" id="rule-folder" name="folder" required>
                {props.folders.map((f) => (
                  <option value={f.id} safe>
                    {f.name}
                  </option>
                ))}
              </select>
            </FormField>
            <div class="form-group">
              <div class="form-group-checkbox">
                <input class="form-checkbox" type="checkbox" id="rule-notify" name="notify" value="1" />
                <label class="form-label" for="rule-notify" safe>
                  {tr('rules.notify')}
                </label>
              </div>
            </div>
            <button class="button button-primary" type="submit" safe>
              {tr('rules.add')}
            </button>
          </form>
        )}
      </div>
    </MailboxLayout>
  );
}

/** The page where a business's administrator limits an employee's access to chosen folders (or the whole mailbox). */
export function GrantFoldersView(props: {
  lang: Lang;
  nav: MailboxNav;
  csrfField: string;
  grantId: string;
  granteeName: string;
  folders: Option[];
  chosen: readonly string[] | null;
  error: MessageKey | null;
}) {
  const tr = translator(props.lang);
  const scoped = props.chosen !== null;
  return (
    <MailboxLayout lang={props.lang} nav={props.nav}>
      <div class="kuvert-grant-folders">
        <PageHeader title={tr('grantFolders.title')} lead={tr('grantFolders.lead', { name: props.granteeName })} />
        {props.error ? <MessageAlert kind="error" text={tr(props.error)} /> : ''}
        <form method="post" action={`/post/adgang/${props.grantId}/mapper`}>
          {props.csrfField as 'safe'}
          <fieldset class="form-group">
            <legend class="form-label" safe>
              {tr('grantFolders.title')}
            </legend>
            <div class="form-group-radio">
              <input class="form-radio" type="radio" id="scope-whole" name="omfang" value="hele" checked={!scoped} />
              <label class="form-label" for="scope-whole" safe>
                {tr('grantFolders.whole')}
              </label>
            </div>
            <div class="form-group-radio">
              <input class="form-radio" type="radio" id="scope-chosen" name="omfang" value="mapper" checked={scoped} />
              <label class="form-label" for="scope-chosen" safe>
                {tr('grantFolders.chosen')}
              </label>
            </div>
          </fieldset>
          <fieldset class="form-group">
            <legend class="form-label" safe>
              {tr('grantFolders.folders')}
            </legend>
            {props.folders.map((f) => (
              <div class="form-group-checkbox">
                <input
                  class="form-checkbox"
                  type="checkbox"
                  id={`folder-${f.id}`}
                  name="mappe"
                  value={f.id}
                  checked={props.chosen?.includes(f.id) ?? false}
                />
                <label class="form-label" for={`folder-${f.id}`} safe>
                  {f.name}
                </label>
              </div>
            ))}
          </fieldset>
          <button class="button button-primary" type="submit" safe>
            {tr('grantFolders.save')}
          </button>
        </form>
      </div>
    </MailboxLayout>
  );
}
