import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorText } from '../http/errors.ts';
import type { Problem } from '../http/problem.ts';
import { Alert, PageHeader } from './components/index.ts';
import { type MessageKey, translator } from './i18n.ts';
import { sendPage } from './layout.tsx';

/**
 * Generic codes the status' own message says better than the catalogue (it speaks of the page, not the request).
 * Every other code is said by its catalogue text (src/http/errors.ts), in the reader's language.
 */
const SAID_BY_STATUS = new Set(['not_found', 'forbidden', 'bad_request', 'rate_limited', 'internal_error']);

const statusMessages: Partial<Record<number, MessageKey>> = {
  400: 'error.400',
  401: 'error.401',
  403: 'error.403',
  404: 'error.404',
  429: 'error.429',
  500: 'error.500',
};

/**
 * A readable, localised error page: the catalogue's text for the code in the page language (never the problem's
 * English detail), the stable code in small print as a reference, never a stack trace or internal detail.
 */
export function renderErrorPage(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
  const tr = translator(request.lang);
  // While the database (or the login service) is away: a calm page that says it is temporary and points to the status
  // page (/drift still answers, from live checks). Built from the request alone: it must not need what it reports
  // missing.
  if (problem.status === 503) {
    return errorPage(request, reply, problem, {
      heading: tr('status.unavailable.title'),
      text: tr('status.unavailable.text'),
      alert: 'warning',
      link: { href: '/drift', text: tr('status.unavailable.statusLink') },
    });
  }
  const key = statusMessages[problem.status] ?? (problem.status >= 500 ? 'error.500' : 'error.generic');
  const catalogueText =
    problem.status < 500 && !SAID_BY_STATUS.has(problem.code) ? errorText(problem.code, request.lang) : undefined;
  return errorPage(request, reply, problem, {
    heading: problem.status === 404 ? tr('error.404') : tr('error.title'),
    text: catalogueText ?? (problem.status === 404 ? tr('error.404.text') : tr(key)),
    alert: problem.status >= 500 ? 'error' : 'warning',
    link: { href: '/', text: tr('error.home') },
  });
}

function errorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: Problem,
  page: { heading: string; text: string; alert: 'error' | 'warning'; link: { href: string; text: string } },
) {
  const tr = translator(request.lang);
  const body = (
    <div class="kuvert-error">
      <PageHeader title={page.heading} />
      <Alert kind={page.alert} role="alert" paragraph text={page.text} />
      <p class="mt-5 kuvert-error-reference">
        <small safe>{tr('error.code', { code: `${problem.status} ${problem.code}` })}</small>
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
