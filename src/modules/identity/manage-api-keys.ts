import { textProblem } from '../../http/input.ts';
import { AppError, notFound } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { characterCount, FormTextError } from '../../web/form-text.ts';
import { recordAudit } from '../audit/index.ts';
import { createApiKey, keyHint, revokeApiKey } from './api-keys.ts';

type SenderStaff = Extract<Actor, { kind: 'sender_staff' }>;

export interface ApiKeyListing {
  id: string;
  label: string;
  /** The non-secret start of the key, so staff can tell keys apart ("kuv_ab12cd34ef56_…"). */
  hint: string;
  createdAt: Date;
  revokedAt: Date | null;
  /** A test key: its letters go to the sender's test mailbox only. */
  test: boolean;
}

/** The sender's keys, newest first; secrets are never shown again. */
export async function listApiKeys(services: Services, actor: SenderStaff): Promise<ApiKeyListing[]> {
  const rows = await services.db
    .selectFrom('api_key')
    .select(['id', 'label', 'prefix', 'created_at', 'revoked_at', 'test'])
    .where('sender_id', '=', actor.senderId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    hint: keyHint(r.prefix, r.test),
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    test: r.test,
  }));
}

const MAX_LABEL = 100;

/** Creates a key for the staff member's own organisation and returns it whole — the only time it is shown. */
export async function createSenderApiKey(
  services: Services,
  actor: SenderStaff,
  label: string,
  test = false,
): Promise<string> {
  const problem = textProblem(label, { allowBlank: true });
  if (problem) throw new FormTextError('label', problem, MAX_LABEL);
  const trimmed = label.trim();
  if (trimmed.length < 1 || characterCount(trimmed) > MAX_LABEL) {
    throw new AppError(400, 'invalid_label', 'Give the key a name of 1–100 characters.', 'label');
  }
  return services.db.transaction().execute(async (trx) => {
    const created = await createApiKey(trx, actor.senderId, trimmed, undefined, test);
    await recordAudit(trx, {
      actorKind: 'sender_staff',
      actorId: actor.staffId,
      action: 'api_key.create',
      subjectType: 'api_key',
      subjectId: created.id,
      details: { senderId: actor.senderId, test },
    });
    return created.key;
  });
}

/** Revokes one of the organisation's live keys at once; another organisation's key is "not found". */
export async function revokeSenderApiKey(services: Services, actor: SenderStaff, apiKeyId: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(apiKeyId)) throw notFound('API key');
  await services.db.transaction().execute(async (trx) => {
    if (!(await revokeApiKey(trx, actor.senderId, apiKeyId))) throw notFound('API key');
    await recordAudit(trx, {
      actorKind: 'sender_staff',
      actorId: actor.staffId,
      action: 'api_key.revoke',
      subjectType: 'api_key',
      subjectId: apiKeyId,
      details: { senderId: actor.senderId },
    });
  });
}
