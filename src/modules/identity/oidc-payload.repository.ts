import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../../db/database.ts';

/**
 * The built-in identity provider's storage (sessions, interactions, codes, grants, tokens) in the `oidc_payload`
 * table: one class per provider, one instance per model name ("Session", "AuthorizationCode", ...).
 */
export function oidcPayloadAdapter(db: Db, options: { sweepChance?: number } = {}): new (model: string) => Adapter {
  const sweepChance = options.sweepChance ?? 0.01;
  return class OidcPayloadAdapter implements Adapter {
    constructor(readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const row = {
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        user_code: payload.userCode ?? null,
        uid: payload.uid ?? null,
        expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
      };
      await db
        .insertInto('oidc_payload')
        .values({ id, type: this.model, ...row })
        .onConflict((oc) => oc.columns(['type', 'id']).doUpdateSet(row))
        .execute();
      // Expired rows are never read again (find() filters them); clear them out now and then, through the index on
      // expires_at (migration 0047).
      if (Math.random() < sweepChance) await sweepExpiredPayloads(db);
    }

    find(id: string) {
      return this.findBy('id', id);
    }

    findByUid(uid: string) {
      return this.findBy('uid', uid);
    }

    findByUserCode(userCode: string) {
      return this.findBy('user_code', userCode);
    }

    async consume(id: string): Promise<void> {
      await db
        .updateTable('oidc_payload')
        .set({ consumed_at: new Date() })
        .where('type', '=', this.model)
        .where('id', '=', id)
        .execute();
    }

    async destroy(id: string): Promise<void> {
      await db.deleteFrom('oidc_payload').where('type', '=', this.model).where('id', '=', id).execute();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.deleteFrom('oidc_payload').where('type', '=', this.model).where('grant_id', '=', grantId).execute();
    }

    private async findBy(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
      const row = await db
        .selectFrom('oidc_payload')
        .select(['payload', 'consumed_at'])
        .where('type', '=', this.model)
        .where(column, '=', value)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
        .executeTakeFirst();
      if (!row) return undefined;
      return { ...row.payload, ...(row.consumed_at ? { consumed: Math.floor(row.consumed_at.getTime() / 1000) } : {}) };
    }
  };
}

/** Deletes the expired rows (the adapter's occasional sweep). */
export function sweepExpiredPayloads(db: Db) {
  return db.deleteFrom('oidc_payload').where('expires_at', '<', new Date()).execute();
}
