import type { Db } from '../db/database.ts';
import { authoriseOnBehalf, createSender } from '../modules/identity/index.ts';

/** A fictional software vendor (issue 17, item 6): a sender organisation of kind 'other' with its own systems. */
export const DEMO_VENDOR = { cvr: '29190097', name: 'Kommunedata Systemer A/S' } as const;

/**
 * The demo vendor and Københavns Kommune's authorisation for it (send and read, a year), through the use cases, so
 * the sender portal's "På vegne af" page shows it on both sides. Idempotent: nothing happens if the vendor exists.
 */
export async function ensureDemoVendor(db: Db, authoritySenderId: string): Promise<void> {
  const existing = await db.selectFrom('sender').select('id').where('cvr', '=', DEMO_VENDOR.cvr).executeTakeFirst();
  if (existing) return;
  await createSender(
    db,
    {
      cvr: DEMO_VENDOR.cvr,
      name: DEMO_VENDOR.name,
      kind: 'other',
      contactEmail: 'support@kommunedata.example',
      adminSubject: 'kommunedata-admin',
      adminName: 'Karin Leverandør',
    },
    { kind: 'cli' },
  );
  await authoriseOnBehalf(
    db,
    { kind: 'cli' },
    {
      authoritySenderId,
      vendorCvr: DEMO_VENDOR.cvr,
      scopes: ['messages:send', 'messages:read'],
      endsAt: new Date(Date.now() + 365 * 86_400_000),
    },
  );
}
