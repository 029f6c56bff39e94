import { compareRecords } from './package-record';
import type { RepodataRecord } from './package-record';
import { renderRepomd } from './repomd';
import type { MetadataType, RepomdEntry } from './repomd';
import { gzipSegments, SegmentCache } from './segmented-gzip';

/** A metadata file to store at `href` (relative to the repository root). */
export interface RepodataFile extends RepomdEntry {
  bytes: Uint8Array;
}

export interface RepodataOutput {
  /** primary, filelists, other: content-addressed (`repodata/<sha256>-<type>.xml.gz`), write these first. */
  files: RepodataFile[];
  /** `repodata/repomd.xml`: write it last, it is the commit point of a new generation. */
  repomd: { href: 'repodata/repomd.xml'; bytes: Uint8Array };
  packages: number;
}

export interface WriteOptions {
  /** `<revision>`; createrepo_c's default is the current unix time. */
  revision: string;
  /** `<timestamp>` of every `<data>` (createrepo_c: the file's mtime, or the revision with `--set-timestamp-to-revision`). */
  timestamp: number;
  /** Reuse compressed segments across regenerations of the same repository. */
  cache?: RepodataCache;
}

/** One segment cache per document, kept by whoever regenerates a repository repeatedly. */
export class RepodataCache {
  readonly primary = new SegmentCache();
  readonly filelists = new SegmentCache();
  readonly other = new SegmentCache();
}

const NS = 'http://linux.duke.edu/metadata';
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

const DOCUMENTS: readonly {
  type: MetadataType;
  open: (count: number) => string;
  close: string;
  fragment: (record: RepodataRecord) => string;
}[] = [
  {
    type: 'primary',
    open: (n) => `${XML_DECLARATION}<metadata xmlns="${NS}/common" xmlns:rpm="${NS}/rpm" packages="${n}">\n`,
    close: '</metadata>',
    fragment: (r) => r.primaryXml,
  },
  {
    type: 'filelists',
    open: (n) => `${XML_DECLARATION}<filelists xmlns="${NS}/filelists" packages="${n}">\n`,
    close: '</filelists>',
    fragment: (r) => r.filelistsXml,
  },
  {
    type: 'other',
    open: (n) => `${XML_DECLARATION}<otherdata xmlns="${NS}/other" packages="${n}">\n`,
    close: '</otherdata>',
    fragment: (r) => r.otherXml,
  },
];

/**
 * Renders primary, filelists and other (gzip) and repomd.xml from package records alone, in createrepo_c's
 * package order. The packages are cut into segments at content-defined points (after a record whose pkgId
 * starts with a multiple of 128), so adding or removing one package changes one segment and, with a
 * `cache`, only that segment is compressed again. Same records and options → same bytes, cache or not.
 */
export function writeRepodata(records: readonly RepodataRecord[], options: WriteOptions): RepodataOutput {
  const sorted = [...records].sort(compareRecords);
  const groups = segmentBoundaries(sorted);
  const files = DOCUMENTS.map((doc): RepodataFile => {
    const segments = [doc.open(sorted.length)];
    for (const [from, to] of groups) {
      let text = '';
      for (let i = from; i < to; i++) text += doc.fragment(sorted[i] as RepodataRecord);
      segments.push(text);
    }
    segments.push(doc.close);
    const gz = gzipSegments(segments, options.cache?.[doc.type]);
    return {
      type: doc.type,
      href: `repodata/${gz.checksum}-${doc.type}.xml.gz`,
      checksum: gz.checksum,
      openChecksum: gz.openChecksum,
      size: gz.size,
      openSize: gz.openSize,
      timestamp: options.timestamp,
      bytes: gz.gzip,
    };
  });
  const repomd = renderRepomd(options.revision, files);
  return {
    files,
    repomd: { href: 'repodata/repomd.xml', bytes: Buffer.from(repomd, 'utf8') },
    packages: sorted.length,
  };
}

const SEGMENT_MODULUS = 128;

function segmentBoundaries(sorted: readonly RepodataRecord[]): [number, number][] {
  const groups: [number, number][] = [];
  let from = 0;
  sorted.forEach((record, i) => {
    if (parseInt(record.pkgId.slice(0, 4), 16) % SEGMENT_MODULUS === 0) {
      groups.push([from, i + 1]);
      from = i + 1;
    }
  });
  if (from < sorted.length) groups.push([from, sorted.length]);
  return groups;
}
