import { type Lang, type MessageKey, translator } from '../../web/i18n.ts';
import { viewerSenderRole } from '../identity/index.ts';

export type PortalPage =
  | 'letters'
  | 'compose'
  | 'batches'
  | 'webhooks'
  | 'apiKeys'
  | 'correspondence'
  | 'staff'
  | 'systems'
  | 'onBehalf'
  | 'testMailbox';

const pages: { page: PortalPage; href: string; key: MessageKey; adminOnly?: true }[] = [
  { page: 'letters', href: '/afsender', key: 'portal.nav.letters' },
  { page: 'compose', href: '/afsender/nyt-brev', key: 'portal.nav.compose' },
  { page: 'batches', href: '/afsender/masseforsendelser', key: 'portal.nav.batches' },
  { page: 'webhooks', href: '/afsender/webhooks', key: 'portal.nav.webhooks' },
  { page: 'apiKeys', href: '/afsender/api-noegler', key: 'portal.nav.apiKeys', adminOnly: true },
  { page: 'correspondence', href: '/afsender/henvendelser', key: 'corr.portal.nav' },
  // The organisation's staff (staff-page.routes.tsx): every staff member sees who their colleagues are; only
  // administrators manage them (sender-staff.policy.ts), so the entry is the administrators' like the ones below.
  { page: 'staff', href: '/afsender/medarbejdere', key: 'portal.nav.staff', adminOnly: true },
  // Machine access (systems-page.routes.tsx, on-behalf-page.routes.tsx): administrators only.
  { page: 'systems', href: '/afsender/systemer', key: 'portal.nav.systems', adminOnly: true },
  { page: 'onBehalf', href: '/afsender/paa-vegne-af', key: 'portal.nav.onBehalf', adminOnly: true },
  { page: 'testMailbox', href: '/afsender/testpostkasse', key: 'portal.nav.testMailbox' },
];

/**
 * The sender portal's sub-navigation, on every sender page; the current page is marked for screen readers too.
 * The administrators' entries are left out for other staff: the viewer's role comes from the request's viewer scope
 * (identity's viewer-role.ts), so the ~10 pages drawing this need not pass it. Outside a request (a view rendered on
 * its own) every entry shows; the pages themselves refuse non-administrators either way.
 */
export async function PortalNav({ lang, current }: { lang: Lang; current: PortalPage | null }) {
  const tr = translator(lang);
  const role = await viewerSenderRole();
  const admin = role === undefined || role === 'admin';
  return (
    <nav class="kuvert-portal-nav mb-5" aria-label={tr('portal.nav.label')}>
      <ul class="unstyled-list inline-list">
        {pages
          .filter((p) => admin || !p.adminOnly)
          .map((p) => (
            <li>
              <a href={p.href} aria-current={p.page === current ? 'page' : undefined} safe>
                {tr(p.key)}
              </a>
            </li>
          ))}
      </ul>
    </nav>
  );
}
