import path from 'node:path';
import type pg from 'pg';
import type { Config } from './config.ts';
import { type Db, openDatabase } from './db/database.ts';
import { ReplicaRouter } from './db/replica-router.ts';
import { createDocumentScanner, type DocumentScanner } from './documents/document-scanner.ts';
import type { DocumentStore } from './documents/document-store.ts';
import { openDocumentStore } from './documents/open-document-store.ts';
import { PdfPageImages } from './documents/pdf-page-images.ts';
import {
  createNotificationTransports,
  listenForDeliveryReceipts,
  type NotificationTransports,
} from './modules/notify/index.ts';

/** Everything a use case may need, wired explicitly once per process (and per test). */
export interface Services {
  config: Config;
  db: Db;
  pool: pg.Pool;
  /**
   * Where lag-tolerant reads go: the replica of DATABASE_REPLICA_URL once it has replayed what the reader must see,
   * else `db` (always `db` without a replica). Close it on shutdown (`reads.close()`: its poller and pool).
   */
  reads: ReplicaRouter;
  documents: DocumentStore;
  /** The malware scanner every new document passes before it is stored (clamd by config); null: none. */
  scanner: DocumentScanner | null;
  /**
   * Where e-mails and SMS leave Kuvert: SMTP, SMPP or an HTTPS SMS gateway as configured (config.notify), the
   * development outbox by default outside production. Close it on shutdown (`notifications.close()`).
   */
  notifications: NotificationTransports;
  /** PDF pages drawn as PNG for phones, cached under the data folder; stop it on shutdown (`pageImages.stop()`). */
  pageImages: PdfPageImages;
}

export function createServices(config: Config, db: Db, pool: pg.Pool): Services {
  const services: Services = {
    config,
    db,
    pool,
    reads: openReplicaRouter(config, db),
    documents: openDocumentStore(config.documents.store, config.dataDir, db),
    scanner: createDocumentScanner(config.documents),
    notifications: createNotificationTransports(config.notify, db),
    pageImages: new PdfPageImages(path.join(config.dataDir, 'page-images')),
  };
  // SMS delivery receipts arrive on whichever process holds the SMPP sessions.
  listenForDeliveryReceipts(services);
  return services;
}

function openReplicaRouter(config: Config, db: Db): ReplicaRouter {
  if (!config.databaseReplicaUrl) return new ReplicaRouter(db, null);
  // Short waits: the primary answers instead of a replica that is slow to connect or to reply.
  const replica = openDatabase(config.databaseReplicaUrl, 10, {
    connectTimeoutMs: 2_000,
    queryTimeoutMs: 10_000,
    applicationName: 'kuvert-replica-reads',
    exitOnIdle: true,
  });
  return new ReplicaRouter(db, replica.db, { closeReplica: () => replica.db.destroy() });
}
