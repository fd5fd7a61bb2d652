import { type Lang, type MessageKey, translator } from '../../web/i18n.ts';

export type PortalPage =
  | 'letters'
  | 'compose'
  | 'batches'
  | 'webhooks'
  | 'apiKeys'
  | 'correspondence'
  | 'staff'
  | 'testMailbox';

const pages: { page: PortalPage; href: string; key: MessageKey }[] = [
  { page: 'letters', href: '/afsender', key: 'portal.nav.letters' },
  { page: 'compose', href: '/afsender/nyt-brev', key: 'portal.nav.compose' },
  { page: 'batches', href: '/afsender/masseforsendelser', key: 'portal.nav.batches' },
  { page: 'webhooks', href: '/afsender/webhooks', key: 'portal.nav.webhooks' },
  { page: 'apiKeys', href: '/afsender/api-noegler', key: 'portal.nav.apiKeys' },
  { page: 'correspondence', href: '/afsender/henvendelser', key: 'corr.portal.nav' },
  // The organisation's staff (staff-page.routes.tsx): every staff member sees who their colleagues are; only
  // administrators manage them (sender-staff.policy.ts).
  { page: 'staff', href: '/afsender/medarbejdere', key: 'portal.nav.staff' },
  // LATER (issue 17): "Systemer" (machine clients, the identity module's system_client) and "På vegne af"
  // (on-behalf authorisations) get their entries here, administrators' pages like API keys.
  { page: 'testMailbox', href: '/afsender/testpostkasse', key: 'portal.nav.testMailbox' },
];

/** The sender portal's sub-navigation, on every sender page; the current page is marked for screen readers too. */
export function PortalNav({ lang, current }: { lang: Lang; current: PortalPage | null }) {
  const tr = translator(lang);
  return (
    <nav class="kuvert-portal-nav mb-5" aria-label={tr('portal.nav.label')}>
      <ul class="unstyled-list inline-list">
        {pages.map((p) => (
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
