import { DataTable } from '../../web/components/index.ts';
import { formatDateTime, isoDate, type Lang, type MessageKey, translator } from '../../web/i18n.ts';
import type { MessageStatus } from '../messages/index.ts';

type Escalation = NonNullable<MessageStatus['escalation']>;

/** The letter page's escalation section: the plan, why it stopped, and each step's due time and state. */
export function EscalationSection({ lang, escalation }: { lang: Lang; escalation: MessageStatus['escalation'] }) {
  const tr = translator(lang);
  if (!escalation || escalation.steps.length === 0) {
    return (
      <>
        <h2 safe>{tr('escalation.title')}</h2>
        <p safe>{tr('escalation.none')}</p>
      </>
    );
  }
  const when = (value: string | null) =>
    value ? (
      <time datetime={isoDate(value)} safe>
        {formatDateTime(lang, value)}
      </time>
    ) : (
      '–'
    );
  return (
    <>
      <h2 safe>{tr('escalation.title')}</h2>
      <dl class="kuvert-meta">
        <dt safe>{tr('escalation.plan')}</dt>
        <dd safe>{planText(tr, escalation)}</dd>
      </dl>
      {escalation.stopped ? (
        <p class="kuvert-escalation-stopped" safe>
          {tr(`escalation.stopped.${escalation.stopped}` as MessageKey)}
        </p>
      ) : (
        ''
      )}
      <DataTable
        class="kuvert-escalation"
        columns={[
          tr('escalation.col.step'),
          tr('escalation.col.due'),
          tr('escalation.col.state'),
          tr('escalation.col.done'),
        ]}
      >
        {escalation.steps.map((step) => (
          <tr>
            <td data-title={tr('escalation.col.step')} safe>
              {tr(`escalation.action.${step.action}` as MessageKey, {
                days: String(step.afterDays),
                channels: (step.channels ?? [])
                  .map((c) => tr(`escalation.channel.${c}` as MessageKey))
                  .join(lang === 'da' ? ' og ' : ' and '),
              })}
            </td>
            <td data-title={tr('escalation.col.due')}>
              {step.dueAt ? when(step.dueAt) : <span safe>{tr('escalation.notAvailable')}</span>}
            </td>
            <td data-title={tr('escalation.col.state')} safe>
              {tr(`escalation.state.${step.state}` as MessageKey) +
                (step.reason ? ` (${tr(`escalation.reason.${step.reason}` as MessageKey)})` : '')}
            </td>
            <td data-title={tr('escalation.col.done')}>{when(step.doneAt)}</td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}

function planText(tr: ReturnType<typeof translator>, escalation: Escalation): string {
  if (escalation.source === 'letter') return tr('escalation.plan.letter');
  if (escalation.source === 'options') return tr('escalation.plan.options');
  if (escalation.source === 'default') return tr('escalation.plan.default', { name: escalation.plan ?? '' });
  return escalation.plan ?? '';
}
