/**
 * The table-ownership check (scripts/table-writes.ts) finds a write to another module's table in every form the code
 * uses, and nothing else: not the owner's own writes, not comments, not `on conflict … do update set` or `for update`,
 * not a temporary staging table, not the demo data or a migration.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { findTableWrites, tableOwners } from '../scripts/table-writes.ts';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kuvert-table-writes-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

test('writes to another module’s tables are found in every form; the owner’s own (the platform’s for Database’s own tables), comments and staging are not', () => {
  const root = tree({
    'src/db/schema.ts': 'export interface Database { audit_event: AuditEventTable; }\n',
    'src/modules/mailbox/mailbox.tables.ts':
      'export type MailboxTables = {\n  mailbox_item: X;\n  mailbox_folder: Y;\n};\n',
    'src/modules/messages/messages.tables.ts': 'export interface MessagesTables {\n  message: M;\n}\n',
    'src/modules/mailbox/organise.ts': [
      "await trx.updateTable('mailbox_item').set({}).execute();",
      "await trx.insertInto('message').values({}).execute(); // a foreign write",
      '// insert into message (a comment)',
      '/* delete from message */',
      'sql`insert into mailbox_folder (x) values (1) on conflict (x) do update set x = 1`;',
      'sql`select * from message for update`;',
      'sql`create temp table stage (x int); insert into stage values (1)`;',
    ].join('\n'),
    'src/modules/mailbox/other.ts': 'sql`update message m set read = true`;\nsql`delete from audit_event`;\n',
    'src/modules/mailbox/mailbox.seed.ts': "await db.insertInto('message').values({}).execute();\n",
    'src/seed/letters.ts': "await db.insertInto('message').values({}).execute();\n",
    'src/db/migrations/0001.ts': 'sql`insert into message values (1)`;\n',
    'src/modules/mailbox/organise.test.ts': "await db.deleteFrom('message').execute();\n",
    // The platform writes the tables Database declares itself, and no module's.
    'src/documents/store.ts':
      "sql`insert into audit_event values (1)`;\nawait db.insertInto('message').values({}).execute();\n",
  });
  try {
    assert.deepEqual(Object.fromEntries(tableOwners(root)), {
      mailbox_item: 'mailbox',
      mailbox_folder: 'mailbox',
      message: 'messages',
    });
    assert.deepEqual(
      findTableWrites(root).map((w) => `${w.file} -> ${w.table} (${w.owner ?? 'none'})`),
      [
        'src/documents/store.ts -> message (messages)',
        'src/modules/mailbox/organise.ts -> message (messages)',
        'src/modules/mailbox/other.ts -> audit_event (none)',
        'src/modules/mailbox/other.ts -> message (messages)',
      ],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
