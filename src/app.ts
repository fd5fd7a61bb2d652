import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { installDrain, isDraining } from './http/drain.ts';
import { registerErrors } from './http/errors.ts';
import { installInputGuard } from './http/input.ts';
import { installProblemHandlers, UNAVAILABLE_RETRY_AFTER_SECONDS } from './http/problem.ts';
import { installRateLimits } from './http/rate-limit.ts';
import { installReadAfter } from './http/read-after.ts';
import { isPrettyLogger } from './logger.ts';
import { PICKER_PATH, SCOPES, SESSION_LIFETIME_SECONDS, secureCookies, TOKEN_PATH } from './modules/identity/index.ts';
import { modules } from './modules/index.ts';
import type { Services } from './services.ts';
import { renderErrorPage } from './web/error-page.tsx';
import { webPlugin } from './web/web.plugin.tsx';
import './kernel/actor.ts';
import './strings.ts';

/** Every module's error catalogue, so pages can say any error code in the reader's language (src/http/errors.ts). */
export const errorCatalogues = modules.flatMap((module) => (module.errors ? [module.errors] : []));
registerErrors(...errorCatalogues);

export type App = FastifyInstance;

/** Request logs for a person at a terminal: "GET /post 200 12 ms" when the response is sent, nothing on arrival. */
class OneLinePerRequest extends LogController {
  override incomingRequest() {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    const line = `${request.method} ${request.url} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms`;
    if (error) reply.log.error({ err: error }, line);
    // Static files, health checks and the login's own discovery call (every minute) at debug level: they say
    // nothing about what a person did.
    else if (/^\/(assets\/|\.well-known\/|healthz|metrics)/.test(request.url)) reply.log.debug(line);
    else reply.log.info(line);
  }
}

/** Builds the HTTP application from explicitly passed services. Does not listen. */
export async function createApp(services: Services, logger: Logger): Promise<App> {
  const pretty = isPrettyLogger(logger);
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Readable logs at a terminal: one line per request instead of Fastify's "incoming" and "completed" pair.
    ...(pretty ? { logController: new OneLinePerRequest() } : {}),
    trustProxy: services.config.env === 'production',
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;

  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('apiCaller', null);
  app.decorateRequest('businessCaller', null);
  app.decorateRequest('lang', 'da');

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        frameSrc: ["'self'"],
        objectSrc: ["'self'"],
        formAction: ["'self'", ...(services.config.oidc.issuer ? [new URL(services.config.oidc.issuer).origin] : [])],
        frameAncestors: ["'self'"],
        upgradeInsecureRequests: services.config.publicUrl.startsWith('https:') ? [] : null,
      },
    },
    hsts: services.config.publicUrl.startsWith('https:'),
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie, { secret: services.config.sessionSecret });
  await app.register(formbody);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kuvert sender API',
        version: '1',
        description:
          'Send Digital Post to citizens (CPR) and businesses (CVR), and follow each letter. ' +
          'Authenticate with `Authorization: Bearer <API key>`, or with an access token from the OAuth2 token endpoint ' +
          '(`POST /oauth/token`, client credentials with private_key_jwt; each route names the scope it needs, and a ' +
          'token without it gets 403 `insufficient_scope`). Errors are RFC 9457 problem+json with a stable `code` ' +
          '(the token endpoint alone answers OAuth JSON errors). ' +
          'Calls are rate limited per API key (and refused keys per client address): past the limit the answer is ' +
          '429 `rate_limited` with a `Retry-After` header in seconds.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'A sender API key (carries every sender scope)' },
          machineLogin: {
            type: 'oauth2',
            description:
              'Machine login for registered systems: OAuth2 client credentials, the client authenticating with a ' +
              'private_key_jwt assertion (RFC 7523). Access tokens live 10 minutes; certificate-bound (RFC 8705) for ' +
              'systems registered with a certificate thumbprint.',
            flows: {
              clientCredentials: {
                tokenUrl: `${services.config.publicUrl.replace(/\/+$/, '')}${TOKEN_PATH}`,
                scopes: { ...SCOPES },
              },
            },
          },
          printProviderToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'The print provider’s token (KUVERT_PRINT_PROVIDER_TOKEN), for the print-batch API only',
          },
          scorecardToken: {
            type: 'http',
            scheme: 'bearer',
            description: "A reporting organisation's token for self-service transaction counts",
          },
        },
      },
    },
    hideUntagged: true,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  installProblemHandlers(app, renderErrorPage);
  // Before the modules' routes: it hooks the limited ones as they are registered.
  await installRateLimits(app, {
    config: services.config.rateLimits,
    db: services.db,
    callbackPath: new URL(services.config.oidc.redirectUrl).pathname,
    pickerPath: PICKER_PATH,
  });
  installInputGuard(app);
  // Lag-tolerant reads on the replica, and the reader's position on every response (src/http/read-after.ts).
  installReadAfter(app, services.reads, {
    secureCookie: secureCookies(services.config),
    maxAgeSeconds: SESSION_LIFETIME_SECONDS,
    exposeSource: services.config.env !== 'production',
  });
  installDrain(app);

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    // Stopping: the load balancer takes this node out while it still serves what it is sent (src/http/drain.ts).
    if (isDraining(app)) {
      return reply.status(503).type('application/problem+json').send({
        type: 'https://kuvert.dk/problems/shutting_down',
        title: 'Service Unavailable',
        status: 503,
        code: 'shutting_down',
        detail: 'This node is shutting down; the others take its requests.',
      });
    }
    try {
      await sql`select 1`.execute(services.db);
      return { status: 'ready' };
    } catch {
      return reply
        .status(503)
        .header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS))
        .type('application/problem+json')
        .send({
          type: 'https://kuvert.dk/problems/database_unavailable',
          title: 'Service Unavailable',
          status: 503,
          code: 'database_unavailable',
          detail: 'The database cannot be reached.',
        });
    }
  });

  // Each module's plugins, in the order of the module list (identity first: its session hook reaches the rest).
  for (const module of modules) {
    for (const plugin of module.plugins ?? []) await app.register(plugin, { services });
  }
  await app.register(webPlugin, { services });
  return app;
}
