import { ActionForm, MessageAlert, PageHeader } from '../../web/components/index.ts';
import { formatDateTime, type Lang, translator } from '../../web/i18n.ts';
import type { RegistrationView } from './get-registration.ts';
import { type FormError, HistoryTable, statusText } from './registry.views.tsx';

/** The citizen's own page: status in plain words, the history, and enrolling voluntarily when not enrolled. */
export function OwnEnrolmentView(props: {
  lang: Lang;
  view: RegistrationView;
  csrf: JSX.Element;
  enrolled?: boolean;
  error?: FormError;
}) {
  const tr = translator(props.lang);
  const { registration, age, history } = props.view;
  const underAge = age !== null && age < 15;
  const canEnrol = registration.enrolment === 'exempted' || (registration.enrolment === 'not_enrolled' && !underAge);
  return (
    <div class="kuvert-enrolment">
      <PageHeader title={tr('enrolment.heading')} />
      {props.enrolled ? <MessageAlert kind="success" text={tr('enrolment.enrolled')} /> : ''}
      {props.error ? <MessageAlert kind="error" text={props.error.message} /> : ''}
      <h2 safe>{tr('enrolment.status')}</h2>
      <p class="font-lead kuvert-enrolment-status">
        <strong safe>{statusText(tr, registration.enrolment)}</strong>
      </p>
      <p class="form-hint" safe>
        {tr('enrolment.since', { date: formatDateTime(props.lang, registration.enrolmentChangedAt) })}
      </p>
      {registration.exemptionGround ? (
        <dl class="kuvert-meta">
          <dt safe>{tr('enrolment.ground')}</dt>
          <dd class="kuvert-exemption-ground" safe>
            {tr(`registry.ground.${registration.exemptionGround}`)}
          </dd>
        </dl>
      ) : (
        ''
      )}
      <p safe>{tr(`enrolment.explain.${registration.enrolment}`)}</p>
      {registration.enrolment === 'not_enrolled' && underAge ? <p safe>{tr('enrolment.explain.underAge')}</p> : ''}
      {canEnrol ? (
        <section class="mt-6">
          <h2 safe>{tr('enrolment.enrol.heading')}</h2>
          <p safe>{tr('enrolment.enrol.text')}</p>
          <ActionForm
            action="/tilmelding/frivillig"
            class={null}
            csrf={props.csrf}
            buttonClass="button button-primary"
            text={tr('enrolment.enrol.button')}
          />
        </section>
      ) : (
        ''
      )}
      <h2 class="mt-6" safe>
        {tr('enrolment.history')}
      </h2>
      <HistoryTable lang={props.lang} history={history} ownerId={registration.id} />
    </div>
  );
}
