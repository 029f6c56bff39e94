/**
 * The source archives an archive-scoped overlay may name: the file name endings azldev's
 * `archive.DetectCompression` recognises (case-insensitive), each with the compression it implies. Any other
 * name azldev refuses when it applies the overlay ("unsupported archive format"); this engine refuses it when
 * the tree loads.
 */
export const ARCHIVE_SUFFIXES = ['.tar.gz', '.tgz', '.tar.xz', '.txz', '.tar.zst', '.tzst', '.tar'] as const;

export const isArchiveName = (name: string): boolean => {
  const lower = name.toLowerCase();
  return ARCHIVE_SUFFIXES.some((suffix) => lower.endsWith(suffix));
};

/** The overlay types that may carry `archive` (azldev `ComponentOverlay.ModifiesArchive`). */
export const ARCHIVE_SCOPED_TYPES = ['file-remove', 'file-search-replace'] as const;
