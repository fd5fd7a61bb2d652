import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor } from '../../kernel/actor.ts';
import type { MailboxAccess } from '../access/index.ts';
import { mayExportMailbox } from './export.policy.ts';

const ANNA = 'recipient-anna';
const FIRM = 'recipient-firm';
const citizen = (id: string): Actor => ({ kind: 'citizen', subject: `s-${id}`, name: id, recipientId: id });
const anna = citizen(ANNA);
const bo = citizen('recipient-bo');

const own: MailboxAccess = { mailboxId: ANNA, level: 'owner', via: 'self', grantId: null };
const delegated = (level: MailboxAccess['level'], via: MailboxAccess['via'], mailboxId = ANNA): MailboxAccess => ({
  mailboxId,
  level,
  via,
  grantId: 'grant-1',
});

describe('mayExportMailbox: only the owner exports the whole mailbox', () => {
  test('the owner of a person mailbox may export it', () => {
    assert.equal(mayExportMailbox(anna, own), true);
  });

  test("a business's administrator (owner access through the business) may export the business mailbox", () => {
    assert.equal(mayExportMailbox(bo, delegated('owner', 'business', FIRM)), true);
  });

  test('read access, read/write access, power of attorney and parents may not', () => {
    assert.equal(mayExportMailbox(bo, delegated('read', 'grant')), false);
    assert.equal(mayExportMailbox(bo, delegated('read_write', 'grant')), false);
    assert.equal(mayExportMailbox(bo, delegated('read', 'power_of_attorney')), false);
    assert.equal(mayExportMailbox(bo, delegated('read_write', 'power_of_attorney')), false);
    assert.equal(mayExportMailbox(bo, delegated('read_write', 'parent')), false);
  });

  test('a business employee may not, with or without a folder scope', () => {
    assert.equal(mayExportMailbox(bo, delegated('read', 'business', FIRM)), false);
    assert.equal(mayExportMailbox(bo, delegated('read_write', 'business', FIRM)), false);
    assert.equal(mayExportMailbox(bo, { ...delegated('read_write', 'business', FIRM), folderIds: ['f1'] }), false);
  });

  test('owner records that cannot be real grant nothing: a scoped owner, owner through a grant, someone else as self', () => {
    assert.equal(mayExportMailbox(bo, { ...delegated('owner', 'business', FIRM), folderIds: [] }), false);
    assert.equal(mayExportMailbox(bo, delegated('owner', 'grant')), false);
    assert.equal(mayExportMailbox(bo, delegated('owner', 'power_of_attorney')), false);
    assert.equal(mayExportMailbox(bo, own), false, "Bo holding Anna's own-mailbox record");
  });

  test('no access, no actor, and staff never export', () => {
    assert.equal(mayExportMailbox(anna, null), false);
    assert.equal(mayExportMailbox(null, own), false);
    const staff: Actor[] = [
      { kind: 'caseworker', subject: 's', name: 'S', staffId: 'st-1', municipalityCode: '0101' },
      { kind: 'sender_staff', subject: 's', name: 'L', staffId: 'st-2', senderId: 'sender-1' },
      { kind: 'operator', subject: 's', name: 'O', staffId: 'st-3' },
    ];
    for (const actor of staff) assert.equal(mayExportMailbox(actor, own), false, actor.kind);
  });
});
