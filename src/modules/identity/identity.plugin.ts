import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { apiKeyRoutes } from './api-keys.routes.tsx';
import { createBuiltInProvider, mountBuiltInProvider } from './built-in-provider.ts';
import { registerLoginRoutes } from './login.routes.ts';
import { decorateLoginSteps } from './login-steps.ts';
import { oauthRoutes } from './oauth.routes.ts';
import { createOidcLogin } from './oidc-client.ts';
import { registerPersonaPicker } from './persona-picker.routes.ts';
import { loadSessionHook } from './session.ts';
import { viewerScopeHook } from './viewer-role.ts';

/**
 * Login (OpenID Connect), sessions and CSRF for the whole app, plus the built-in demo identity provider when no
 * OIDC_ISSUER is configured. Not encapsulated (skip-override), so the session hook reaches every later plugin.
 */
export const identityPlugin = Object.assign(
  async function identityPlugin(app: FastifyInstance, { services }: { services: Services }) {
    decorateLoginSteps(app);
    const loadSession = loadSessionHook(services.db);
    // First, so that the session hook and everything after run inside the request's viewer scope (viewer-role.ts).
    app.addHook('onRequest', viewerScopeHook(services.db));
    app.addHook('onRequest', async (request, reply) => {
      // The provider's own endpoints, static files and the probes have no use for Kuvert's session; skipping it also
      // keeps stylesheets served while the database is away, so the 503 page still looks like Kuvert.
      const url = request.url;
      if (url.startsWith('/idp/') || url.startsWith('/assets/') || url === '/healthz' || url === '/readyz') return;
      return loadSession.call(app, request, reply);
    });
    if (!services.config.oidc.issuer) {
      const provider = await createBuiltInProvider(services, app.log);
      mountBuiltInProvider(app, provider);
      registerPersonaPicker(app, provider, services.db);
    }
    registerLoginRoutes(app, services, createOidcLogin(services.config));
    await app.register(apiKeyRoutes, { services });
    await app.register(oauthRoutes, { services });
  },
  { [Symbol.for('skip-override')]: true },
);
