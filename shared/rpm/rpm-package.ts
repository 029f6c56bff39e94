import { PipelineError } from '../errors';
import { DEPENDENCY_KINDS, readDependencies } from './dependencies';
import type { DependencyKind, RpmDependency } from './dependencies';
import { HeaderStructure } from './header-structure';
import { locateRpmHeader } from './rpm-layout';
import type { RpmLayout } from './rpm-layout';
import { FILE_GHOST, SigTag, Tag } from './tags';

export interface RpmFile {
  path: string;
  mode: number;
  flags: number;
  /** S_ISDIR(mode). */
  dir: boolean;
  /** FILEFLAGS has RPMFILE_GHOST. */
  ghost: boolean;
}

/** A changelog entry as in the header (newest first there). */
export interface RpmChangelogEntry {
  time: number;
  author: string;
  text: string;
}

/** Everything repodata needs from one RPM, read from its lead, signature and main header. */
export interface RpmPackage {
  layout: RpmLayout;
  name: string;
  /** The EPOCH tag; null when absent (repodata prints 0). */
  epoch: number | null;
  version: string;
  release: string;
  /** `src` for source RPMs (SOURCEPACKAGE set), else the ARCH tag. */
  arch: string;
  isSource: boolean;
  summary: string;
  description: string;
  packager: string | null;
  url: string | null;
  license: string | null;
  vendor: string | null;
  group: string | null;
  buildHost: string | null;
  sourceRpm: string | null;
  buildTime: number;
  /** LONGSIZE, else SIZE. */
  installedSize: number;
  /** Signature LONGARCHIVESIZE / PAYLOADSIZE, else the main header's LONGARCHIVESIZE / ARCHIVESIZE; 0 if none. */
  archiveSize: number;
  dependencies: Record<DependencyKind, RpmDependency[]>;
  files: RpmFile[];
  changelog: RpmChangelogEntry[];
  /** The signature and main header, for any other tag. */
  signatureHeader: HeaderStructure;
  header: HeaderStructure;
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;

/**
 * Reads an RPM's headers from `bytes`, which must hold at least the leading bytes up to the end of the main
 * header (see `measureRpmHeader`); the payload is never needed. Failures are permanent `PipelineError`s:
 * `rpm.truncated`, `rpm.bad-magic`, `rpm.corrupt-header`, `rpm.missing-tag`, each naming the offset.
 */
export function readRpmPackage(bytes: Uint8Array): RpmPackage {
  const layout = locateRpmHeader(bytes);
  const signatureHeader = new HeaderStructure(
    bytes,
    layout.signature.start,
    {
      indexEntries: layout.signature.indexEntries,
      dataBytes: layout.signature.dataBytes,
      totalBytes: layout.signature.end - layout.signature.start,
    },
    'signature',
  );
  const header = new HeaderStructure(
    bytes,
    layout.header.start,
    {
      indexEntries: layout.header.indexEntries,
      dataBytes: layout.header.dataBytes,
      totalBytes: layout.header.end - layout.header.start,
    },
    'main',
  );
  const required = (tag: number, what: string): string => {
    const value = header.string(tag);
    if (value === undefined)
      throw PipelineError.permanent('rpm.missing-tag', `the main header has no ${what} (tag ${tag})`, {
        component: 'rpm',
        tag,
        offset: layout.header.start,
      });
    return value;
  };
  const isSource = header.has(Tag.SOURCEPACKAGE);
  const dependencies = Object.fromEntries(
    DEPENDENCY_KINDS.map((kind) => [kind, readDependencies(header, kind)]),
  ) as Record<DependencyKind, RpmDependency[]>;
  return {
    layout,
    name: required(Tag.NAME, 'NAME'),
    epoch: header.number(Tag.EPOCH) ?? null,
    version: required(Tag.VERSION, 'VERSION'),
    release: required(Tag.RELEASE, 'RELEASE'),
    arch: isSource ? 'src' : required(Tag.ARCH, 'ARCH'),
    isSource,
    summary: header.string(Tag.SUMMARY) ?? '',
    description: header.string(Tag.DESCRIPTION) ?? '',
    packager: header.string(Tag.PACKAGER) ?? null,
    url: header.string(Tag.URL) ?? null,
    license: header.string(Tag.LICENSE) ?? null,
    vendor: header.string(Tag.VENDOR) ?? null,
    group: header.string(Tag.GROUP) ?? null,
    buildHost: header.string(Tag.BUILDHOST) ?? null,
    sourceRpm: header.string(Tag.SOURCERPM) ?? null,
    buildTime: header.number(Tag.BUILDTIME) ?? 0,
    installedSize: header.number(Tag.LONGSIZE) ?? header.number(Tag.SIZE) ?? 0,
    archiveSize:
      signatureHeader.number(SigTag.LONGARCHIVESIZE) ??
      signatureHeader.number(SigTag.PAYLOADSIZE) ??
      header.number(Tag.LONGARCHIVESIZE) ??
      header.number(Tag.ARCHIVESIZE) ??
      0,
    dependencies,
    files: readFiles(header),
    changelog: readChangelog(header),
    signatureHeader,
    header,
  };
}

function readFiles(header: HeaderStructure): RpmFile[] {
  const basenames = header.stringArray(Tag.BASENAMES);
  if (basenames.length === 0) return [];
  const dirnames = header.stringArray(Tag.DIRNAMES);
  const dirindexes = header.numbers(Tag.DIRINDEXES);
  const modes = header.numbers(Tag.FILEMODES);
  const flags = header.numbers(Tag.FILEFLAGS);
  if (dirindexes.length !== basenames.length || modes.length !== basenames.length)
    throw PipelineError.permanent('rpm.corrupt-header', 'file arrays of different lengths', {
      component: 'rpm',
      tag: Tag.BASENAMES,
      offset: header.start,
    });
  return basenames.map((base, i) => {
    const dir = dirnames[dirindexes[i] ?? 0];
    if (dir === undefined)
      throw PipelineError.permanent('rpm.corrupt-header', `file ${i} points to a missing directory`, {
        component: 'rpm',
        tag: Tag.DIRINDEXES,
        offset: header.start,
      });
    const mode = modes[i] ?? 0;
    const fileFlags = flags[i] ?? 0;
    return {
      path: dir + base,
      mode,
      flags: fileFlags,
      dir: (mode & S_IFMT) === S_IFDIR,
      ghost: (fileFlags & FILE_GHOST) !== 0,
    };
  });
}

function readChangelog(header: HeaderStructure): RpmChangelogEntry[] {
  const times = header.numbers(Tag.CHANGELOGTIME);
  const names = header.stringArray(Tag.CHANGELOGNAME);
  const texts = header.stringArray(Tag.CHANGELOGTEXT);
  const count = Math.min(times.length, names.length, texts.length);
  return Array.from({ length: count }, (_, i) => ({
    time: times[i] ?? 0,
    author: names[i] ?? '',
    text: texts[i] ?? '',
  }));
}
