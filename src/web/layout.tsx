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

function NavLinks({ actor, path, tr }: { actor: Actor | null; path: string; tr: Translate }) {
  if (!actor) return '';
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
  if (links.length === 0) return '';
  return (
    <nav class="kuvert-nav" aria-label={tr('layout.mainNav')}>
      <div class="container">
        <ul>
          {links.map((link) => {
            const current = path === link.href || path.startsWith(`${link.href}/`) || path.startsWith(`${link.href}?`);
            return (
              <li>
                <a href={link.href} aria-current={current ? 'page' : undefined} safe>
                  {link.text}
                </a>
              </li>
            );
          })}
        </ul>
      </div>
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

/** Stylesheets of modules under construction (to be merged into kuvert.css). */
const moduleStylesheets = ['mailbox', 'access', 'correspondence', 'notify', 'statistics', 'status', 'letter'];

/** The whole HTML document around a page's content: header, navigation, language switch, main, footer. */
export function Layout({ request, title, children }: PageOptions & { request: FastifyRequest }) {
  const lang = request.lang;
  const tr = translator(lang);
  const path = currentPath(request);
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title safe>{`${title} – ${tr('site.name')}`}</title>
        <link rel="stylesheet" href="/assets/dkfds/css/dkfds.min.css" />
        <link rel="stylesheet" href="/assets/kuvert.css" />
        {moduleStylesheets.map((name) => (
          <link rel="stylesheet" href={`/assets/${name}.css`} />
        ))}
      </head>
      <body>
        <a class="skipnav" href="#main-content" safe>
          {tr('layout.skipLink')}
        </a>
        <header class="header kuvert-header">
          <div class="solution-info">
            <div class="solution-info-inner container kuvert-header-inner">
              <div class="solution-heading">
                <a href="/" safe>
                  {tr('site.name')}
                </a>
              </div>
              <p class="kuvert-tagline" safe>
                {tr('site.tagline')}
              </p>
              <div class="kuvert-header-tools">
                <LanguageSwitch lang={lang} path={path} tr={tr} />
                <SessionBox request={request} tr={tr} />
              </div>
            </div>
          </div>
          <NavLinks actor={request.actor} path={path} tr={tr} />
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

/** Renders a full page and sends it as HTML. */
export async function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: { title: string; body: JSX.Element },
): Promise<FastifyReply> {
  const { body } = page;
  const html = await (
    <Layout request={request} title={page.title}>
      {body}
    </Layout>
  );
  return reply.type('text/html; charset=utf-8').send(`<!doctype html>${html}`);
}
