import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { addLoginStep } from '../identity/index.ts';
import { accessRoutes } from './access.routes.tsx';
import { administratorRoutes } from './administrators.routes.tsx';
import { businessLoginStep } from './business-login.ts';
import { caseworkerAccessRoutes } from './caseworker-access.routes.tsx';

/** Access for others: grants, power of attorney, mailbox switching, activity log. */
export async function accessPlugin(app: FastifyInstance, opts: { services: Services }) {
  await app.register(accessRoutes, opts);
  await app.register(caseworkerAccessRoutes, opts);
  // MitID Erhverv: a business's administrator gets owner access at login (issue 17).
  addLoginStep(app, businessLoginStep(opts.services));
  await app.register(administratorRoutes, opts);
}
