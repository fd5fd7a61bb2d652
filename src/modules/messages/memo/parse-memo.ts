/** Reads MeMo documents safely: prescan (size, DOCTYPE, depth, root, version), XSD validation, typed model. */

import { readKuvertExtensions, splitKuvertExtensions } from './kuvert-extension.ts';
import { MemoError } from './memo-errors.ts';
import type { MemoMessage, MemoVersion } from './memo-model.ts';
import { readMemoMessage } from './memo-read.ts';
import { type SchemaVerdict, validateMemoSchemaBatch } from './memo-schema.ts';
import { DEFAULT_MAX_DEPTH, type MemoLimits, type MemoPrescan, prescanMemo } from './xml-safety.ts';
import { parseXmlTree, type XmlElement } from './xml-tree.ts';

export type MemoParseOptions = MemoLimits;

export interface MemoParseResult {
  /** From the memoVersion attribute (or, lacking it, memoSchVersion). */
  version: MemoVersion;
  /** memoSchVersion as written; 1.1 messages carry it (1.1.0), 1.2 messages do not. */
  schemaVersion?: string;
  message: MemoMessage;
  /** Oddities the schema allows but a reader may want to know of, e.g. an action code not in use. */
  warnings: string[];
  /** Kuvert's extension elements (namespace urn:kuvert:memo-extension:1), outside the schema: kuvert-extension.ts. */
  extensions: XmlElement[];
}

/**
 * Parses and validates one MeMo document against the XSD of its version; throws MemoError (an AppError with a
 * stable code: xml_too_large, xml_dtd_forbidden, xml_too_deep, xml_malformed, xml_encoding_unsupported,
 * memo_wrong_root, memo_unsupported_version, memo_invalid with issues [{ line, element, message }], …).
 * Async because libxml2 runs in a worker thread.
 */
export async function parseMemo(xml: Buffer | string, options: MemoParseOptions = {}): Promise<MemoParseResult> {
  const scanned = withoutExtensions(prescanMemo(xml, options));
  const [verdict] = await validateMemoSchemaBatch([scanned.text], scanned.version);
  return finish(scanned, verdict, options);
}

/**
 * Like parseMemo for many documents at once, validating them in as few libxml2 runs as memory allows (the run's
 * start-up, ~90 ms, dominates single-message validation). Each entry is a result or the MemoError for that document.
 */
export async function parseMemoBatch(
  xmls: (Buffer | string)[],
  options: MemoParseOptions = {},
): Promise<(MemoParseResult | MemoError)[]> {
  const scanned = xmls.map((xml) => {
    try {
      return withoutExtensions(prescanMemo(xml, options));
    } catch (error) {
      if (error instanceof MemoError) return error;
      throw error;
    }
  });
  const verdicts = new Map<Scanned, SchemaVerdict>();
  for (const version of ['1.1', '1.2'] as const) {
    const group = scanned.filter((s): s is Scanned => !(s instanceof MemoError) && s.version === version);
    const results = await validateMemoSchemaBatch(
      group.map((s) => s.text),
      version,
    );
    group.forEach((s, i) => {
      const verdict = results[i];
      if (verdict) verdicts.set(s, verdict);
    });
  }
  return scanned.map((s) => {
    if (s instanceof MemoError) return s;
    try {
      return finish(s, verdicts.get(s), options);
    } catch (error) {
      if (error instanceof MemoError) return error;
      throw error;
    }
  });
}

/**
 * Parses a MeMo document WITHOUT schema validation (synchronous): for documents this system validated before,
 * e.g. stored messages. The safety prescan still runs. Never use it on input from outside.
 */
export function parseValidatedMemo(xml: Buffer | string, options: MemoParseOptions = {}): MemoParseResult {
  return finish(withoutExtensions(prescanMemo(xml, options)), { outcome: 'valid', issues: [] }, options);
}

type Scanned = MemoPrescan & { fragments: { prefix: string; xml: string }[] };

/** The prescanned document with Kuvert's extension elements cut out (kept apart in `fragments`). */
function withoutExtensions(scanned: MemoPrescan): Scanned {
  const { text, fragments } = splitKuvertExtensions(scanned.text);
  return { ...scanned, text, fragments };
}

function finish(scanned: Scanned, verdict: SchemaVerdict | undefined, options: MemoParseOptions): MemoParseResult {
  if (!verdict) throw new Error('MeMo schema validation returned no verdict');
  if (verdict.outcome === 'malformed') {
    const first = verdict.issues[0];
    throw new MemoError(
      'xml_malformed',
      `The XML is not well-formed${first ? ` (line ${first.line}: ${first.message})` : ''}.`,
      verdict.issues,
    );
  }
  if (verdict.outcome === 'invalid') {
    const first = verdict.issues[0];
    const count = verdict.issues.length;
    throw new MemoError(
      'memo_invalid',
      `The document is not valid MeMo ${scanned.version}: ${count} error${count === 1 ? '' : 's'}${
        first ? `, first at line ${first.line}: ${first.message}` : ''
      }`,
      verdict.issues,
    );
  }
  const tree = parseXmlTree(scanned.text, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  const { message, warnings } = readMemoMessage(tree);
  return {
    version: scanned.version,
    ...(scanned.schemaVersion === undefined ? {} : { schemaVersion: scanned.schemaVersion }),
    message,
    warnings,
    extensions: readKuvertExtensions(scanned.fragments),
  };
}
