import { PipelineError } from '../errors';

/**
 * A package's identity as `name-[epoch:]version-release.arch` spells it (dnf, Koji, publish requests). A
 * source package's arch is `src`.
 */
export interface Nevra {
  readonly name: string;
  /** An unset epoch is 0, as rpm compares it; both are written without an epoch. */
  readonly epoch: number;
  readonly version: string;
  readonly release: string;
  readonly arch: string;
}

/** `name-[epoch:]version-release.arch`, the epoch shown only when it is not 0. */
export function formatNevra(n: Nevra): string {
  const epoch = n.epoch === 0 ? '' : `${n.epoch}:`;
  return `${n.name}-${epoch}${n.version}-${n.release}.${n.arch}`;
}

/**
 * Splits `name-[epoch:]version-release.arch` (the `nevra` of a publish request). Version and release hold no
 * `-`, so the last two dashes separate them; the arch is after the last dot. Malformed text is a permanent
 * `publish.bad-nevra`.
 */
export function parseNevra(text: string): Nevra {
  const dot = text.lastIndexOf('.');
  const relDash = text.lastIndexOf('-', dot);
  const verDash = relDash > 0 ? text.lastIndexOf('-', relDash - 1) : -1;
  if (dot < 0 || relDash < 0 || verDash <= 0) {
    throw PipelineError.permanent('publish.bad-nevra', `not a name-[epoch:]version-release.arch: ${text}`, {
      nevra: text,
    });
  }
  const name = text.slice(0, verDash);
  const evr = text.slice(verDash + 1, relDash);
  const colon = evr.indexOf(':');
  const epochText = colon < 0 ? '0' : evr.slice(0, colon);
  if (!/^\d+$/.test(epochText)) {
    throw PipelineError.permanent('publish.bad-nevra', `the epoch of ${text} is not a number`, {
      nevra: text,
    });
  }
  return {
    name,
    epoch: Number(epochText),
    version: colon < 0 ? evr : evr.slice(colon + 1),
    release: text.slice(relDash + 1, dot),
    arch: text.slice(dot + 1),
  };
}

/**
 * Reads one line of `rpm -qp --qf '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n'`:
 * an unset epoch is `(none)` (epoch 0); a source package has no SOURCERPM (`(none)`), and its arch is `src`.
 */
export function parseNevraLine(line: string): Nevra | undefined {
  const [name, epoch, version, release, arch, sourceRpm] = line.split('\t');
  if (!name || !version || !release || !arch || sourceRpm === undefined) return undefined;
  return {
    name,
    epoch: epoch === '(none)' || epoch === undefined ? 0 : Number(epoch),
    version,
    release,
    arch: sourceRpm === '(none)' ? 'src' : arch,
  };
}
