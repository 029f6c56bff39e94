/**
 * A package's name-epoch-version-release.arch, written as dnf and Koji write it: `name-[epoch:]version-
 * release.arch`, the epoch only when it is set and not 0. A source package's arch is `src`.
 */
export interface Nevra {
  readonly name: string;
  readonly epoch: number | null;
  readonly version: string;
  readonly release: string;
  readonly arch: string;
}

export function formatNevra(nevra: Nevra): string {
  const epoch = nevra.epoch ? `${nevra.epoch}:` : '';
  return `${nevra.name}-${epoch}${nevra.version}-${nevra.release}.${nevra.arch}`;
}

/**
 * Reads one line of `rpm -qp --qf '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n'`:
 * an unset epoch is `(none)`; a source package has no SOURCERPM (`(none)`), and its arch is `src`.
 */
export function parseNevraLine(line: string): Nevra | undefined {
  const [name, epoch, version, release, arch, sourceRpm] = line.split('\t');
  if (!name || !version || !release || !arch || sourceRpm === undefined) return undefined;
  return {
    name,
    epoch: epoch === '(none)' || epoch === undefined ? null : Number(epoch),
    version,
    release,
    arch: sourceRpm === '(none)' ? 'src' : arch,
  };
}
