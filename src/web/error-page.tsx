import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Problem } from '../http/problem.ts';
import { type MessageKey, translator } from './i18n.ts';
import { sendPage } from './layout.tsx';

/** Codes whose message we can say in the reader's language; anything else falls back to the status' message. */
const codeMessages: Partial<Record<string, MessageKey>> = {
  csrf_failed: 'error.csrf_failed',
  invalid_cursor: 'error.invalid_cursor',
};

const statusMessages: Partial<Record<number, MessageKey>> = {
  400: 'error.400',
  401: 'error.401',
  403: 'error.403',
  404: 'error.404',
  429: 'error.429',
  500: 'error.500',
};

/** A readable, localised error page. Shows the stable error code, never a stack trace or internal detail. */
export function renderErrorPage(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
  const tr = translator(request.lang);
  // While the database (or the login service) is away: a calm page that says it is temporary and points to the status
  // page (/drift still answers, from live checks). Built from the request alone: it must not need what it reports
  // missing.
  if (problem.status === 503) {
    return errorPage(request, reply, problem, {
      heading: tr('status.unavailable.title'),
      text: tr('status.unavailable.text'),
      alert: 'alert-warning',
      link: { href: '/drift', text: tr('status.unavailable.statusLink') },
    });
  }
  const key =
    codeMessages[problem.code] ??
    statusMessages[problem.status] ??
    (problem.status >= 500 ? 'error.500' : 'error.generic');
  return errorPage(request, reply, problem, {
    heading: problem.status === 404 ? tr('error.404') : tr('error.title'),
    text: problem.status === 404 ? tr('error.404.text') : tr(key),
    alert: problem.status >= 500 ? 'alert-error' : 'alert-warning',
    link: { href: '/', text: tr('error.home') },
  });
}

function errorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: Problem,
  page: { heading: string; text: string; alert: 'alert-error' | 'alert-warning'; link: { href: string; text: string } },
) {
  const tr = translator(request.lang);
  const body = (
    <div class="kuvert-error">
      <h1 safe>{page.heading}</h1>
      <div class={`alert ${page.alert} alert--paragraph`} role="alert">
        <div class="alert-body">
          <p class="alert-text" safe>
            {page.text}
          </p>
        </div>
      </div>
      <p class="mt-5" safe>
        {tr('error.code', { code: `${problem.status} ${problem.code}` })}
      </p>
      <p>
        <a class="button button-secondary" href={page.link.href} safe>
          {page.link.text}
        </a>
      </p>
    </div>
  );
  reply.header('cache-control', 'no-store');
  return sendPage(request, reply.status(problem.status), { title: page.heading, body });
}
