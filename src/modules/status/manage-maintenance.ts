import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import { canManageStatus } from './status.policy.ts';
import { cancelMaintenanceRow, insertMaintenance } from './status.repository.ts';
import { checkComponents, checkText, checkTitle, isUuid, parseCopenhagenTime } from './status-input.ts';

/** The longest maintenance window one entry may announce. */
const MAX_WINDOW_MS = 7 * 24 * 3600 * 1000;

function operator(actor: Actor | null) {
  if (!canManageStatus(actor)) throw new AppError(403, 'forbidden', 'Only operators can change the status page.');
  return actor;
}

export interface ScheduleMaintenanceInput {
  title?: unknown;
  description?: unknown;
  components?: unknown;
  /** `datetime-local` values, Copenhagen time. */
  startsAt?: unknown;
  endsAt?: unknown;
}

/** Announces a maintenance window on the status page; audited. */
export async function scheduleMaintenance(
  services: Services,
  actor: Actor | null,
  input: ScheduleMaintenanceInput,
  now = new Date(),
): Promise<{ id: string }> {
  const by = operator(actor);
  const title = checkTitle(input.title);
  const description = checkText(input.description, 'description', false);
  const components = checkComponents(input.components);
  const startsAt = parseCopenhagenTime(input.startsAt, 'startsAt');
  const endsAt = parseCopenhagenTime(input.endsAt, 'endsAt');
  if (endsAt <= startsAt) throw new AppError(400, 'ends_before_start', 'The end must be after the start.', 'endsAt');
  if (endsAt <= now) throw new AppError(400, 'ends_in_past', 'The window has already ended.', 'endsAt');
  if (endsAt.getTime() - startsAt.getTime() > MAX_WINDOW_MS) {
    throw new AppError(400, 'window_too_long', 'A maintenance window can last at most 7 days.', 'endsAt');
  }
  return services.db.transaction().execute(async (trx) => {
    const id = await insertMaintenance(trx, {
      title,
      description,
      components,
      startsAt,
      endsAt,
      createdBy: by.staffId,
    });
    await recordAudit(trx, {
      actorKind: 'operator',
      actorId: by.staffId,
      action: 'status.maintenance.scheduled',
      subjectType: 'status_maintenance',
      subjectId: id,
      details: { components, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() },
    });
    return { id };
  });
}

/** Cancels a maintenance window that has not ended yet; audited. */
export async function cancelMaintenance(services: Services, actor: Actor | null, id: string): Promise<void> {
  const by = operator(actor);
  if (!isUuid(id)) throw new AppError(404, 'maintenance_not_found', 'There is no such maintenance window.');
  await services.db.transaction().execute(async (trx) => {
    if (!(await cancelMaintenanceRow(trx, id))) {
      throw new AppError(404, 'maintenance_not_found', 'There is no such upcoming maintenance window.');
    }
    await recordAudit(trx, {
      actorKind: 'operator',
      actorId: by.staffId,
      action: 'status.maintenance.cancelled',
      subjectType: 'status_maintenance',
      subjectId: id,
    });
  });
}
