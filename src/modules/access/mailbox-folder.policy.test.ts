import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor } from '../../kernel/actor.ts';
import {
  type AccessLevel,
  type LetterPlace,
  MAILBOX_ACTIONS,
  type MailboxAccess,
  type MailboxAction,
  mayBeyondFolders,
  mayInMailbox,
  mayMoveLetter,
  mayOnLetter,
  mayScopeGrantToFolders,
  reachesFolder,
  scopeFolderOf,
} from './mailbox.policy.ts';

const FIRM = 'recipient-firm';
const SALES = 'folder-sales';
const HR = 'folder-hr';
const karen: Actor = { kind: 'citizen', subject: 's-karen', name: 'Karen Holm', recipientId: 'recipient-karen' };

/** What each level may do in the whole-mailbox matrix, by hand (as mailbox.policy.test.ts). */
const levelAllows: Record<Exclude<AccessLevel, 'owner'>, readonly MailboxAction[]> = {
  read_write: ['list', 'read', 'organise', 'delete', 'act', 'reply', 'write', 'forward'],
  read: ['list', 'read'],
};

const scoped = (level: AccessLevel, folderIds: string[] | null): MailboxAccess => ({
  mailboxId: FIRM,
  level,
  via: 'business',
  grantId: 'grant-1',
  folderIds,
});

/** Letters in every place, and whether an employee scoped to SALES reaches them. */
const places: { name: string; place: LetterPlace; inSalesScope: boolean }[] = [
  { name: 'in Sales', place: { folder: 'user', folderId: SALES }, inSalesScope: true },
  { name: 'in HR', place: { folder: 'user', folderId: HR }, inSalesScope: false },
  { name: 'in the Inbox (no row)', place: { folder: null, folderId: null }, inSalesScope: false },
  { name: 'in the Inbox', place: { folder: 'inbox', folderId: null }, inSalesScope: false },
  { name: 'in Archive', place: { folder: 'archive', folderId: null }, inSalesScope: false },
  {
    name: 'in Trash, from Sales',
    place: { folder: 'trash', folderId: null, trashedFromFolderId: SALES },
    inSalesScope: true,
  },
  {
    name: 'in Trash, from HR',
    place: { folder: 'trash', folderId: null, trashedFromFolderId: HR },
    inSalesScope: false,
  },
  { name: 'in Trash, from the Inbox', place: { folder: 'trash', folderId: null }, inSalesScope: false },
];

describe('mayOnLetter: every action × level × in scope / out of scope', () => {
  for (const level of ['read_write', 'read'] as const) {
    for (const { name, place, inSalesScope } of places) {
      test(`${level}, scoped to Sales, letter ${name}`, () => {
        for (const action of MAILBOX_ACTIONS) {
          const want = inSalesScope && levelAllows[level].includes(action);
          assert.equal(mayOnLetter(karen, scoped(level, [SALES]), action, place), want, action);
        }
      });
      test(`${level}, whole mailbox, letter ${name}: as mayInMailbox`, () => {
        for (const action of MAILBOX_ACTIONS) {
          const want = levelAllows[level].includes(action);
          assert.equal(mayOnLetter(karen, scoped(level, null), action, place), want, action);
          assert.equal(mayInMailbox(karen, scoped(level, null), action), want, action);
        }
      });
      test(`${level}, scoped to no folder left, letter ${name}: nothing`, () => {
        for (const action of MAILBOX_ACTIONS) {
          assert.equal(mayOnLetter(karen, scoped(level, []), action, place), false, action);
        }
      });
    }
  }
  test('the administrator (owner) reaches every letter, and a scoped owner record is refused as forged', () => {
    for (const { place } of places) {
      for (const action of MAILBOX_ACTIONS) {
        assert.equal(mayOnLetter(karen, scoped('owner', null), action, place), true, action);
        assert.equal(mayOnLetter(karen, scoped('owner', [SALES]), action, place), false, action);
      }
    }
  });
  test('no access: nothing', () => {
    assert.equal(mayOnLetter(karen, null, 'read', { folder: 'user', folderId: SALES }), false);
  });
});

describe('moving a letter', () => {
  const inSales: LetterPlace = { folder: 'user', folderId: SALES };
  const twoFolders = scoped('read_write', [SALES, HR]);
  test('a scoped read/write employee moves within their folders and to Trash, not out of them', () => {
    assert.equal(mayMoveLetter(karen, twoFolders, inSales, { folder: 'user', folderId: HR }), true);
    assert.equal(mayMoveLetter(karen, scoped('read_write', [SALES]), inSales, { folder: 'user', folderId: HR }), false);
    assert.equal(mayMoveLetter(karen, twoFolders, inSales, { folder: 'archive', folderId: null }), false);
    assert.equal(mayMoveLetter(karen, twoFolders, inSales, { folder: 'inbox', folderId: null }), false);
    assert.equal(
      mayMoveLetter(karen, twoFolders, inSales, { folder: 'trash', folderId: null, trashedFromFolderId: SALES }),
      true,
    );
  });
  test('a scoped employee cannot move a letter they cannot see into their folders', () => {
    assert.equal(mayMoveLetter(karen, twoFolders, { folder: null, folderId: null }, inSales), false);
  });
  test('a read employee moves nothing; whole-mailbox read/write and the administrator move anywhere', () => {
    assert.equal(mayMoveLetter(karen, scoped('read', [SALES, HR]), inSales, { folder: 'user', folderId: HR }), false);
    for (const access of [scoped('read_write', null), scoped('owner', null)]) {
      assert.equal(mayMoveLetter(karen, access, inSales, { folder: 'archive', folderId: null }), true);
      assert.equal(mayMoveLetter(karen, access, { folder: null, folderId: null }, inSales), true);
    }
  });
});

describe('the folder scope itself', () => {
  test('scopeFolderOf: the user folder, or the one a trashed letter came from', () => {
    for (const { place, inSalesScope } of places) {
      assert.equal(scopeFolderOf(place) === SALES, inSalesScope);
    }
  });
  test('reachesFolder: whole access reaches the Inbox, a scoped grant never does', () => {
    assert.equal(reachesFolder(scoped('read', null), null), true);
    assert.equal(reachesFolder(scoped('read', [SALES]), null), false);
    assert.equal(reachesFolder(scoped('read', [SALES]), SALES), true);
    assert.equal(reachesFolder(null, SALES), false);
  });
  test('mailbox-wide work (writing, folders, sent items) needs whole-mailbox access', () => {
    assert.equal(mayBeyondFolders(karen, scoped('read_write', null), 'write'), true);
    assert.equal(mayBeyondFolders(karen, scoped('read_write', [SALES]), 'write'), false);
    assert.equal(mayBeyondFolders(karen, scoped('read', null), 'write'), false);
  });
  test('only business mailboxes take folder-scoped grants, and only from whoever manages access', () => {
    const admin = scoped('owner', null);
    assert.equal(mayScopeGrantToFolders(karen, admin, 'business'), true);
    assert.equal(mayScopeGrantToFolders(karen, admin, 'person'), false);
    assert.equal(mayScopeGrantToFolders(karen, scoped('read_write', null), 'business'), false);
  });
  test('manage_rules: the owner (administrator) only', () => {
    assert.equal(mayInMailbox(karen, scoped('owner', null), 'manage_rules'), true);
    assert.equal(mayInMailbox(karen, scoped('read_write', null), 'manage_rules'), false);
    assert.equal(mayInMailbox(karen, scoped('read', null), 'manage_rules'), false);
  });
});
