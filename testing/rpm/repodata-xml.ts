import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SaxesParser } from 'saxes';

/** An XML element as plain data, for deep equality. Whitespace-only text between elements is dropped. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser();
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  parser.on('opentag', (tag) => {
    const element: XmlElement = {
      name: tag.name,
      attributes: Object.fromEntries(Object.entries(tag.attributes).map(([k, v]) => [k, String(v)])),
      children: [],
      text: '',
    };
    stack[stack.length - 1]?.children.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  });
  parser.on('closetag', () => {
    const done = stack.pop();
    if (done && done.children.length > 0 && done.text.trim() === '') done.text = '';
  });
  parser.write(xml).close();
  const [document] = root.children;
  if (!document) throw new Error('empty XML document');
  return document;
}

export interface RepodataDocuments {
  repomd: XmlElement;
  primary: XmlElement;
  filelists: XmlElement;
  other: XmlElement;
  /** The uncompressed XML text of each document. */
  raw: Record<'primary' | 'filelists' | 'other', string>;
}

/** Reads `<root>/repodata/repomd.xml` and the three documents it points to, decompressed and parsed. */
export function readRepodata(root: string): RepodataDocuments {
  const repomd = parseXml(readFileSync(join(root, 'repodata', 'repomd.xml'), 'utf8'));
  const raw = { primary: '', filelists: '', other: '' };
  for (const data of repomd.children) {
    const type = data.attributes.type as keyof typeof raw;
    if (!(type in raw)) continue;
    const href = data.children.find((c) => c.name === 'location')?.attributes.href ?? '';
    raw[type] = gunzipSync(readFileSync(join(root, href))).toString('utf8');
  }
  return {
    repomd,
    primary: parseXml(raw.primary),
    filelists: parseXml(raw.filelists),
    other: parseXml(raw.other),
    raw,
  };
}

/** The `<data>` records of repomd.xml by type, as {child name → text}. */
export function repomdRecords(repomd: XmlElement): Record<string, Record<string, string>> {
  return Object.fromEntries(
    repomd.children
      .filter((c) => c.name === 'data')
      .map((d) => [
        d.attributes.type,
        Object.fromEntries(
          d.children.map((c) => [c.name, c.name === 'location' ? (c.attributes.href ?? '') : c.text]),
        ),
      ]),
  );
}

/** Packages of a parsed document keyed by pkgid (primary: the checksum text; the others: the attribute). */
export function packagesById(document: XmlElement): Map<string, XmlElement> {
  const id = (p: XmlElement) =>
    p.attributes.pkgid ?? p.children.find((c) => c.name === 'checksum')?.text ?? '';
  return new Map(document.children.map((p) => [id(p), p]));
}

export const listFiles = (dir: string): string[] => readdirSync(dir).sort();
