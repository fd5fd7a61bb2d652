import type { Db } from '../../db/database.ts';
import { translator } from '../../web/i18n.ts';
import { listActivity } from './access.repository.ts';
import { whatText, whoText } from './activity.views.tsx';
import { type ActivityItem, toItem } from './list-activity.ts';
import type { OpenableMailbox } from './mailbox-access.ts';

/** One line of the activity log as exported: the item as the owner sees it, in words and as data. */
export interface ExportedActivity {
  item: ActivityItem;
  /** Who and what, in words (the activity page's texts, in the export's language). */
  whoText: string;
  whatText: string;
}

const PAGE = 500;

/**
 * Every line of a mailbox's activity log, newest first, one keyset page at a time (bounded memory for a long log),
 * ungrouped (each audit row one line), for the mailbox export. Read as its owner sees it (`mailbox.owner`); the
 * caller has decided that the owner is the one asking (mayExportMailbox in the mailbox module).
 */
export async function* activityForExport(
  db: Db,
  mailbox: OpenableMailbox,
  lang: 'da' | 'en',
): AsyncGenerator<ExportedActivity> {
  const tr = translator(lang);
  let before: string | undefined;
  for (;;) {
    const rows = await listActivity(db, mailbox.owner.id, { limit: PAGE, ...(before ? { before } : {}) });
    for (const row of rows) {
      const item = toItem(row, mailbox, mailbox.owner.id);
      yield { item, whoText: whoText(tr, item), whatText: whatText(lang, item) };
    }
    if (rows.length < PAGE) return;
    before = rows[rows.length - 1]?.id;
  }
}
