import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { BusinessLogin } from './business-claims.ts';

/** What a login step is told about the login being completed. */
export interface LoginStepContext {
  actor: Actor;
  /** The MitID Erhverv business the person logged in for (from the CVR and role claims), or null. */
  business: BusinessLogin | null;
  issuer: string;
  now: Date;
}

/** What a login step may do once the session exists: e.g. remember a mailbox in a cookie. */
export interface LoginStepResult {
  onReply?: (reply: FastifyReply) => void;
}

/**
 * A step that modules above identity add to every login (issue 17: the access module gives a business's
 * administrator owner access). It runs in the login's transaction, before the session is created: throwing an
 * AppError refuses the login and writes nothing. Identity defines the hook; the higher module registers it, so the
 * dependency order stays one-way.
 */
export type LoginStep = (trx: Db, context: LoginStepContext) => Promise<LoginStepResult | undefined>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The login steps modules registered (addLoginStep); run by the OIDC callback. */
    kuvertLoginSteps: LoginStep[];
  }
}

/** Called by the identity plugin: the (root-level) list the steps are added to. */
export function decorateLoginSteps(app: FastifyInstance): void {
  if (!app.hasDecorator('kuvertLoginSteps')) app.decorate('kuvertLoginSteps', [] as LoginStep[]);
}

/** Adds a step to every login. Call from a plugin registered after identity's. */
export function addLoginStep(app: FastifyInstance, step: LoginStep): void {
  app.kuvertLoginSteps.push(step);
}
