import { escapeText } from './xml-escape';

export type MetadataType = 'primary' | 'filelists' | 'other';

/** One `<data>` record of repomd.xml. */
export interface RepomdEntry {
  type: MetadataType;
  href: string;
  checksum: string;
  openChecksum: string;
  timestamp: number;
  size: number;
  openSize: number;
}

/** repomd.xml as createrepo_c writes it (no `<tags>`, sha256, one `<data>` per file, in the given order). */
export function renderRepomd(revision: string, entries: readonly RepomdEntry[]): string {
  let out =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">\n' +
    `  <revision>${escapeText(revision)}</revision>\n`;
  for (const entry of entries)
    out +=
      `  <data type="${entry.type}">\n` +
      `    <checksum type="sha256">${entry.checksum}</checksum>\n` +
      `    <open-checksum type="sha256">${entry.openChecksum}</open-checksum>\n` +
      `    <location href="${escapeText(entry.href)}"/>\n` +
      `    <timestamp>${entry.timestamp}</timestamp>\n` +
      `    <size>${entry.size}</size>\n` +
      `    <open-size>${entry.openSize}</open-size>\n` +
      `  </data>\n`;
  return `${out}</repomd>\n`;
}
