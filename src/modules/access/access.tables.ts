import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from '../../db/columns.ts';
import type { AccessLevel, DelegationKind } from './mailbox.policy.ts';

/** One person's access to another's mailbox (or a business's); see migration 0014. */
export interface MailboxAccessTable {
  id: Generated<string>;
  mailbox_id: string;
  grantee_id: string;
  kind: DelegationKind;
  level: AccessLevel;
  document_reference: string | null;
  created_at: Timestamp;
  created_by_kind: string;
  created_by_id: string;
  ends_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  revoked_by_kind: string | null;
  revoked_by_id: string | null;
  /** True: the grant reaches only the folders in mailbox_access_folder (none left: nothing); see migration 0032. */
  folder_scoped: ColumnType<boolean, boolean | undefined, boolean>;
}

/** The folders a folder-scoped grant reaches (folder ids are the mailbox module's; just ids here). */
export interface MailboxAccessFolderTable {
  access_id: string;
  folder_id: string;
}

/** The access module's tables (migration in src/db/migrations); merged into Database in src/db/schema.ts. */
export type AccessTables = {
  mailbox_access: MailboxAccessTable;
  mailbox_access_folder: MailboxAccessFolderTable;
};
