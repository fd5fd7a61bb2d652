import type { SeedContext } from '../../seed/context.ts';
import { demoUuid } from '../../seed/demo-uuid.ts';
import { deliverMessage, sendMessage } from '../messages/index.ts';
import { changeEnrolmentNow } from '../registry/index.ts';
import { DECEASED_DEMO_CPR } from './retention-demo.ts';

const seedUuid = (key: string) => demoUuid(`kuvert-retention-demo:${key}`);

/**
 * A closed mailbox on its way out (issue 18): Ejnar Holm got two letters, then died; his mailbox was closed with
 * delete_after two weeks after the demo's anchor (a real death gives five years), so the caseworker sees when it goes,
 * and the hourly purge (mailbox/purge-letters.ts) deletes it then. Idempotent: stable UUIDs, and closing a closed
 * mailbox changes nothing.
 */
export async function seedRetentionDemo({ services, anchor, senders }: SeedContext): Promise<void> {
  const { db } = services;
  const person = await db
    .selectFrom('recipient')
    .select(['id', 'enrolment'])
    .where('cpr', '=', DECEASED_DEMO_CPR)
    .executeTakeFirst();
  if (!person) return;
  if (person.enrolment !== 'closed') {
    const key = await db
      .selectFrom('api_key')
      .select('id')
      .where('label', '=', 'Demo seed letters')
      .where('sender_id', '=', senders.kk)
      .executeTakeFirst();
    if (!key) return;
    for (const [n, label] of ['Bekræftelse af hjemmehjælp', 'Boligydelse for december'].entries()) {
      const sent = await sendMessage(
        services,
        { senderId: senders.kk, apiKeyId: key.id },
        {
          messageUuid: seedUuid(`letter-${n}`),
          recipient: { cpr: DECEASED_DEMO_CPR },
          label,
          documents: [
            {
              title: label,
              filename: 'brev.txt',
              mediaType: 'text/plain',
              content: Buffer.from(`Kære Ejnar Holm\n\n${label}.\n\nMed venlig hilsen\nKøbenhavns Kommune\n`).toString(
                'base64',
              ),
            },
          ],
        },
      );
      await deliverMessage(services, { messageId: sent.id });
    }
    const deleteAfter = new Date(anchor.getTime() + 14 * 86_400_000).toISOString().slice(0, 10);
    await changeEnrolmentNow(
      db,
      person.id,
      { type: 'close', reason: 'death', note: 'Demo: dødsfald registreret i CPR', deleteAfter },
      { kind: 'system', id: 'demo-seed', name: 'Demo data' },
    );
  }
}
