import type { Db } from '../../db/database.ts';
import type { Actor } from '../../kernel/actor.ts';

export interface StoredSession {
  actor: Actor;
  csrfToken: string;
  idToken: string | null;
  expiresAt: Date;
}

/** SQL for web sessions; rows are keyed by the SHA-256 of the session id, never the id itself. */
export async function insertSession(
  db: Db,
  idHash: string,
  session: { actor: Actor; csrfToken: string; idToken: string | null; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('web_session')
    .values({
      id_hash: idHash,
      actor: JSON.stringify(session.actor),
      csrf_token: session.csrfToken,
      id_token: session.idToken,
      expires_at: session.expiresAt,
    })
    .execute();
}

export async function findSession(db: Db, idHash: string): Promise<StoredSession | null> {
  const row = await db
    .selectFrom('web_session')
    .select(['actor', 'csrf_token', 'id_token', 'expires_at'])
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return null;
  return {
    actor: row.actor as unknown as Actor,
    csrfToken: row.csrf_token,
    idToken: row.id_token,
    expiresAt: row.expires_at,
  };
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('web_session').where('id_hash', '=', idHash).execute();
}

/** Removes every expired session (sessions are also dropped one by one when presented after expiry). */
export async function deleteExpiredSessions(db: Db): Promise<number> {
  const result = await db.deleteFrom('web_session').where('expires_at', '<=', new Date()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
