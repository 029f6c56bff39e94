import type { RpmPackage } from '../rpm';
import { PRIMARY_DEPENDENCY_ORDER, primaryDependencies } from './dependency-lists';
import type { DepEntry } from './dependency-lists';
import { isPrimaryFile } from './primary-files';
import { escapeAttribute as attr, escapeText as text } from './xml-escape';

/** What repodata knows about a package file that its header does not say. */
export interface PackageFileFacts {
  /** sha256 (hex) of the whole .rpm file: the package id. */
  pkgId: string;
  /** Path relative to the repository root, e.g. `Packages/h/hello-1.0-1.x86_64.rpm`. */
  locationHref: string;
  /** `xml:base` of the location, when packages live elsewhere. */
  locationBase?: string;
  /** `<time file>`: createrepo_c uses the file's mtime (seconds). */
  fileTime: number;
  /** `<size package>`: the file's size in bytes. */
  fileSize: number;
}

/** `<version epoch ver rel/>` with the package's epoch (0 when absent). */
export const versionElement = (pkg: RpmPackage): string =>
  `<version epoch="${pkg.epoch ?? 0}" ver="${attr(pkg.version)}" rel="${attr(pkg.release)}"/>`;

/** `<file [type]>path</file>` lines for the given files, at the given indent. */
export function fileElements(files: RpmPackage['files'], indent: string): string {
  let out = '';
  for (const file of files) {
    const type = file.dir ? ' type="dir"' : file.ghost ? ' type="ghost"' : '';
    out += `${indent}<file${type}>${text(file.path)}</file>\n`;
  }
  return out;
}

/** One `<package type="rpm">…</package>\n` of primary.xml, laid out as createrepo_c lays it out. */
export function renderPrimaryPackage(pkg: RpmPackage, facts: PackageFileFacts): string {
  const base = facts.locationBase ? ` xml:base="${attr(facts.locationBase)}"` : '';
  let out =
    `<package type="rpm">\n` +
    `  <name>${text(pkg.name)}</name>\n` +
    `  <arch>${text(pkg.arch)}</arch>\n` +
    `  ${versionElement(pkg)}\n` +
    `  <checksum type="sha256" pkgid="YES">${facts.pkgId}</checksum>\n` +
    `  <summary>${text(pkg.summary)}</summary>\n` +
    `  <description>${text(pkg.description)}</description>\n` +
    `  <packager>${text(pkg.packager ?? '')}</packager>\n` +
    `  <url>${text(pkg.url ?? '')}</url>\n` +
    `  <time file="${facts.fileTime}" build="${pkg.buildTime}"/>\n` +
    `  <size package="${facts.fileSize}" installed="${pkg.installedSize}" archive="${pkg.archiveSize}"/>\n` +
    `  <location${base} href="${attr(facts.locationHref)}"/>\n` +
    `  <format>\n` +
    `    <rpm:license>${text(pkg.license ?? '')}</rpm:license>\n` +
    `    <rpm:vendor>${text(pkg.vendor ?? '')}</rpm:vendor>\n` +
    `    <rpm:group>${text(pkg.group ?? '')}</rpm:group>\n` +
    `    <rpm:buildhost>${text(pkg.buildHost ?? '')}</rpm:buildhost>\n` +
    `    <rpm:sourcerpm>${text(pkg.sourceRpm ?? '')}</rpm:sourcerpm>\n` +
    `    <rpm:header-range start="${pkg.layout.header.start}" end="${pkg.layout.header.end}"/>\n`;
  const deps = primaryDependencies(pkg);
  for (const kind of PRIMARY_DEPENDENCY_ORDER) {
    const list = deps[kind];
    if (list.length === 0) continue;
    out += `    <rpm:${kind}>\n`;
    for (const entry of list) out += `      ${entryElement(entry, kind === 'requires')}\n`;
    out += `    </rpm:${kind}>\n`;
  }
  out += fileElements(
    pkg.files.filter((f) => isPrimaryFile(f.path)),
    '    ',
  );
  return `${out}  </format>\n</package>\n`;
}

function entryElement(entry: DepEntry, isRequire: boolean): string {
  let out = `<rpm:entry name="${attr(entry.name)}"`;
  if (entry.flags) {
    out += ` flags="${entry.flags}"`;
    if (entry.epoch) out += ` epoch="${attr(entry.epoch)}"`;
    if (entry.ver) out += ` ver="${attr(entry.ver)}"`;
    if (entry.rel) out += ` rel="${attr(entry.rel)}"`;
  }
  if (isRequire && entry.pre) out += ' pre="1"';
  return `${out}/>`;
}
