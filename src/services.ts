import path from 'node:path';
import type pg from 'pg';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { type DocumentStore, FileDocumentStore } from './modules/messages/document-store.ts';
import { type NotificationChannel, OutboxChannel } from './modules/notify/channel.ts';

/** Everything a use case may need, wired explicitly once per process (and per test). */
export interface Services {
  config: Config;
  db: Db;
  pool: pg.Pool;
  documents: DocumentStore;
  /** Where e-mails and SMS go; the development outbox until the real transports arrive. */
  notifications: NotificationChannel;
}

export function createServices(config: Config, db: Db, pool: pg.Pool): Services {
  return {
    config,
    db,
    pool,
    documents: new FileDocumentStore(path.join(config.dataDir, 'documents')),
    notifications: new OutboxChannel(db),
  };
}
