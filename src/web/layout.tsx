import type { Children } from '@kitajs/html';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../kernel/actor.ts';
import { type Lang, type Translate, translator } from './i18n.ts';
import { Icon } from './icon.tsx';

/** Where each kind of logged-in person starts. */
export const homeOf: Record<Actor['kind'], string> = {
  citizen: '/post',
  caseworker: '/borgerservice',
  sender_staff: '/afsender',
  operator: '/drift/styring',
};

/** The local path and query of this request, for "come back here" links. */
export const currentPath = (request: FastifyRequest) => request.url;

/** The main menu's links for this actor. */
function navLinksOf(actor: Actor | null, tr: Translate): { href: string; text: string }[] {
  if (!actor) return [];
  const links: { href: string; text: string }[] = [];
  if (actor.kind === 'citizen') {
    links.push({ href: '/post', text: tr('nav.mailbox') });
    links.push({ href: '/post/adgang', text: tr('access.title') });
    links.push({ href: '/tilmelding', text: tr('nav.enrolment') });
    links.push({ href: '/indstillinger/kontakt', text: tr('nav.contact') });
  }
  if (actor.kind === 'caseworker') links.push({ href: '/borgerservice', text: tr('nav.citizenService') });
  if (actor.kind === 'sender_staff') links.push({ href: '/afsender', text: tr('nav.sender') });
  if (actor.kind === 'operator') links.push({ href: '/drift/styring', text: tr('status.nav') });
  if (actor.kind === 'operator') links.push({ href: '/drift/styring/afsendere', text: tr('onboard.senders.title') });
  return links;
}

/**
 * The one menu item this page belongs to: the link whose address is the longest prefix of the path (so /post/adgang
 * is "Adgang til post", not also "Min post"), or none.
 */
export function currentLink(hrefs: string[], path: string): string | null {
  const pathname = path.split('?')[0] ?? path;
  const matches = hrefs.filter((href) => pathname === href || pathname.startsWith(`${href}/`));
  return matches.sort((a, b) => b.length - a.length)[0] ?? null;
}

function NavLinks({ links, path, tr }: { links: { href: string; text: string }[]; path: string; tr: Translate }) {
  if (links.length === 0) return '';
  const current = currentLink(
    links.map((link) => link.href),
    path,
  );
  return (
    <nav class="kuvert-nav" aria-label={tr('layout.mainNav')}>
      <ul>
        {links.map((link) => (
          <li class={link.href === current ? 'current' : ''}>
            <a href={link.href} aria-current={link.href === current ? 'page' : undefined} safe>
              {link.text}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function LanguageSwitch({ lang, path, tr }: { lang: Lang; path: string; tr: Translate }) {
  const other: { code: Lang; name: string } =
    lang === 'da' ? { code: 'en', name: 'English' } : { code: 'da', name: 'Dansk' };
  const href = `/sprog?lang=${other.code}&returnTo=${encodeURIComponent(path)}`;
  return (
    <div class="kuvert-language">
      <span class="sr-only" safe>
        {tr('layout.languageSwitch')}:
      </span>
      <a class="function-link" href={href} lang={other.code} hreflang={other.code}>
        <Icon name="language" />
        <span safe>{other.name}</span>
      </a>
    </div>
  );
}

function SessionBox({ request, tr }: { request: FastifyRequest; tr: Translate }) {
  const actor = request.actor;
  if (!actor) {
    return (
      <a class="function-link" href={`/login?returnTo=${encodeURIComponent(currentPath(request))}`} safe>
        {tr('layout.login')}
      </a>
    );
  }
  return (
    <div class="kuvert-user">
      <p class="kuvert-user-name" safe>
        {tr('layout.loggedInAs', { name: actor.name })}
      </p>
      <form method="post" action="/logout" class="kuvert-logout">
        <input type="hidden" name="_csrf" value={request.csrfToken ?? ''} />
        <button type="submit" class="function-link">
          <Icon name="lock" />
          <span safe>{tr('layout.logout')}</span>
        </button>
      </form>
    </div>
  );
}

export interface PageOptions {
  title: string;
  children: Children;
}

/**
 * The DKFDS theme a page wears: virk.dk's for the sender portal and its staff (business pages), borger.dk's for
 * everything citizens, caseworkers and operators see.
 */
export function themeOf(request: FastifyRequest): 'borgerdk' | 'virkdk' {
  const path = currentPath(request).split('?')[0] ?? '';
  if (request.actor?.kind === 'sender_staff' || path === '/afsender' || path.startsWith('/afsender/')) return 'virkdk';
  return 'borgerdk';
}

/** Stylesheets of modules under construction (to be merged into kuvert.css). */
const moduleStylesheets = ['mailbox', 'access', 'correspondence', 'notify', 'statistics', 'status', 'letter'];

/** The whole HTML document around a page's content: header, navigation, language switch, main, footer. */
export function Layout({ request, title, children }: PageOptions & { request: FastifyRequest }) {
  const lang = request.lang;
  const tr = translator(lang);
  const path = currentPath(request);
  const links = navLinksOf(request.actor, tr);
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title safe>{`${title} – ${tr('site.name')}`}</title>
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <link rel="icon" href="/favicon.ico" sizes="32x32" />
        <link rel="apple-touch-icon" href="/assets/apple-touch-icon.png" />
        <link
          rel="stylesheet"
          href={`/assets/dkfds/css/${themeOf(request) === 'virkdk' ? 'dkfds-virkdk' : 'dkfds-borgerdk'}.min.css`}
        />
        <link rel="stylesheet" href="/assets/kuvert.css" />
        {moduleStylesheets.map((name) => (
          <link rel="stylesheet" href={`/assets/${name}.css`} />
        ))}
      </head>
      <body>
        <a class="skipnav" href="#main-content" safe>
          {tr('layout.skipLink')}
        </a>
        <header class={`header kuvert-header kuvert-theme-${themeOf(request)}`}>
          <div class="solution-info">
            <div class="solution-info-inner container kuvert-header-inner">
              <a class="kuvert-brand" href="/">
                <img class="kuvert-mark" src="/assets/img/kuvert-mark.svg" alt="" width="40" height="40" />
                <span class="kuvert-brand-text">
                  <span class="kuvert-brand-name" safe>
                    {tr('site.name')}
                  </span>
                  <span class="kuvert-tagline" safe>
                    {tr('site.tagline')}
                  </span>
                </span>
              </a>
              <LanguageSwitch lang={lang} path={path} tr={tr} />
              {links.length > 0 ? (
                <details class="kuvert-menu">
                  <summary class="button button-secondary kuvert-menu-button">
                    <Icon name="menu" />
                    <span safe>{tr('layout.menu')}</span>
                  </summary>
                  <div class="kuvert-menu-panel">
                    <NavLinks links={links} path={path} tr={tr} />
                    <div class="kuvert-header-tools">
                      <SessionBox request={request} tr={tr} />
                    </div>
                  </div>
                </details>
              ) : (
                <div class="kuvert-header-tools">
                  <SessionBox request={request} tr={tr} />
                </div>
              )}
            </div>
          </div>
        </header>
        <main id="main-content" class="container kuvert-main" tabindex="-1">
          {children}
        </main>
        <footer>
          <div class="footer">
            <div class="container">
              <p safe>{tr('layout.footer.about')}</p>
              <p class="kuvert-demo-notice" safe>
                {tr('layout.demoNotice')}
              </p>
              <ul class="unstyled-list inline-list">
                <li>
                  <a href="/api/docs" safe>
                    {tr('layout.footer.apiDocs')}
                  </a>
                </li>
                <li>
                  <a href="/api/openapi.json" safe>
                    {tr('layout.footer.openapi')}
                  </a>
                </li>
                <li>
                  <a href="/statistik" safe>
                    {tr('layout.footer.statistics')}
                  </a>
                </li>
                <li>
                  <a href="/drift" safe>
                    {tr('layout.footer.status')}
                  </a>
                </li>
              </ul>
            </div>
          </div>
        </footer>
      </body>
    </html>
  );
}

/**
 * A section's frame around the content of pages that other modules serve in it: the mailbox puts its menu around
 * /post/skriv, /post/sendt and /post/aktivitet. The section's module sets it on each request it serves
 * (`request.pageFrames`, by a root hook), so the platform names no module and a page only says which frame it wants.
 */
export type PageFrame = (request: FastifyRequest, body: JSX.Element) => Promise<JSX.Element>;
export type PageFrameName = 'mailbox';

declare module 'fastify' {
  interface FastifyRequest {
    pageFrames?: Partial<Record<PageFrameName, PageFrame>>;
  }
}

/** Renders a full page and sends it as HTML; `frame` puts a section's frame (its menu) around the body. */
export async function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: { title: string; body: JSX.Element; frame?: PageFrameName },
): Promise<FastifyReply> {
  const frame = page.frame ? request.pageFrames?.[page.frame] : undefined;
  const body = frame ? await frame(request, page.body) : page.body;
  const html = await (
    <Layout request={request} title={page.title}>
      {body}
    </Layout>
  );
  return reply.type('text/html; charset=utf-8').send(`<!doctype html>${html}`);
}
