import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import { callerAudit, type SenderCaller, setSenderRetentionYears } from '../identity/index.ts';
import { senderRetentionYears } from './retention-intake.ts';

/** A sender's default retention: letters sent without deleteAfter are deleted this many years after sending. */
export interface RetentionDefaults {
  years: number | null;
  maxYears: number;
}

export async function getRetentionDefaults(services: Services, senderId: string): Promise<RetentionDefaults> {
  return { years: await senderRetentionYears(services.db, senderId), maxYears: services.config.retention.maxYears };
}

/** Sets the caller's default retention (whole years, 1 to the national maximum; null for none), audited. */
export async function setRetentionDefaults(
  services: Services,
  caller: SenderCaller,
  years: number | null,
): Promise<RetentionDefaults> {
  const max = services.config.retention.maxYears;
  if (years !== null && (!Number.isInteger(years) || years < 1 || years > max)) {
    throw new AppError(422, 'retention_years_invalid', `years must be a whole number from 1 to ${max}.`, '/years');
  }
  await services.db.transaction().execute(async (trx) => {
    await setSenderRetentionYears(trx, caller.senderId, years);
    await recordAudit(trx, {
      ...callerAudit(caller),
      action: 'message.retention_defaults',
      subjectType: 'sender',
      subjectId: caller.senderId,
      mailboxRecipientId: null,
      details: { years },
    });
  });
  return getRetentionDefaults(services, caller.senderId);
}
