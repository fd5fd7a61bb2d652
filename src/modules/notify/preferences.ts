import type { Db } from '../../db/database.ts';
import { AppError } from '../../http/problem.ts';
import { recordAudit } from '../audit/index.ts';
import { DEFAULT_PREFERENCE, type NotifyPreference } from './notify.repository.ts';

/** A person's notification preferences (defaults when never set: e-mail and SMS, Danish, no NemSMS). */
export async function getNotifyPreference(db: Db, recipientId: string): Promise<NotifyPreference> {
  const row = await db
    .selectFrom('notify_preference')
    .selectAll()
    .where('recipient_id', '=', recipientId)
    .executeTakeFirst();
  return row
    ? { byEmail: row.by_email, bySms: row.by_sms, language: row.language, nemsms: row.nemsms }
    : { ...DEFAULT_PREFERENCE };
}

/** Saves the person's choices (channels, language, NemSMS opt-in) and audits the change. */
export async function saveNotifyPreference(
  db: Db,
  options: { recipientId: string; preference: NotifyPreference; now: Date },
): Promise<void> {
  const { recipientId, preference, now } = options;
  if (preference.language !== 'da' && preference.language !== 'en') {
    throw new AppError(400, 'invalid_language', 'Choose Danish or English.', 'language');
  }
  await db.transaction().execute(async (trx) => {
    const values = {
      by_email: preference.byEmail,
      by_sms: preference.bySms,
      language: preference.language,
      nemsms: preference.nemsms,
      updated_at: now,
    };
    await trx
      .insertInto('notify_preference')
      .values({ recipient_id: recipientId, ...values })
      .onConflict((oc) => oc.column('recipient_id').doUpdateSet(values))
      .execute();
    await recordAudit(trx, {
      actorKind: 'citizen',
      actorId: recipientId,
      action: 'notify.preference',
      subjectType: 'recipient',
      subjectId: recipientId,
      mailboxRecipientId: recipientId,
      details: { ...preference },
    });
  });
}
