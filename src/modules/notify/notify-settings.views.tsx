import { type Lang, translator } from '../../web/i18n.ts';
import type { ContactDetailItem } from './contact-details.ts';
import type { NotifyPreference } from './notify.repository.ts';

/** What the notification settings on the contact page show, and where their form posts (NOTIFY_SETTINGS_PATH). */
export interface NotificationSettingsProps {
  lang: Lang;
  csrfToken: string;
  /** The person's contact details: a channel without a confirmed one gets a hint. */
  details: ContactDetailItem[];
  preference: NotifyPreference;
  action: string;
}

/** The person's choices: e-mail and/or SMS, the language of notifications, and the NemSMS opt-in. */
export function NotificationSettings({ props }: { props: NotificationSettingsProps }) {
  const tr = translator(props.lang);
  const { preference, details } = props;
  const hasEmail = details.some((d) => d.kind === 'email' && d.status === 'confirmed');
  const hasMobile = details.some((d) => d.kind === 'mobile' && d.status === 'confirmed');
  const checkbox = (name: string, id: string, checked: boolean, label: string, hint: string | null) => (
    <div class="form-group-checkbox">
      <input
        class="form-checkbox"
        type="checkbox"
        id={id}
        name={name}
        value="1"
        checked={checked}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <label class="form-label" for={id} safe>
        {label}
      </label>
      {hint ? (
        <span class="form-hint" id={`${id}-hint`} safe>
          {hint}
        </span>
      ) : (
        ''
      )}
    </div>
  );
  const radio = (value: 'da' | 'en', label: string) => (
    <div class="form-group-radio">
      <input
        class="form-radio"
        type="radio"
        id={`notify-language-${value}`}
        name="language"
        value={value}
        checked={preference.language === value}
      />
      <label class="form-label" for={`notify-language-${value}`} safe>
        {label}
      </label>
    </div>
  );
  return (
    <section class="mt-7 kuvert-notify-settings" id="advisering" aria-labelledby="notify-settings-heading">
      <h2 id="notify-settings-heading" safe>
        {tr('notify.settings.heading')}
      </h2>
      <p safe>{tr('notify.settings.intro')}</p>
      <form method="post" action={props.action}>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <fieldset class="form-group">
          <legend class="form-label" safe>
            {tr('notify.settings.channels')}
          </legend>
          {checkbox(
            'byEmail',
            'notify-email',
            preference.byEmail,
            tr('notify.settings.email'),
            hasEmail ? null : tr('notify.settings.noEmail'),
          )}
          {checkbox(
            'bySms',
            'notify-sms',
            preference.bySms,
            tr('notify.settings.sms'),
            hasMobile ? null : tr('notify.settings.noMobile'),
          )}
        </fieldset>
        <fieldset class="form-group">
          <legend class="form-label" safe>
            {tr('notify.settings.language')}
          </legend>
          {radio('da', tr('notify.settings.language.da'))}
          {radio('en', tr('notify.settings.language.en'))}
        </fieldset>
        <fieldset class="form-group">
          <legend class="form-label" safe>
            {tr('notify.settings.nemsms')}
          </legend>
          {checkbox(
            'nemsms',
            'notify-nemsms',
            preference.nemsms,
            tr('notify.settings.nemsms.label'),
            tr('notify.settings.nemsms.hint'),
          )}
        </fieldset>
        <button type="submit" class="button button-primary" safe>
          {tr('notify.settings.save')}
        </button>
      </form>
    </section>
  );
}
