/** The MeMo model as kept in message.memo: everything MeMo carries except file bytes, which files name by SHA-256. */
import type { MemoBody, MemoDocument, MemoFile, MemoMessage } from './memo/index.ts';

export type StoredMemoFile = Omit<MemoFile, 'content'> & { sha256: string };
export type StoredMemoDocument = Omit<MemoDocument, 'files'> & { files: StoredMemoFile[] };
export type StoredMemoBody = Omit<MemoBody, 'mainDocument' | 'additionalDocuments' | 'technicalDocuments'> & {
  mainDocument: StoredMemoDocument;
  additionalDocuments: StoredMemoDocument[];
  technicalDocuments: StoredMemoDocument[];
};
export type StoredMemoMessage = Omit<MemoMessage, 'body'> & { body?: StoredMemoBody };

/** The model with each file's bytes replaced by their SHA-256, as `hashOf` gives it. */
export function toStoredMemo(message: MemoMessage, hashOf: (file: MemoFile) => string): StoredMemoMessage {
  const { body, ...header } = message;
  if (!body) return header;
  const doc = ({ files, ...rest }: MemoDocument): StoredMemoDocument => ({
    ...rest,
    files: files.map(({ content, ...file }) => ({ ...file, sha256: hashOf({ ...file, content }) })),
  });
  return {
    ...header,
    body: {
      createdDateTime: body.createdDateTime,
      mainDocument: doc(body.mainDocument),
      additionalDocuments: body.additionalDocuments.map(doc),
      technicalDocuments: body.technicalDocuments.map(doc),
    },
  };
}

/** The full model again, each file's bytes read from the document store. */
export async function fromStoredMemo(
  stored: StoredMemoMessage,
  read: (sha256: string) => Promise<Buffer>,
): Promise<MemoMessage> {
  const { body, ...header } = stored;
  if (!body) return header;
  const doc = async ({ files, ...rest }: StoredMemoDocument): Promise<MemoDocument> => ({
    ...rest,
    files: await Promise.all(files.map(async ({ sha256, ...file }) => ({ ...file, content: await read(sha256) }))),
  });
  return {
    ...header,
    body: {
      createdDateTime: body.createdDateTime,
      mainDocument: await doc(body.mainDocument),
      additionalDocuments: await Promise.all(body.additionalDocuments.map(doc)),
      technicalDocuments: await Promise.all(body.technicalDocuments.map(doc)),
    },
  };
}
