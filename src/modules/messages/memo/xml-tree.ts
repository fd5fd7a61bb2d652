/**
 * A small namespace-aware element tree built from fast-xml-parser's output.
 *
 * Why fast-xml-parser: pure JavaScript (no native build), actively maintained, fast on large text nodes (base64
 * files), and it can be told to expand no entities at all (processEntities: false); we resolve the five predefined
 * entities and character references ourselves, and DOCTYPE never gets this far (prescanMemo refuses it). libxml2
 * (libxml2-wasm) has already checked well-formedness and the schema by the time a tree is read into a model; it
 * offers no tree to JavaScript, only messages, so a second parser is needed for the model.
 * fast-xml-parser does not resolve namespaces, so this module does: messages may bind MeMo to any prefix.
 */
import { XMLParser } from 'fast-xml-parser';
import { MemoError } from './memo-errors.ts';
import { decodeEntities } from './xml-safety.ts';

export interface XmlElement {
  ns: string;
  local: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Character content (text and CDATA) directly inside this element, entities resolved, whitespace kept. */
  text: string;
}

type FxpNode = { [key: string]: FxpNode[] | Record<string, string> | string | undefined };

const parser = (maxDepth: number) =>
  new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: false,
    htmlEntities: false,
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    cdataPropName: '#cdata',
    ignoreDeclaration: true,
    ignorePiTags: true,
    maxNestedTags: maxDepth + 1,
  });

/** Parses a prescanned document into its root element. */
export function parseXmlTree(text: string, maxDepth: number): XmlElement {
  let nodes: FxpNode[];
  try {
    nodes = parser(maxDepth).parse(text) as FxpNode[];
  } catch (error) {
    throw new MemoError('xml_malformed', `The XML is not well-formed: ${(error as Error).message}`);
  }
  const root = nodes.map((node) => toElement(node, new Map())).find((e) => e !== undefined);
  if (!root) throw new MemoError('xml_malformed', 'The XML has no root element.');
  return root;
}

function toElement(node: FxpNode, scope: Map<string, string>): XmlElement | undefined {
  const name = Object.keys(node).find((key) => key !== ':@' && key !== '#text' && key !== '#cdata');
  if (name === undefined) return undefined;
  const raw = (node[':@'] ?? {}) as Record<string, string>;
  const attributes: Record<string, string> = {};
  let inner = scope;
  for (const [key, value] of Object.entries(raw)) {
    const decoded = decodeEntities(value);
    if (key === 'xmlns' || key.startsWith('xmlns:')) {
      if (inner === scope) inner = new Map(scope);
      inner.set(key === 'xmlns' ? '' : key.slice(6), decoded);
    } else {
      attributes[key] = decoded;
    }
  }
  const colon = name.indexOf(':');
  const prefix = colon === -1 ? '' : name.slice(0, colon);
  const ns = inner.get(prefix);
  if (ns === undefined && prefix)
    throw new MemoError('xml_malformed', `The namespace prefix "${prefix}" is not declared.`);
  const element: XmlElement = { ns: ns ?? '', local: name.slice(colon + 1), attributes, children: [], text: '' };
  for (const child of (node[name] ?? []) as FxpNode[]) {
    if (typeof child['#text'] === 'string') element.text += decodeEntities(child['#text']);
    else if (Array.isArray(child['#cdata'])) element.text += child['#cdata'].map((c) => c['#text'] ?? '').join('');
    else {
      const sub = toElement(child, inner);
      if (sub) element.children.push(sub);
    }
  }
  return element;
}
