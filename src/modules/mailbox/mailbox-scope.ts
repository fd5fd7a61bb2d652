import { sql } from 'kysely';

/**
 * The folder scope of a grant as SQL over the mailbox_item row `mi` (the policy's scopeFolderOf and reachesFolder,
 * for the rows a listing reads): a letter in one of the folders, or in Trash from one of them. No scope: true. A
 * letter without a row (the Inbox) is never within a scope.
 */
export function scopeSql(scope: readonly string[] | null | undefined) {
  if (scope === null || scope === undefined) return sql`true`;
  const ids = [...scope] as string[];
  return sql`coalesce((mi.folder = 'user' and mi.folder_id = any(${ids}::uuid[]))
    or (mi.folder = 'trash' and mi.trashed_from_folder_id = any(${ids}::uuid[])), false)`;
}
