import { BackLink, PageHeader } from '../../web/components/index.ts';
import { type Lang, translator } from '../../web/i18n.ts';
import { day, lastDay } from './access.views.tsx';
import type { DelegationFormValues } from './caseworker-access.views.tsx';
import type { DelegationPlan } from './register-delegation.ts';

/** "Anna Jensens" / "Anna Jensen's"; a name ending in s, x or z takes an apostrophe only ("Lars'"). */
export function possessive(lang: Lang, name: string): string {
  if (lang === 'da') return /[sxz]$/i.test(name) ? `${name}'` : `${name}s`;
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

/**
 * Citizen service's confirmation step: the register's names of both people and what is given, before anything is
 * written. The form carries the details as typed (checked again on confirming) and the plan's confirmation code;
 * "Tilbage" shows the form again with them filled in.
 */
export function ConfirmDelegationView(props: {
  lang: Lang;
  csrf: JSX.Element;
  plan: DelegationPlan;
  values: DelegationFormValues & { kind: string };
}) {
  const tr = translator(props.lang);
  const { plan, values } = props;
  const base = `/borgerservice/personer/${plan.person.id}/adgang`;
  const until =
    plan.kind === 'parent' && plan.endsAt
      ? tr('access.caseworker.confirm.untilEighteen', { date: day(props.lang, plan.endsAt) })
      : plan.endsAt
        ? tr('access.caseworker.confirm.until', { date: lastDay(props.lang, plan.endsAt) })
        : tr('access.caseworker.confirm.noEnd');
  const hidden: [string, string | undefined][] = [
    ['kind', values.kind],
    ['cpr', values.cpr],
    ['name', values.name],
    ['level', values.level],
    ['documentReference', values.documentReference],
    ['endDate', values.endDate],
    ['confirmation', plan.confirmation],
  ];
  return (
    <div class="kuvert-access">
      <BackLink href={base} text={tr('access.caseworker.back', { name: plan.person.name })} />
      <PageHeader
        title={tr(`access.caseworker.confirm.heading.${plan.kind}`)}
        lead={tr('access.caseworker.confirm.lead', {
          grantee: plan.grantee.name,
          owner: possessive(props.lang, plan.person.name),
          level: tr(`access.caseworker.confirm.level.${plan.level}`),
          until,
        })}
      />
      <dl class="kuvert-confirm-list">
        <dt safe>{tr('access.caseworker.confirm.kind')}</dt>
        <dd safe>{tr(`access.via.${plan.kind}`)}</dd>
        <dt safe>{tr('access.caseworker.confirm.mailbox')}</dt>
        <dd safe>{plan.person.name}</dd>
        <dt safe>{tr('access.caseworker.confirm.grantee')}</dt>
        <dd safe>{plan.grantee.name}</dd>
        <dt safe>{tr('access.col.access')}</dt>
        <dd safe>{`${tr(`access.level.${plan.level}`)}, ${until}`}</dd>
        {plan.documentReference ? (
          <>
            <dt safe>{tr('access.caseworker.confirm.reference')}</dt>
            <dd safe>{plan.documentReference}</dd>
          </>
        ) : (
          ''
        )}
      </dl>
      <p safe>{tr('access.caseworker.confirm.check', { grantee: plan.grantee.name })}</p>
      <form method="post" action={`${base}/bekraeft`} novalidate autocomplete="off">
        {props.csrf}
        {hidden.map(([name, value]) => (
          <input type="hidden" name={name} value={value ?? ''} />
        ))}
        <button type="submit" class="button button-primary mr-5 mb-4" name="step" value="confirm" safe>
          {tr('access.caseworker.confirm.button')}
        </button>
        <button type="submit" class="button button-secondary mb-4" name="step" value="back" safe>
          {tr('access.caseworker.confirm.back')}
        </button>
      </form>
    </div>
  );
}
