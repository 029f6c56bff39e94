/** The compressions an archive overlay reads and writes back (azldev `archive.Compression`). */
export type ArchiveCompression = 'none' | 'gzip' | 'xz' | 'zstd';

/** The compression the archive's name implies (archive-names.ts lists the names the schema accepts). */
export function compressionOfName(name: string): ArchiveCompression {
  const lower = name.toLowerCase();
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'gzip';
  if (lower.endsWith('.tar.xz') || lower.endsWith('.txz')) return 'xz';
  if (lower.endsWith('.tar.zst') || lower.endsWith('.tzst')) return 'zstd';
  return 'none';
}

const MAGIC: readonly [ArchiveCompression, readonly number[]][] = [
  ['gzip', [0x1f, 0x8b]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];

/**
 * The compression the archive's bytes start with, else the one its name implies (azldev
 * `SniffCompressionFromFile`, which falls back to the name): upstreams do ship a `.tar.gz` that is plain tar,
 * and the repack must keep what the file really is, since that is what `%setup` unpacks.
 */
export function detectCompression(name: string, head: Uint8Array): ArchiveCompression {
  for (const [compression, magic] of MAGIC) {
    if (magic.every((byte, i) => head[i] === byte)) return compression;
  }
  const fromName = compressionOfName(name);
  // A tar header's `ustar` magic at offset 257: an uncompressed archive whatever its name says.
  const ustar = [0x75, 0x73, 0x74, 0x61, 0x72];
  return ustar.every((byte, i) => head[257 + i] === byte) ? 'none' : fromName;
}
