import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Problem } from '../http/problem.ts';

/** A readable error page (placeholder). */
export function renderErrorPage(_request: FastifyRequest, reply: FastifyReply, problem: Problem) {
  return reply
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><title>${problem.title}</title><h1>${problem.title}</h1>`);
}
