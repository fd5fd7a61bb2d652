import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import type { ErrorCode } from './errors.ts';

/** Seconds a client is asked to wait (Retry-After) when the database cannot be reached. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

/**
 * An error a user or sender caused and can fix; it carries a stable code (one of the error catalogues, see errors.ts)
 * and, where known, the offending field.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * A fault on Kuvert's side that is not the caller's doing but has a stable code of its own (e.g. a document's bytes
 * missing from the store): answered 500 with that code and `detail`, and logged.
 */
export class ServerFault extends Error {
  constructor(
    readonly problemCode: ErrorCode,
    readonly detail: string,
    message = detail,
  ) {
    super(message);
  }
}

export const notFound = (what = 'resource') => new AppError(404, 'not_found', `The ${what} does not exist.`);

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: { field: string; code: string; detail: string }[];
  [key: string]: unknown;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function problem(
  status: number,
  code: ErrorCode,
  detail: string,
  field?: string,
  extra: Record<string, unknown> = {},
): Problem {
  return {
    type: `https://kuvert.dk/problems/${code}`,
    title: titles[status] ?? 'Error',
    status,
    code,
    detail,
    ...(field ? { errors: [{ field, code, detail }] } : {}),
    ...extra,
  };
}

/** Converts a TypeBox/AJV validation error into a JSON pointer-ish field path ("/recipient/cpr"). */
function validationField(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const params = first.params as Record<string, unknown>;
  const base = first.instancePath || '';
  const extra = (params.missingProperty ?? params.additionalProperty) as string | undefined;
  return `${base}${extra ? `/${extra}` : ''}` || '/';
}

function toProblem(error: FastifyError | AppError | Error): Problem {
  if (error instanceof AppError) return problem(error.status, error.code, error.message, error.field, error.extra);
  const fe = error as FastifyError;
  if (fe.validation) {
    const field = validationField(fe);
    const first = fe.validation[0];
    const code = first?.keyword === 'additionalProperties' ? 'unknown_field' : 'invalid_field';
    const detail = first
      ? `${field}: ${first.keyword === 'additionalProperties' ? 'is not a known field' : first.message}`
      : fe.message;
    return problem(400, code, detail, field);
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'malformed_json', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'body_too_large', 'The request body is larger than this endpoint accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'unsupported_media_type', 'This content type is not accepted here.');
  }
  if (isDatabaseUnavailable(error)) {
    return problem(
      503,
      'database_unavailable',
      'Kuvert cannot reach its database right now. Nothing was changed; try again in a little while.',
    );
  }
  if (error instanceof ServerFault) return problem(500, error.problemCode, error.detail);
  if (fe.statusCode === 429) return problem(429, 'rate_limited', 'Too many requests; try again later.');
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return problem(fe.statusCode, 'bad_request', fe.message);
  }
  return problem(500, 'internal_error', 'Something went wrong on our side. It has been logged.');
}

/** Installs the error and not-found handlers: API paths answer problem+json; pages get a readable page. */
export function installProblemHandlers(
  app: FastifyInstance,
  renderErrorPage: (request: FastifyRequest, reply: FastifyReply, problem: Problem) => unknown,
): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = toProblem(error);
    if (body.code === 'database_unavailable') {
      // Expected while the database is away: one short line per request, not a stack trace each.
      request.log.warn({ code: (error as { code?: unknown }).code, error: error.message }, 'database unavailable');
      reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    } else if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    reply.status(body.status);
    if (wantsProblemJson(request)) return reply.type('application/problem+json').send(body);
    return renderErrorPage(request, reply, body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body = problem(404, 'not_found', 'There is nothing at this address.');
    reply.status(404);
    if (wantsProblemJson(request)) return reply.type('application/problem+json').send(body);
    return renderErrorPage(request, reply, body);
  });
}

function wantsProblemJson(request: FastifyRequest): boolean {
  const url = request.url;
  // /oauth/: the machine-login token endpoint answers its own refusals as OAuth JSON; what reaches this handler
  // (429, 500, 503) is answered as problem+json rather than a page, as for the API.
  return url.startsWith('/api/') || url.startsWith('/oauth/') || url === '/healthz' || url === '/readyz';
}
