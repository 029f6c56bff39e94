import type { PublishedPackage } from './publish-request';
import { parseNevra } from '../rpm/nevra';

/** The architectures a channel publishes when the distro does not say otherwise. */
export const DEFAULT_ARCHES: readonly string[] = ['x86_64', 'aarch64'];
/** The channel of a package the distro model names no channel for. */
export const DEFAULT_CHANNEL = 'base';

/** Hex digits of a package's SHA-256 in its href: enough to tell two builds of one NEVRA apart. */
const HREF_DIGEST_CHARS = 16;

/**
 * Where a package's file lives inside its repository: `Packages/<first letter, lower-cased>/<first 16 hex of
 * its SHA-256>/<file>`. Named by content, as the metadata files are, so a name is never written with other
 * bytes: a rebuild with the same NEVRA (a reverse-dependency rebuild of an unchanged spec) gets a new name,
 * and readers of the generation before it keep reading the file its primary.xml describes until the grace
 * period ends. The file name stays the package's own, which is what dnf saves it as.
 */
export function packageHref(fileName: string, sha256: string): string {
  return `Packages/${fileName.charAt(0).toLowerCase()}/${sha256.slice(0, HREF_DIGEST_CHARS)}/${fileName}`;
}

const isSource = (arch: string, fileName: string) =>
  arch === 'src' || arch === 'nosrc' || /\.(no)?src\.rpm$/.test(fileName);
const isDebug = (name: string) => /-debug(info|source)$/.test(name);

/**
 * The repositories one package belongs to: `<channel>/srpms` for a source RPM, `<channel>/debuginfo/<arch>`
 * for `-debuginfo`/`-debugsource`, `<channel>/<arch>` otherwise; a `noarch` package goes to every arch of
 * `arches` (its debuginfo too). An arch the channel does not publish gets its own repository anyway: a
 * package is never silently dropped.
 */
export function repositoriesOfPackage(
  pkg: Pick<PublishedPackage, 'fileName' | 'nevra'>,
  channel: string,
  arches: readonly string[] = DEFAULT_ARCHES,
): string[] {
  const { name, arch } = parseNevra(pkg.nevra);
  if (isSource(arch, pkg.fileName)) return [`${channel}/srpms`];
  const targets = arch === 'noarch' ? arches : [arch];
  return targets.map((target) => (isDebug(name) ? `${channel}/debuginfo/${target}` : `${channel}/${target}`));
}

/** Packages grouped by target repository, for one `publish` message per repository. */
export interface RepositoryPackages<P> {
  readonly repository: string;
  readonly packages: P[];
}

/**
 * Routes a build's packages to repositories. `channelOf(name)` is the distro model's publish channel of a
 * binary package (`packageChannel` in `shared/distro/channels.ts`), `undefined` meaning the default `base`.
 * Repositories come out in name order, packages in input order: the same build always gives the same messages.
 */
export function repositoriesFor<P extends Pick<PublishedPackage, 'fileName' | 'nevra'>>(
  packages: readonly P[],
  channelOf: (packageName: string) => string | undefined,
  arches: readonly string[] = DEFAULT_ARCHES,
): RepositoryPackages<P>[] {
  const byRepository = new Map<string, P[]>();
  for (const pkg of packages) {
    const channel = channelOf(parseNevra(pkg.nevra).name) ?? DEFAULT_CHANNEL;
    for (const repository of repositoriesOfPackage(pkg, channel, arches)) {
      const list = byRepository.get(repository) ?? [];
      list.push(pkg);
      byRepository.set(repository, list);
    }
  }
  return [...byRepository.keys()].sort().map((repository) => ({
    repository,
    packages: byRepository.get(repository) ?? [],
  }));
}
