import type { FastifyReply } from 'fastify';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import type { LoginStep } from '../identity/index.ts';
import { findStrongestAccess } from './access.repository.ts';
import { findBusinessByCvr, liveBusinessAccess } from './administrators.repository.ts';
import { makeAdministrator } from './administrators.ts';
import { setMailboxCookie } from './mailbox-access.ts';

/**
 * The access module's step in every login (registered with identity's addLoginStep; identity sits below access, so
 * it cannot call this itself). A MitID Erhverv login names a business by CVR number:
 * - no registered business has it: the login is refused (403 business_not_registered), nothing is written;
 * - the claims name the person administrator: they get owner access through the business unless they hold it
 *   (created by 'login', audited as an 'access.grant' on the business's mailbox);
 * - an employee only: nothing is granted (an administrator gives them access), and nothing is taken away.
 * When the person may open the business's mailbox, the mailbox switcher's cookie is set so /post opens it first.
 */
export function businessLoginStep(services: Services): LoginStep {
  return async (trx, { actor, business, issuer, now }) => {
    if (actor.kind !== 'citizen' || !business) return undefined;
    const firm = await findBusinessByCvr(trx, business.cvr);
    if (!firm) {
      throw new AppError(
        403,
        'business_not_registered',
        'The business you logged in for does not use Kuvert: no business with this CVR number is registered.',
      );
    }
    if (business.administrator) {
      const held = await liveBusinessAccess(trx, firm.id, actor.recipientId, now);
      if (!held.some((h) => h.level === 'owner')) {
        await makeAdministrator(
          trx,
          {
            mailboxId: firm.id,
            granteeId: actor.recipientId,
            by: { kind: 'login', id: actor.recipientId },
            actorId: actor.recipientId,
            via: `login:${issuer}`,
          },
          now,
        );
      }
    }
    if (!(await findStrongestAccess(trx, firm.id, actor.recipientId, now))) return undefined;
    return { onReply: (reply: FastifyReply) => setMailboxCookie(reply, services, firm.id) };
  };
}
