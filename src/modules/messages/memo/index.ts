/**
 * MeMo (Digital Post's message format, https://DigitalPost.dk/MeMo-1) for Kuvert: safe parsing and XSD validation
 * of versions 1.1 and 1.2, a typed model, export back to MeMo, and the recipient's CPR/CVR.
 */

export { KUVERT_MEMO_EXTENSION_NS } from './kuvert-extension.ts';
export { MemoError, type MemoErrorCode, type MemoIssue } from './memo-errors.ts';
export * from './memo-model.ts';
export { MEMO_NAMESPACES } from './memo-read.ts';
export {
  type SchemaVerdict,
  stopMemoValidator,
  validateMemoSchema,
  validateMemoSchemaBatch,
  warmMemoValidator,
} from './memo-schema.ts';
export { toMemoXml } from './memo-xml.ts';
export {
  type MemoParseOptions,
  type MemoParseResult,
  parseMemo,
  parseMemoBatch,
  parseValidatedMemo,
} from './parse-memo.ts';
export { type MemoRecipientIdentifier, recipientIdentifier } from './recipient.ts';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, MEMO_NS, type MemoLimits, prescanMemo } from './xml-safety.ts';
export type { XmlElement } from './xml-tree.ts';
