import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { safeRedirectPath } from '../http/input.ts';
import type { Services } from '../services.ts';
import { FrontPage } from './front-page.tsx';
import { type Lang, languageOf, languages, t } from './i18n.ts';
import { sendPage } from './layout.tsx';

const here = path.dirname(fileURLToPath(import.meta.url));
// dkfds exports only its script (dist/js/dkfds.min.js); its dist folder is two levels up from it.
const dkfdsDist = path.resolve(path.dirname(createRequire(import.meta.url).resolve('dkfds')), '..');
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * Front page, static assets and the language choice. Not encapsulated (skip-override), so the language hook runs
 * for every route and for the error and not-found pages.
 */
export async function webPlugin(app: FastifyInstance, { services }: { services: Services }) {
  app.addHook('onRequest', async (request) => {
    request.lang = languageOf(request);
  });

  await app.register(async (assets) => {
    await assets.register(fastifyStatic, {
      root: path.join(here, 'assets'),
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      maxAge: '1h',
    });
    await assets.register(fastifyStatic, {
      root: dkfdsDist,
      prefix: '/assets/dkfds/',
      decorateReply: false,
      index: false,
      maxAge: '1d',
      allowedPath: (pathName) => /^\/(css|fonts|img|js)\//.test(pathName),
    });
  });

  // Browsers ask for /favicon.ico on their own; the pages name /assets/favicon.svg (and this, for older ones).
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('image/x-icon')
      .header('cache-control', 'public, max-age=86400')
      .send(await readFile(path.join(here, 'assets', 'favicon.ico'))),
  );

  app.get('/', { schema: { hide: true } }, async (request, reply) =>
    sendPage(request, reply, { title: t(request.lang, 'front.title'), body: <FrontPage request={request} /> }),
  );

  app.get<{ Querystring: { lang?: string; returnTo?: string } }>(
    '/sprog',
    { schema: { hide: true } },
    async (request, reply) => {
      const lang = languages.includes(request.query.lang as Lang) ? (request.query.lang as Lang) : 'da';
      reply.setCookie('lang', lang, {
        path: '/',
        maxAge: ONE_YEAR_SECONDS,
        sameSite: 'lax',
        httpOnly: true,
        secure: services.config.publicUrl.startsWith('https:'),
      });
      return reply.redirect(safeRedirectPath(request.query.returnTo) ?? '/', 303);
    },
  );
}
(webPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
