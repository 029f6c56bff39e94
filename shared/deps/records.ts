import type { DepFlags } from './evr';

/** One `<rpm:entry>` of primary.xml: a capability name with an optional version constraint. */
export interface DepEntry {
  name: string;
  flags?: DepFlags | undefined;
  epoch?: string | undefined;
  ver?: string | undefined;
  rel?: string | undefined;
}

/** A binary package as the index needs it, read from the binary repository's primary.xml. */
export interface BinaryPackageRecord {
  name: string;
  arch: string;
  epoch: string;
  version: string;
  release: string;
  /** `rpm:sourcerpm`, e.g. `glibc-2.39-5.fc41.src.rpm`. */
  sourceRpm: string;
  provides: DepEntry[];
  /** File paths listed in primary (they are provides too: `Requires: /usr/bin/perl`). */
  files: string[];
}

/** A source package from the source repository's primary.xml, whose `requires` are the BuildRequires. */
export interface SourcePackageRecord {
  name: string;
  epoch: string;
  version: string;
  release: string;
  buildRequires: DepEntry[];
}

/** A capability that a binary provides, as returned by `providesOf`. */
export interface ProvidedCapability extends DepEntry {
  binary: string;
  file: boolean;
}
