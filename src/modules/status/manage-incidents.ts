import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import { canManageStatus } from './status.policy.ts';
import { insertIncident, insertIncidentUpdate, lockIncident } from './status.repository.ts';
import { checkComponents, checkIncidentState, checkSeverity, checkText, checkTitle, isUuid } from './status-input.ts';

function operator(actor: Actor | null) {
  if (!canManageStatus(actor)) throw new AppError(403, 'forbidden', 'Only operators can change the status page.');
  return actor;
}

export interface CreateIncidentInput {
  title?: unknown;
  severity?: unknown;
  components?: unknown;
  message?: unknown;
}

/** Opens an incident on the status page with its first update (state "investigating"); audited. */
export async function createIncident(
  services: Services,
  actor: Actor | null,
  input: CreateIncidentInput,
): Promise<{ id: string }> {
  const by = operator(actor);
  const title = checkTitle(input.title);
  const severity = checkSeverity(input.severity);
  const components = checkComponents(input.components);
  const body = checkText(input.message, 'message', true);
  return services.db.transaction().execute(async (trx) => {
    const id = await insertIncident(trx, { title, severity, components, createdBy: by.staffId });
    await insertIncidentUpdate(trx, { incidentId: id, state: 'investigating', body, postedBy: by.staffId });
    await recordAudit(trx, {
      actorKind: 'operator',
      actorId: by.staffId,
      action: 'status.incident.created',
      subjectType: 'status_incident',
      subjectId: id,
      details: { severity, components },
    });
    return { id };
  });
}

export interface PostUpdateInput {
  state?: unknown;
  message?: unknown;
}

/** Posts an update to an open incident; the state "resolved" resolves it. Audited. */
export async function postIncidentUpdate(
  services: Services,
  actor: Actor | null,
  incidentId: string,
  input: PostUpdateInput,
): Promise<{ resolved: boolean }> {
  const by = operator(actor);
  if (!isUuid(incidentId)) throw new AppError(404, 'incident_not_found', 'There is no such incident.');
  const state = checkIncidentState(input.state);
  const body = checkText(input.message, 'message', true);
  return services.db.transaction().execute(async (trx) => {
    const incident = await lockIncident(trx, incidentId);
    if (!incident) throw new AppError(404, 'incident_not_found', 'There is no such incident.');
    if (incident.resolved_at) {
      throw new AppError(409, 'incident_resolved', 'This incident is resolved; open a new one instead.');
    }
    await insertIncidentUpdate(trx, { incidentId, state, body, postedBy: by.staffId });
    await recordAudit(trx, {
      actorKind: 'operator',
      actorId: by.staffId,
      action: state === 'resolved' ? 'status.incident.resolved' : 'status.incident.updated',
      subjectType: 'status_incident',
      subjectId: incidentId,
      details: { state },
    });
    return { resolved: state === 'resolved' };
  });
}
