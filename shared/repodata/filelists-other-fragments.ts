import type { RpmPackage } from '../rpm';
import { fileElements, versionElement } from './primary-fragment';
import { escapeAttribute as attr, escapeText as text } from './xml-escape';

/** createrepo_c's default `--changelog-limit` (`src/cmd_parser.h` DEFAULT_CHANGELOG_LIMIT). */
export const DEFAULT_CHANGELOG_LIMIT = 10;

const packageOpen = (pkg: RpmPackage, pkgId: string) =>
  `<package pkgid="${pkgId}" name="${attr(pkg.name)}" arch="${attr(pkg.arch)}">\n  ${versionElement(pkg)}\n`;

/** One `<package>` of filelists.xml: every file, directories and ghosts marked. */
export function renderFilelistsPackage(pkg: RpmPackage, pkgId: string): string {
  return `${packageOpen(pkg, pkgId)}${fileElements(pkg.files, '  ')}</package>\n`;
}

/**
 * One `<package>` of other.xml: the newest `limit` changelog entries, oldest first. As createrepo_c does,
 * trailing spaces of the author are dropped, and when entries share a time the newer ones are moved one
 * second later each, so dates stay distinct.
 */
export function renderOtherPackage(pkg: RpmPackage, pkgId: string, limit = DEFAULT_CHANGELOG_LIMIT): string {
  const picked: { author: string; date: number; text: string }[] = [];
  let lastTime = 0;
  for (const entry of pkg.changelog.slice(0, Math.max(0, limit))) {
    picked.push({ author: trimAuthor(entry.author), date: entry.time, text: entry.text });
    if (entry.time === lastTime) {
      let time = entry.time;
      for (let i = picked.length - 2; i >= 0; i--) {
        const previous = picked[i];
        if (!previous || previous.date !== time) break;
        previous.date++;
        time++;
      }
    } else lastTime = entry.time;
  }
  let out = packageOpen(pkg, pkgId);
  for (let i = picked.length - 1; i >= 0; i--) {
    const entry = picked[i];
    if (entry)
      out += `  <changelog author="${attr(entry.author)}" date="${entry.date}">${text(entry.text)}</changelog>\n`;
  }
  return `${out}</package>\n`;
}

/** Trailing spaces go, but never the first character (createrepo_c's loop stops at index 1). */
const trimAuthor = (author: string) => author.slice(0, 1) + author.slice(1).replace(/ +$/, '');
