import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { type CaseworkerActor, requireManageablePerson } from '../registry/get-registration.ts';
import { type Delegation, listDelegationsTo } from './access.repository.ts';

/**
 * Citizen service looks at who has access to a person's mailbox: the person (of the caseworker's municipality,
 * else 404) and the delegations in force. Looking is audited on the person's mailbox.
 */
export async function viewPersonAccess(services: Services, actor: CaseworkerActor, personId: string, now: Date) {
  const person = await requireManageablePerson(services.db, actor, personId);
  await services.db.transaction().execute((trx) =>
    recordAudit(trx, {
      actorKind: 'caseworker',
      actorId: actor.staffId,
      action: 'access.view',
      subjectType: 'recipient',
      subjectId: person.id,
      mailboxRecipientId: person.id,
    }),
  );
  const delegations: Delegation[] = await listDelegationsTo(services.db, person.id, now);
  return { person, delegations };
}
