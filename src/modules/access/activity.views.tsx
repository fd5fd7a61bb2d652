import { DataTable, PageHeader, Pager } from '../../web/components/index.ts';
import { formatDateTime, isoDate, type Lang, type Translate, translator } from '../../web/i18n.ts';
import { accessText, lastDay, MailboxContext } from './access.views.tsx';
import type { ActivityItem } from './list-activity.ts';
import type { OpenableMailbox } from './mailbox-access.ts';

/** Who did something, as the owner reads it. */
export function whoText(tr: Translate, item: ActivityItem): string {
  switch (item.who.kind) {
    case 'owner':
      return item.who.viewerIsOwner ? tr('access.activity.you') : tr('access.activity.owner');
    case 'delegate':
      return item.who.level && item.who.via
        ? tr('access.activity.withAccess', {
            name: item.who.name,
            access: accessText(tr, item.who.level, item.who.via).toLocaleLowerCase(),
          })
        : item.who.name;
    case 'citizen_service':
      return item.who.municipality
        ? tr('access.activity.citizenService', { municipality: item.who.municipality })
        : tr('access.activity.citizenServiceUnknown');
    case 'unknown':
      return tr('access.activity.unknownPerson');
    default:
      return tr('access.activity.system');
  }
}

export function whatText(lang: Lang, item: ActivityItem): string {
  const tr = translator(lang);
  const what = item.what;
  switch (what.kind) {
    case 'open':
      return tr('access.activity.open', { label: what.label ?? tr('access.activity.goneLetter') });
    case 'document_open':
      if (what.all)
        return tr('access.activity.documentsAll', { label: what.label ?? tr('access.activity.goneLetter') });
      return what.title
        ? tr('access.activity.documentOpen', {
            title: what.title,
            label: what.label ?? tr('access.activity.goneLetter'),
          })
        : tr('access.activity.documentOpenUntitled', { label: what.label ?? tr('access.activity.goneLetter') });
    case 'forward':
      return tr('access.activity.forward', {
        label: what.label ?? tr('access.activity.goneLetter'),
        name: what.toName || tr('access.activity.unknownPerson'),
      });
    case 'forward_received':
      return tr('access.activity.forwardReceived', {
        label: what.label ?? tr('access.activity.goneLetter'),
        name: what.fromName || tr('access.activity.unknownPerson'),
      });
    case 'export_request':
      return tr('access.activity.exportRequest');
    case 'export_download':
      return tr('access.activity.exportDownload');
    case 'grant':
    case 'register':
    case 'revoke': {
      const access =
        what.level === 'owner' && what.delegationKind === 'business'
          ? tr('access.businessAdministrator').toLocaleLowerCase()
          : tr(`access.levelLower.${what.level}`);
      const name = what.granteeName ?? tr('access.activity.unknownPerson');
      const until =
        what.kind !== 'revoke' && what.endsAt
          ? ` ${tr('access.activity.until', { date: lastDay(lang, what.endsAt) })}`
          : '';
      if (what.kind === 'grant') return `${tr('access.activity.grant', { name, access })}${until}`;
      if (what.kind === 'register') {
        const kind = tr(`access.kindLower.${what.delegationKind}`);
        return `${tr('access.activity.register', { kind, name, access })}${until}`;
      }
      return tr('access.activity.revoke', { name, access });
    }
  }
}

/** The owner's activity log: who opened what and when, and changes to access. Newest first, keyset pages. */
export function ActivityView(props: {
  lang: Lang;
  current: OpenableMailbox;
  items: ActivityItem[];
  nextBefore: string | null;
  isContinuation: boolean;
}) {
  const tr = translator(props.lang);
  const own = props.current.access.via === 'self';
  return (
    <div class="kuvert-access">
      <MailboxContext lang={props.lang} current={props.current} />
      <PageHeader
        title={
          own ? tr('access.activity.headingOwn') : tr('access.activity.heading', { name: props.current.owner.name })
        }
      />
      <p safe>{tr('access.activity.intro')}</p>
      {props.items.length === 0 ? (
        <p safe>{props.isContinuation ? tr('access.activity.emptyMore') : tr('access.activity.empty')}</p>
      ) : (
        <DataTable
          columns={[tr('access.activity.col.when'), tr('access.activity.col.who'), tr('access.activity.col.what')]}
          class="kuvert-activity"
        >
          {props.items.map((item) => (
            <tr>
              <td data-title={tr('access.activity.col.when')}>
                <time datetime={isoDate(item.occurredAt)} safe>
                  {formatDateTime(props.lang, item.occurredAt)}
                </time>
              </td>
              <td data-title={tr('access.activity.col.who')} safe>
                {whoText(tr, item)}
              </td>
              <td data-title={tr('access.activity.col.what')} safe>
                {item.repeated
                  ? tr('access.activity.repeated', {
                      what: whatText(props.lang, item),
                      times: item.repeated.times,
                      first: formatDateTime(props.lang, item.repeated.firstAt),
                    })
                  : whatText(props.lang, item)}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager
        label={tr('access.activity.pagination')}
        first={props.isContinuation ? { href: '/post/aktivitet', text: tr('access.activity.first') } : null}
        next={
          props.nextBefore
            ? { href: `/post/aktivitet?foer=${props.nextBefore}`, text: tr('access.activity.next') }
            : null
        }
      />
      {own || props.current.access.level === 'owner' ? (
        <section aria-labelledby="activity-export" class="mt-8">
          <h2 id="activity-export" safe>
            {tr('access.activity.export.heading')}
          </h2>
          <p safe>{tr('access.activity.export.intro')}</p>
          <p>
            <a class="button button-secondary" href="/post/aktivitet/eksport" download="" safe>
              {tr('access.activity.export.download')}
            </a>
          </p>
          <p class="form-hint" safe>
            {tr('access.activity.export.verify', { keysUrl: '/.well-known/kuvert-evidence-keys.json' })}
          </p>
          <h2 id="activity-whole-mailbox" safe>
            {tr('access.activity.wholeMailbox.heading')}
          </h2>
          <p safe>{tr('access.activity.wholeMailbox.intro')}</p>
          <p>
            <a href="/post/eksport" safe>
              {tr('access.activity.wholeMailbox.link')}
            </a>
          </p>
        </section>
      ) : (
        ''
      )}
    </div>
  );
}
