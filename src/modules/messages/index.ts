/** The public face of the messages module: what other modules may import. */
export { TAR_TYPES } from './batches/batch-upload.ts';
export type { BatchStatus } from './batches/get-batch.ts';
export { getBatch } from './batches/get-batch.ts';
export type { BatchErrorPage } from './batches/list-batch-errors.ts';
export { listBatchErrors } from './batches/list-batch-errors.ts';
export { submitBatch } from './batches/submit-batch.ts';
export { submitTarBatch } from './batches/submit-tar-batch.ts';
export { deliverMessage } from './deliver-message.ts';
export { exportMemo } from './export-memo.ts';
export { insertForwardedCopy } from './forward-copy.ts';
export { getMessageStatus } from './get-message-status.ts';
export type { LetterParties } from './letter-parties.ts';
export { findLetterParties } from './letter-parties.ts';
export { stopMemoValidator } from './memo/index.ts';
export type { MessageStatus, SendMessageBody } from './messages.schemas.ts';
export {
  findTombstone,
  lettersDueByRetention,
  lettersOfMailbox,
  type PurgedMessages,
  purgeMessages,
} from './purge-messages.ts';
export { yearsAfter } from './retention.ts';
export { sendMessage } from './send-message.ts';
export type { TestLetterDocument, TestLetterPage, TestLetterSummary } from './test-letters.ts';
export { findTestLetter, listTestLetters } from './test-letters.ts';
