import { ActionForm, MessageAlert, PageHeader } from '../../web/components/index.ts';
import { type Lang, translator } from '../../web/i18n.ts';
import { accessText, type FormError } from './access.views.tsx';
import type { OpenableMailbox } from './mailbox-access.ts';

/** The mailbox switcher: every mailbox the person may open, own first, each chosen by a small form. */
export function SwitchView(props: {
  lang: Lang;
  csrf: JSX.Element;
  mailboxes: OpenableMailbox[];
  current: OpenableMailbox;
  error?: FormError;
}) {
  const tr = translator(props.lang);
  return (
    <div class="kuvert-access">
      <PageHeader title={tr('access.switch.heading')} />
      {props.error ? <MessageAlert kind="error" text={props.error.message} /> : ''}
      <p safe>{tr('access.switch.intro')}</p>
      <p class="kuvert-access-current" safe>
        {tr('access.switch.current', { name: props.current.owner.name })}
      </p>
      <ul class="nobullet-list kuvert-mailbox-list">
        {props.mailboxes.map((m) => {
          const own = m.access.via === 'self';
          const isCurrent = m.owner.id === props.current.owner.id;
          const name = own ? tr('access.switch.own', { name: m.owner.name }) : m.owner.name;
          return (
            <li class="kuvert-mailbox-choice">
              <div>
                <p class="kuvert-mailbox-name">
                  <strong safe>{name}</strong>
                </p>
                <p class="form-hint" safe>
                  {`${tr(`access.switch.kind.${m.owner.kind}`)} · ${accessText(tr, m.access.level, m.access.via)}`}
                </p>
              </div>
              {isCurrent ? (
                <span class="kuvert-mailbox-current" safe>
                  {tr('access.switch.isCurrent')}
                </span>
              ) : (
                <ActionForm
                  action="/post/postkasser"
                  class={null}
                  csrf={props.csrf}
                  hidden={{ mailbox: m.owner.id }}
                  text={tr('access.switch.open')}
                  ariaLabel={tr('access.switch.openNamed', { name: m.owner.name })}
                />
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
