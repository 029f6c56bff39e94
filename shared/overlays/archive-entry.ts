/**
 * One member of a source tar archive, as the archive overlays see it: its header fields (kept as read, so a
 * repack keeps owner, group and mode) and, for a regular file, its bytes. The tar I/O (infra/overlays/) reads
 * archives into these and writes them back; every decision about them is made here, over the list.
 */
export interface ArchiveEntry {
  /** The name as stored in the archive (`pkg-1.0/src/a.c`, `./pkg-1.0/`, …). */
  readonly name: string;
  /** tar-stream's entry type: `file`, `directory`, `symlink`, `link` (hard link), `fifo`, … */
  readonly type: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly uname?: string;
  readonly gname?: string;
  /** Seconds since the epoch. */
  readonly mtime: number;
  readonly linkname?: string;
  readonly devmajor?: number;
  readonly devminor?: number;
  /** pax records other than path, link path, size and times (extended attributes, …), kept on repack. */
  readonly pax?: Readonly<Record<string, string>>;
  /** The content of a regular file; empty for every other type. */
  readonly body: Uint8Array;
}

/**
 * The fixed modification time of every repacked entry: the Unix epoch, azldev's `--mtime=@0` (its
 * `archive.CreateDeterministicArchive`). A time from the archive itself (its newest entry) would be just as
 * reproducible, but 0 makes the repack of the same edit on two upstream releases differ only in content.
 */
export const REPACK_MTIME = 0;

/** The entry's path for matching: POSIX, without a leading `./` and without a trailing `/`. */
export function entryPath(entry: Pick<ArchiveEntry, 'name'>): string {
  let path = entry.name;
  while (path.startsWith('./')) path = path.slice(2);
  while (path.endsWith('/')) path = path.slice(0, -1);
  return path === '.' ? '' : path;
}

/**
 * Segment-wise order, the order a directory walk gives (azldev repacks by `filepath.WalkDir`): a directory
 * comes right before its own contents, so `a/` and `a/x` precede `a-b/` (a plain string sort would put `a-b`
 * between `a` and `a/x`, since `-` sorts before `/`). Names compare by UTF-16 code unit, which for the ASCII
 * names of source trees is byte order.
 */
export function compareEntryPaths(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i] ?? '';
    const y = right[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

/**
 * The entries as a reproducible repack writes them: sorted (`compareEntryPaths`), every mtime `REPACK_MTIME`,
 * and pax time records dropped; names, types, owner and group (ids and names), mode, link targets and other
 * pax records stay as read. The same edited entries therefore always give the same archive bytes.
 */
export function reproducibleEntries(entries: readonly ArchiveEntry[]): ArchiveEntry[] {
  return [...entries]
    .sort((a, b) => compareEntryPaths(entryPath(a), entryPath(b)))
    .map((entry) => {
      const pax = entry.pax === undefined ? undefined : timelessPax(entry.pax);
      const { pax: _dropped, ...rest } = entry;
      return { ...rest, mtime: REPACK_MTIME, ...(pax === undefined ? {} : { pax }) };
    });
}

const PAX_DERIVED = new Set(['path', 'linkpath', 'size', 'mtime', 'atime', 'ctime']);

/** pax records a writer derives from the header (path, size) or that would vary run to run (times). */
function timelessPax(pax: Readonly<Record<string, string>>): Record<string, string> | undefined {
  const kept = Object.entries(pax).filter(([key]) => !PAX_DERIVED.has(key));
  return kept.length === 0 ? undefined : Object.fromEntries(kept);
}
