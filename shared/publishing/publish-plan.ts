import type { RepodataRecord } from '../repodata';
import { parseNevra } from '../rpm/nevra';
import type { PublishedPackage } from './publish-request';
import { packageHref } from './repository-layout';
import { applyRetention } from './retention';

/** A package some pending request asks to add, where it will live in the repository. */
export interface Candidate {
  readonly requestKey: string;
  readonly pkg: PublishedPackage;
  readonly href: string;
  readonly name: string;
  readonly epoch: number;
  readonly version: string;
  readonly release: string;
  readonly arch: string;
}

export function candidateOf(requestKey: string, pkg: PublishedPackage): Candidate {
  const { name, epoch, version, release, arch } = parseNevra(pkg.nevra);
  return {
    requestKey,
    pkg,
    href: packageHref(pkg.fileName, pkg.sha256),
    name,
    epoch,
    version,
    release,
    arch,
  };
}

export interface PublishPlan {
  /** Candidates to copy in, read and add. */
  readonly added: Candidate[];
  /** Current records leaving the repository (replaced by retention, or by a new file at the same href). */
  readonly removed: RepodataRecord[];
  /** The current records that stay. */
  readonly kept: RepodataRecord[];
  readonly changed: boolean;
}

type Nevra = Pick<Candidate, 'name' | 'epoch' | 'version' | 'release' | 'arch'>;
const nevraKey = (p: Nevra): string => `${p.name}-${p.epoch}:${p.version}-${p.release}.${p.arch}`;

/**
 * What one generation changes, decided from the request's package facts alone (before any copy). A repository
 * holds one file per NEVRA: a candidate whose NEVRA is there with the same checksum changes nothing
 * (redelivery); one with other contents (a rebuild of the same NEVRA) replaces it, under its own href; of
 * several candidates for one NEVRA the last one counts (`candidates` come oldest request first). Then
 * retention keeps the `keep` newest EVRs of each name over the current packages and the candidates together,
 * so an old build arriving late is not even copied.
 */
export function planPublish(
  current: readonly RepodataRecord[],
  candidates: readonly Candidate[],
  keep: number,
): PublishPlan {
  const currentByNevra = new Map(current.map((record) => [nevraKey(record), record]));
  const incoming = new Map<string, Candidate>();
  for (const candidate of candidates) {
    const nevra = nevraKey(candidate);
    if (currentByNevra.get(nevra)?.pkgId === candidate.pkg.sha256) incoming.delete(nevra);
    else incoming.set(nevra, candidate);
  }
  type Entry = { kind: 'current'; record: RepodataRecord } | { kind: 'new'; candidate: Candidate };
  const pool: (Entry & { name: string; epoch: number; version: string; release: string })[] = [
    ...current
      .filter((record) => !incoming.has(nevraKey(record)))
      .map((record) => ({ kind: 'current' as const, record, ...record })),
    ...[...incoming.values()].map((candidate) => ({ kind: 'new' as const, candidate, ...candidate })),
  ];
  const { kept } = applyRetention(pool, keep);
  const keptRecords = new Set<RepodataRecord>();
  const added: Candidate[] = [];
  for (const entry of kept) {
    if (entry.kind === 'current') keptRecords.add(entry.record);
    else added.push(entry.candidate);
  }
  const removed = current.filter((record) => !keptRecords.has(record));
  return {
    added,
    removed,
    kept: current.filter((record) => keptRecords.has(record)),
    changed: added.length > 0 || removed.length > 0,
  };
}
