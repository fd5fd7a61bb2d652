import { AppError } from '../../../http/problem.ts';

/** One problem found in a MeMo document, located by line (1-based) and, where libxml2 names it, the element. */
export interface MemoIssue {
  line: number;
  element?: string;
  message: string;
}

/** Stable codes of every way a MeMo document can be refused; the HTTP status each maps to is in STATUS. */
export type MemoErrorCode =
  | 'xml_too_large'
  | 'xml_dtd_forbidden'
  | 'xml_too_deep'
  | 'xml_malformed'
  | 'xml_encoding_unsupported'
  | 'memo_wrong_root'
  | 'memo_unsupported_version'
  | 'memo_invalid'
  | 'memo_invalid_base64'
  | 'memo_recipient_invalid'
  | 'memo_export_unsupported';

const STATUS: Record<MemoErrorCode, number> = {
  xml_too_large: 413,
  xml_dtd_forbidden: 400,
  xml_too_deep: 400,
  xml_malformed: 400,
  xml_encoding_unsupported: 415,
  memo_wrong_root: 422,
  memo_unsupported_version: 422,
  memo_invalid: 422,
  memo_invalid_base64: 422,
  memo_recipient_invalid: 422,
  memo_export_unsupported: 422,
};

/**
 * A MeMo document was refused. An AppError, so a route can let it propagate to problem+json: the response then
 * carries `code`, `detail` and `issues` ({ line, element?, message }[]).
 */
export class MemoError extends AppError {
  declare readonly code: MemoErrorCode;
  readonly issues: MemoIssue[];

  constructor(code: MemoErrorCode, message: string, issues: MemoIssue[] = [], field?: string) {
    super(STATUS[code], code, message, field, issues.length ? { issues } : {});
    this.name = 'MemoError';
    this.issues = issues;
  }
}
