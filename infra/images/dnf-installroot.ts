import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError, PipelineError } from '../../shared/errors';

/**
 * The host's `dnf`, run against the pipeline's repositories only: the description's own `<repository>`
 * entries are replaced by them (as `kiwi --ignore-repos --add-repo` does), and no host repository is read
 * (`reposdir` points nowhere). The flags used are spelled the same in dnf 4 and dnf 5.
 *
 * The image's rpm database: rpm puts it where the host's `%_dbpath` says, inside the install root, and
 * Debian's rpm says `~/.rpmdb`. dnf reads rpm's macros, so it runs with `HOME` at a folder whose
 * `.rpmmacros` sets `%_dbpath` to `/usr/lib/sysimage/rpm`, where Fedora and Azure Linux 4 keep it; on those
 * hosts it is the value already.
 */

/** A repository to install from: its id as publishing names it (`base/x86_64`) and its base URL. */
export interface ImageRepositorySource {
  readonly id: string;
  readonly baseUrl: string;
}

export interface DnfOptions {
  readonly repositories: readonly ImageRepositorySource[];
  /** `$releasever` for the repositories' URLs (the description's `release-version`). */
  readonly releaseVersion: string;
  readonly arch: string;
  /** A folder dnf may use for its cache and rpm's macros; the caller removes it. */
  readonly workDir: string;
  /** The dnf binary; `dnf` on PATH by default. */
  readonly dnfPath?: string;
  readonly timeoutMs?: number;
}

/** The image's rpm database inside its root (see the module comment). */
export const IMAGE_RPM_DBPATH = '/usr/lib/sysimage/rpm';

/**
 * Which of `names` no repository has as a package name (`dnf repoquery --available`), in the order asked.
 * An unreachable repository is a transient `image.repository-unreachable`.
 */
export async function missingPackageNames(names: readonly string[], options: DnfOptions): Promise<string[]> {
  if (names.length === 0) return [];
  const stdout = await runDnf(
    [
      ...(await commonArgs(options, join(options.workDir, 'dnf-query-cache'))),
      'repoquery',
      '--available',
      '--queryformat',
      '%{name}\n',
      ...names,
    ],
    options,
    'dnf repoquery',
  );
  const available = new Set(stdout.split('\n').map((line) => line.trim()));
  return names.filter((name) => !available.has(name));
}

/**
 * `dnf repoquery <args>` against the repositories only (see `missingPackageNames`); its standard output.
 * dnf names the repositories `image-repo-<n>`, `n` counting from 1 in `options.repositories`' order
 * (`repositoryOfDnfId` maps one back).
 */
export async function repoquery(args: readonly string[], options: DnfOptions): Promise<string> {
  return runDnf(
    [...(await commonArgs(options, join(options.workDir, 'dnf-query-cache'))), 'repoquery', ...args],
    options,
    'dnf repoquery',
  );
}

/** The repository dnf calls `id` (`image-repo-<n>`), or undefined. */
export function repositoryOfDnfId(
  id: string,
  repositories: readonly ImageRepositorySource[],
): ImageRepositorySource | undefined {
  const index = repositories.findIndex((_, i) => dnfRepoId(i) === id);
  return index < 0 ? undefined : repositories[index];
}

export interface InstallOptions extends DnfOptions {
  /** `rpm-excludedocs`: install without documentation (`tsflags=nodocs`). */
  readonly excludeDocs?: boolean;
  /** `<ignore>`: packages never installed, even as dependencies. */
  readonly exclude?: readonly string[];
}

/**
 * Installs `names` and their dependencies (no weak ones) into the empty folder `root`. An unreachable
 * repository is a transient `image.repository-unreachable`; anything else dnf refuses (a dependency no
 * repository has, a conflict, a scriptlet that fails) is a permanent `image.install-failed` with dnf's words.
 */
export async function installIntoRoot(
  root: string,
  names: readonly string[],
  options: InstallOptions,
): Promise<void> {
  await runDnf(
    [
      // dnf 4 reads `cachedir` inside the install root: the image's own /var/cache/dnf, emptied afterwards.
      ...(await commonArgs(options, '/var/cache/dnf')),
      `--installroot=${root}`,
      '--setopt=install_weak_deps=False',
      ...(options.excludeDocs === true ? ['--setopt=tsflags=nodocs'] : []),
      ...(options.exclude !== undefined && options.exclude.length > 0
        ? [`--setopt=excludepkgs=${options.exclude.join(',')}`]
        : []),
      '-y',
      'install',
      ...names,
    ],
    options,
    'dnf install',
  );
}

/** dnf's repository ids: its own (`image-repo-N`), since publishing's (`base/x86_64`) hold a slash. */
const dnfRepoId = (index: number): string => `image-repo-${index + 1}`;

async function commonArgs(options: DnfOptions, cacheDir: string): Promise<string[]> {
  return [
    '--quiet',
    '--setopt=reposdir=/nonexistent',
    `--setopt=cachedir=${cacheDir}`,
    '--setopt=skip_if_unavailable=False',
    `--releasever=${options.releaseVersion}`,
    ...(options.arch === hostArch() ? [] : [`--forcearch=${options.arch}`]),
    ...options.repositories.flatMap((repository, index) => {
      const id = dnfRepoId(index);
      // The pipeline's repositories are unsigned for now (publishing signs nothing): no GPG check.
      return [`--repofrompath=${id},${repository.baseUrl}`, `--repo=${id}`, `--setopt=${id}.gpgcheck=0`];
    }),
  ];
}

const hostArch = (): string => ({ x64: 'x86_64', arm64: 'aarch64' })[process.arch as string] ?? process.arch;

/** Lines of dnf's output that say a repository's metadata could not be fetched. */
const UNREACHABLE =
  /Failed to download metadata|Cannot download repomd\.xml|Curl error|Cannot find a valid baseurl|Failed to load expired repos cache/i;

async function runDnf(args: readonly string[], options: DnfOptions, what: string): Promise<string> {
  const home = join(options.workDir, 'rpm-home');
  await mkdir(home, { recursive: true });
  await writeFile(join(home, '.rpmmacros'), `%_dbpath ${IMAGE_RPM_DBPATH}\n`);
  return new Promise((resolve, reject) => {
    execFile(
      options.dnfPath ?? 'dnf',
      args,
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: options.timeoutMs ?? 30 * 60_000,
        env: { ...process.env, HOME: home, LC_ALL: 'C' },
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout);
          return;
        }
        const said = `${stderr}\n${stdout}`.trim();
        const detail = said === '' ? describeError(error) : lastLines(said, 20);
        const context = { repositories: options.repositories.map((r) => r.baseUrl).join(' ') };
        reject(
          UNREACHABLE.test(said)
            ? PipelineError.transient(
                'image.repository-unreachable',
                `${what}: a repository could not be read: ${detail}`,
                context,
              )
            : PipelineError.permanent('image.install-failed', `${what} failed: ${detail}`, context),
        );
      },
    );
  });
}

const lastLines = (text: string, count: number): string => text.split('\n').slice(-count).join('\n');
