import path from 'node:path';
import type { Db } from '../db/database.ts';
import { type DocumentStore, FileDocumentStore } from './document-store.ts';
import type { DocumentsConfig } from './documents.config.ts';
import { PgDocumentStore } from './pg-document-store.ts';

/** The document store of a kind (KUVERT_DOCUMENT_STORE): the data folder's `documents/`, or the database. */
export function openDocumentStore(kind: DocumentsConfig['store'], dataDir: string, db: Db): DocumentStore {
  return kind === 'postgres' ? new PgDocumentStore(db) : new FileDocumentStore(path.join(dataDir, 'documents'));
}
