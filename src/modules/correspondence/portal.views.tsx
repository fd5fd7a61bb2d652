import type { AppError } from '../../http/problem.ts';
import { ActionForm, Alert, DataTable, PageHeader, Pager } from '../../web/components/index.ts';
import { formatBytes, formatDateTime, isoDate, type Lang, translator } from '../../web/i18n.ts';
import { PortalNav } from '../senders/index.ts';
import { ALLOWED_MEDIA_TYPES } from './attachments.ts';
import type { ContactPoint } from './contact-points.ts';
import type { InboundListItem, InboundRecord } from './inbound.repository.ts';
import { writerText } from './sent.views.tsx';
import { controlOf, ErrorSummary, errorText, FieldError, PageLinks, TYPE_NAMES, typeList } from './shared.views.tsx';

/** The portal's own tabs between contact points and what recipients wrote. */
function Tabs({ lang, current }: { lang: Lang; current: 'points' | 'inbound' }) {
  const tr = translator(lang);
  return (
    <PageLinks
      label={tr('corr.portal.tabs')}
      links={[
        { href: '/afsender/henvendelser', text: tr('corr.portal.inbound'), current: current === 'inbound' },
        { href: '/afsender/kontaktpunkter', text: tr('corr.portal.points'), current: current === 'points' },
      ]}
    />
  );
}

const limitsText = (lang: Lang, cp: ContactPoint) => {
  const tr = translator(lang);
  return cp.maxAttachments === 0
    ? tr('corr.portal.noAttachments')
    : tr('corr.portal.limits', {
        count: cp.maxAttachments,
        total: formatBytes(lang, cp.maxTotalBytes),
        types: typeList(cp.allowedMediaTypes),
      });
};

/** /afsender/kontaktpunkter: the organisation's contact points. */
export function ContactPointsView({ lang, points, saved }: { lang: Lang; points: ContactPoint[]; saved: boolean }) {
  const tr = translator(lang);
  return (
    <>
      <PageHeader title={tr('corr.portal.points.heading')} />
      <PortalNav lang={lang} current="correspondence" />
      <Tabs lang={lang} current="points" />
      {saved ? (
        <Alert kind="success" role="status">
          <p class="alert-text" safe>
            {tr('corr.portal.saved')}
          </p>
        </Alert>
      ) : (
        ''
      )}
      <p safe>{tr('corr.portal.points.intro')}</p>
      <p>
        <a class="button button-primary" href="/afsender/kontaktpunkter/ny" safe>
          {tr('corr.portal.points.new')}
        </a>
      </p>
      {points.length === 0 ? (
        <p safe>{tr('corr.portal.points.none')}</p>
      ) : (
        <DataTable columns={[tr('corr.portal.name'), tr('corr.portal.state'), tr('corr.portal.attachments')]}>
          {points.map((cp) => (
            <tr>
              <td data-title={tr('corr.portal.name')}>
                <a href={`/afsender/kontaktpunkter/${cp.id}`} safe>
                  {cp.name}
                </a>
              </td>
              <td data-title={tr('corr.portal.state')} safe>
                {cp.active ? tr('corr.portal.active') : tr('corr.portal.inactive')}
              </td>
              <td data-title={tr('corr.portal.attachments')} safe>
                {limitsText(lang, cp)}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}

/** The contact point form as typed (strings), echoed back on errors. */
export interface ContactPointFormValues {
  name: string;
  description: string;
  maxAttachments: string;
  maxTotalMb: string;
  types: string[];
  active: boolean;
}

export const formValuesOf = (cp: ContactPoint): ContactPointFormValues => ({
  name: cp.name,
  description: cp.description,
  maxAttachments: String(cp.maxAttachments),
  maxTotalMb: String(Math.round((cp.maxTotalBytes / (1024 * 1024)) * 10) / 10),
  types: cp.allowedMediaTypes,
  active: cp.active,
});

/** Create or edit a contact point. */
export function ContactPointFormView(props: {
  lang: Lang;
  csrf: JSX.Element;
  action: string;
  heading: string;
  values: ContactPointFormValues;
  error: AppError | null;
}) {
  const { lang, values, error } = props;
  const tr = translator(lang);
  const control = error ? controlOf(error.field) : null;
  const fieldName: Record<string, string> = { maxTotalBytes: 'maxTotalMb', allowedMediaTypes: 'types' };
  const at = control ? (fieldName[control] ?? control) : null;
  const message = error ? errorText(lang, error) : null;
  const errorAt = (name: string) => (at === name ? message : null);
  const text = (
    name: 'name' | 'maxAttachments' | 'maxTotalMb',
    label: string,
    hint: string | null,
    numeric = false,
  ) => (
    <div class={`form-group${errorAt(name) ? ' form-error' : ''}`}>
      <label class="form-label" for={name} safe>
        {label}
      </label>
      {hint ? (
        <span class="form-hint" id={`${name}-hint`} safe>
          {hint}
        </span>
      ) : (
        ''
      )}
      <FieldError lang={lang} id={`${name}-error`} text={errorAt(name)} />
      <input
        class={`form-input${numeric ? ' input-width-xs' : ''}`}
        id={name}
        name={name}
        type="text"
        inputmode={numeric ? 'decimal' : undefined}
        value={values[name]}
        aria-describedby={
          [hint ? `${name}-hint` : '', errorAt(name) ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined
        }
      />
    </div>
  );
  return (
    <>
      <PageHeader title={props.heading} />
      <PortalNav lang={lang} current="correspondence" />
      <Tabs lang={lang} current="points" />
      {error && message ? (
        <ErrorSummary lang={lang} text={message} target={at === 'types' ? 'type-0' : (at ?? 'name')} />
      ) : (
        ''
      )}
      <form method="post" action={props.action} novalidate>
        {props.csrf}
        {text('name', tr('corr.portal.name'), tr('corr.portal.name.hint'))}
        <div class={`form-group${errorAt('description') ? ' form-error' : ''}`}>
          <label class="form-label" for="description" safe>
            {tr('corr.portal.description')}
          </label>
          <FieldError lang={lang} id="description-error" text={errorAt('description')} />
          <textarea class="form-input" id="description" name="description" rows="3" maxlength="1000" safe>
            {values.description}
          </textarea>
        </div>
        {text('maxAttachments', tr('corr.portal.maxAttachments'), tr('corr.portal.maxAttachments.hint'), true)}
        {text('maxTotalMb', tr('corr.portal.maxTotal'), tr('corr.portal.maxTotal.hint'), true)}
        <fieldset class={`form-group${errorAt('types') ? ' form-error' : ''}`}>
          <legend class="form-label" safe>
            {tr('corr.portal.types')}
          </legend>
          <FieldError lang={lang} id="types-error" text={errorAt('types')} />
          <ul class="nobullet-list">
            {ALLOWED_MEDIA_TYPES.map((type, i) => (
              <li>
                <div class="form-group-checkbox">
                  <input
                    id={`type-${i}`}
                    type="checkbox"
                    name="types"
                    value={type}
                    class="form-checkbox"
                    checked={values.types.includes(type)}
                  />
                  <label for={`type-${i}`} class="form-label" safe>
                    {TYPE_NAMES[type] ?? type}
                  </label>
                </div>
              </li>
            ))}
          </ul>
        </fieldset>
        <div class="form-group form-group-checkbox">
          <input id="active" type="checkbox" name="active" value="1" class="form-checkbox" checked={values.active} />
          <label for="active" class="form-label" safe>
            {tr('corr.portal.activeLabel')}
          </label>
        </div>
        <button type="submit" class="button button-primary" safe>
          {tr('corr.portal.save')}
        </button>
      </form>
    </>
  );
}

/** /afsender/henvendelser: what recipients wrote, newest first. */
export function InboundListView({
  lang,
  items,
  nextBefore,
  isContinuation,
}: {
  lang: Lang;
  items: InboundListItem[];
  nextBefore: string | null;
  isContinuation: boolean;
}) {
  const tr = translator(lang);
  return (
    <>
      <PageHeader title={tr('corr.portal.inbound.heading')} />
      <PortalNav lang={lang} current="correspondence" />
      <Tabs lang={lang} current="inbound" />
      {items.length === 0 ? (
        <p safe>{tr('corr.portal.inbound.none')}</p>
      ) : (
        <DataTable
          columns={[
            tr('corr.col.subject'),
            tr('corr.portal.concerns'),
            tr('corr.col.writer'),
            tr('corr.col.date'),
            tr('corr.col.status'),
          ]}
        >
          {items.map((item) => (
            <tr>
              <td data-title={tr('corr.col.subject')}>
                <a href={`/afsender/henvendelser/${item.id}`} safe>
                  {item.subject}
                </a>
              </td>
              <td data-title={tr('corr.portal.concerns')} safe>
                {item.contactPointName
                  ? tr('corr.portal.viaPoint', { name: item.contactPointName })
                  : tr('corr.portal.replyTo', { label: item.inReplyToLabel ?? '' })}
              </td>
              <td data-title={tr('corr.col.writer')} safe>
                {writerText(lang, item)}
              </td>
              <td data-title={tr('corr.col.date')}>
                <time datetime={isoDate(item.createdAt)} safe>
                  {formatDateTime(lang, item.createdAt)}
                </time>
              </td>
              <td data-title={tr('corr.col.status')} safe>
                {item.acknowledgedAt ? tr('corr.portal.acknowledged') : tr('corr.portal.new')}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager
        label={tr('corr.pagination')}
        first={isContinuation ? { href: '/afsender/henvendelser', text: tr('corr.first') } : null}
        next={nextBefore ? { href: `/afsender/henvendelser?before=${nextBefore}`, text: tr('corr.next') } : null}
      />
    </>
  );
}

/** One inbound message for sender staff, with the acknowledge button. */
export function InboundItemView({ lang, csrf, record }: { lang: Lang; csrf: JSX.Element; record: InboundRecord }) {
  const tr = translator(lang);
  const writerIsOwner = record.writer.access === 'owner';
  return (
    <>
      <PageHeader title={record.subject} />
      <PortalNav lang={lang} current="correspondence" />
      <Tabs lang={lang} current="inbound" />
      <dl class="kuvert-meta">
        <dt safe>{tr('corr.portal.from')}</dt>
        <dd safe>{record.mailbox.name}</dd>
        <dt safe>{tr('corr.col.writer')}</dt>
        <dd safe>{writerText(lang, { writerName: record.writer.name, writerIsOwner })}</dd>
        <dt safe>{tr('corr.portal.concerns')}</dt>
        <dd safe>
          {record.contactPoint
            ? tr('corr.portal.viaPoint', { name: record.contactPoint.name })
            : tr('corr.portal.replyTo', {
                label: `${record.inReplyTo?.label ?? ''}${record.inReplyTo?.senderReference ? ` (${record.inReplyTo.senderReference})` : ''}`,
              })}
        </dd>
        <dt safe>{tr('corr.col.date')}</dt>
        <dd>
          <time datetime={isoDate(record.createdAt)} safe>
            {formatDateTime(lang, record.createdAt)}
          </time>
        </dd>
        <dt safe>{tr('corr.col.status')}</dt>
        <dd safe>
          {record.acknowledgedAt
            ? tr('corr.portal.acknowledgedAt', { date: formatDateTime(lang, record.acknowledgedAt) })
            : tr('corr.portal.new')}
        </dd>
      </dl>
      <pre class="kuvert-text-document kuvert-corr-text" safe>
        {record.body}
      </pre>
      {record.attachments.length ? (
        <ul class="kuvert-corr-files">
          {record.attachments.map((a) => (
            <li>
              <a href={`/afsender/henvendelser/${record.id}/bilag/${a.position}`} download={a.filename} safe>
                {a.filename}
              </a>{' '}
              <span class="form-hint" safe>
                {`(${formatBytes(lang, a.sizeBytes)})`}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
      {record.acknowledgedAt ? (
        ''
      ) : (
        <ActionForm
          action={`/afsender/henvendelser/${record.id}/kvitter`}
          class={null}
          csrf={csrf}
          buttonClass="button button-primary"
          text={tr('corr.portal.acknowledge')}
        />
      )}
    </>
  );
}
