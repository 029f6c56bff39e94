import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PipelineError } from '../errors';

/**
 * One XML element as the kiwi reader sees it: its name, attributes, child elements in document order and its
 * text (trimmed, the text nodes joined). Comments, processing instructions (`<?xml-model …?>`) and the XML
 * declaration are not part of it.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

/**
 * The root element of `text`. Text that is not well-formed XML, or that has no single root element, is
 * `image.invalid-definition` naming `file` (and the line and column the validator stopped at).
 */
export function parseXmlTree(text: string, file: string): XmlElement {
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    const at = [line, col].filter((n) => typeof n === 'number').join(':');
    throw PipelineError.permanent(
      'image.invalid-definition',
      `${file}${at ? `:${at}` : ''}: not XML: ${msg}`,
      {
        file,
        ...(typeof line === 'number' && { line }),
        ...(typeof col === 'number' && { column: col }),
      },
    );
  }
  const roots = (parser.parse(text) as OrderedNode[]).flatMap(toElement);
  const root = roots[0];
  if (root === undefined || roots.length > 1) {
    throw PipelineError.permanent('image.invalid-definition', `${file}: not XML: expected one root element`, {
      file,
    });
  }
  return root;
}

/** fast-xml-parser's `preserveOrder` node: `{ <tag>: children, ':@': attributes }` or `{ '#text': text }`. */
type OrderedNode = Record<string, unknown>;

function toElement(node: OrderedNode): XmlElement[] {
  const name = Object.keys(node).find((key) => key !== ':@' && key !== '#text');
  if (name === undefined) return [];
  const content = (node[name] ?? []) as OrderedNode[];
  const attributes = (node[':@'] ?? {}) as Record<string, string>;
  const text = content
    .map((child) => child['#text'])
    .filter((t): t is string | number => t !== undefined)
    .map(String)
    .join(' ')
    .trim();
  return [{ name, attributes, children: content.flatMap(toElement), text }];
}
