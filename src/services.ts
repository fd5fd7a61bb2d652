import path from 'node:path';
import type pg from 'pg';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
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
    documents: openDocumentStore(config.documents.store, config.dataDir, db),
    scanner: createDocumentScanner(config.documents),
    notifications: createNotificationTransports(config.notify, db),
    pageImages: new PdfPageImages(path.join(config.dataDir, 'page-images')),
  };
  // SMS delivery receipts arrive on whichever process holds the SMPP sessions.
  listenForDeliveryReceipts(services);
  return services;
}
