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
  if (problem.code === 'database_unavailable') return renderUnavailablePage(request, reply, problem);
  const key =
    codeMessages[problem.code] ??
    statusMessages[problem.status] ??
    (problem.status >= 500 ? 'error.500' : 'error.generic');
  const heading = problem.status === 404 ? tr('error.404') : tr('error.title');
  const body = (
    <div class="kuvert-error">
      <h1 safe>{heading}</h1>
      <div class={`alert ${problem.status >= 500 ? 'alert-error' : 'alert-warning'} alert--paragraph`} role="alert">
        <div class="alert-body">
          <p class="alert-text" safe>
            {problem.status === 404 ? tr('error.404.text') : tr(key)}
          </p>
        </div>
      </div>
      <p class="mt-5" safe>
        {tr('error.code', { code: `${problem.status} ${problem.code}` })}
      </p>
      <p>
        <a class="button button-secondary" href="/" safe>
          {tr('error.home')}
        </a>
      </p>
    </div>
  );
  reply.header('cache-control', 'no-store');
  return sendPage(request, reply.status(problem.status), { title: heading, body });
}

/**
 * While the database is away: a calm page that says it is temporary (the status page at /drift still answers, from
 * live checks). Built from the request alone: it must not need the database it reports missing.
 */
function renderUnavailablePage(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
  const tr = translator(request.lang);
  const heading = tr('status.unavailable.title');
  const body = (
    <div class="kuvert-error">
      <h1 safe>{heading}</h1>
      <div class="alert alert-warning alert--paragraph" role="alert">
        <div class="alert-body">
          <p class="alert-text" safe>
            {tr('status.unavailable.text')}
          </p>
        </div>
      </div>
      <p class="mt-5" safe>
        {tr('error.code', { code: `${problem.status} ${problem.code}` })}
      </p>
      <p>
        <a class="button button-secondary" href="/drift" safe>
          {tr('status.unavailable.statusLink')}
        </a>
      </p>
    </div>
  );
  reply.header('cache-control', 'no-store');
  return sendPage(request, reply.status(problem.status), { title: heading, body });
}
