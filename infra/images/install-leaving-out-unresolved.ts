import { execFile } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeError, PipelineError } from '../../shared/errors';
import type { UnresolvedDependency } from '../../shared/images/manifest';
import { IMAGE_RPM_DBPATH, repoquery, repositoryOfDnfId } from './dnf-installroot';
import type { ImageRepositorySource, InstallOptions } from './dnf-installroot';

/**
 * The install of an allow-missing build when dnf refuses because a dependency is in no repository: the
 * demo's repositories hold the fixture packages but no C library, so `azl-greeter`'s `libc.so.6()(64bit)` is
 * in none of them. dnf cannot install with a dependency unmet, so this does what it would, in the open:
 *
 * 1. the packages: `names` and, recursively, every package of the repositories that provides something they
 *    require (`dnf repoquery --requires --resolve --recursive`), the newest of each name, for the image's
 *    arch and noarch, without `exclude`;
 * 2. their RPMs fetched from the repositories (each package's `location` against its repository's base URL,
 *    `file:` or `http(s):`);
 * 3. `rpm --install --test` says which dependencies nothing in that set provides (rpm's "X is needed by Y");
 * 4. `rpm --install --nodeps` into the root, with the image's rpm database (`IMAGE_RPM_DBPATH`).
 *
 * Returns the unmet dependencies, for the manifest. The recursion flags of step 1 are dnf 4's; dnf 5 spells
 * them `--providers-of=requires --recursive`.
 */
export async function installLeavingOutUnresolved(
  root: string,
  names: readonly string[],
  options: InstallOptions,
): Promise<UnresolvedDependency[]> {
  const packages = await packagesToInstall(names, options);
  const downloads = join(options.workDir, 'rpms');
  await mkdir(downloads, { recursive: true });
  const files = await Promise.all(packages.map((pkg) => fetchRpm(pkg, downloads)));
  const rpmArgs = [
    '--root',
    root,
    '--dbpath',
    IMAGE_RPM_DBPATH,
    '--install',
    ...(options.excludeDocs === true ? ['--excludedocs'] : []),
  ];
  const test = await runRpm([...rpmArgs, '--test', ...files]);
  const unresolved = unmetDependencies(`${test.stderr}\n${test.stdout}`);
  if (test.failed && unresolved.length === 0) {
    throw installFailed('rpm --install --test', test.stderr || test.stdout, options.repositories);
  }
  const install = await runRpm([...rpmArgs, '--nodeps', ...files]);
  if (install.failed) {
    throw installFailed('rpm --install --nodeps', install.stderr || install.stdout, options.repositories);
  }
  return unresolved;
}

interface RepositoryPackage {
  readonly name: string;
  readonly arch: string;
  readonly repository: ImageRepositorySource;
  readonly location: string;
}

const FIELDS = '%{name}|%{arch}|%{repoid}|%{location}\n';

async function packagesToInstall(
  names: readonly string[],
  options: InstallOptions,
): Promise<RepositoryPackage[]> {
  const query = (args: readonly string[]) =>
    repoquery(['--latest-limit=1', '--queryformat', FIELDS, ...args, ...names], options);
  const [asked, needed] = await Promise.all([
    query(['--available']),
    query(['--requires', '--resolve', '--recursive']),
  ]);
  const excluded = new Set(options.exclude ?? []);
  const byNameArch = new Map<string, RepositoryPackage>();
  for (const line of `${asked}\n${needed}`.split('\n')) {
    const [name, arch, repoId, location] = line.trim().split('|');
    if (name === undefined || arch === undefined || repoId === undefined || location === undefined) continue;
    if (excluded.has(name) || (arch !== options.arch && arch !== 'noarch')) continue;
    const repository = repositoryOfDnfId(repoId, options.repositories);
    if (repository === undefined) continue;
    if (!byNameArch.has(`${name}.${arch}`))
      byNameArch.set(`${name}.${arch}`, { name, arch, repository, location });
  }
  return [...byNameArch.values()];
}

async function fetchRpm(pkg: RepositoryPackage, folder: string): Promise<string> {
  const base = pkg.repository.baseUrl.endsWith('/') ? pkg.repository.baseUrl : `${pkg.repository.baseUrl}/`;
  const url = new URL(pkg.location, base);
  const file = join(folder, basename(url.pathname));
  try {
    if (url.protocol === 'file:') {
      await copyFile(fileURLToPath(url), file);
    } else {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      await writeFile(file, Buffer.from(await response.arrayBuffer()));
    }
  } catch (error) {
    throw PipelineError.transient(
      'image.repository-unreachable',
      `could not fetch ${url.href} (${pkg.name}): ${describeError(error)}`,
      { repositories: pkg.repository.baseUrl, url: url.href },
      error,
    );
  }
  return file;
}

/** rpm's "Failed dependencies" lines: `\t<capability> is needed by <nevra>`. */
export function unmetDependencies(rpmOutput: string): UnresolvedDependency[] {
  const found: UnresolvedDependency[] = [];
  for (const match of rpmOutput.matchAll(/^\s+(.+?) is needed by (\S+)\s*$/gm)) {
    found.push({ capability: match[1]!, neededBy: match[2]! });
  }
  return found;
}

function runRpm(args: readonly string[]): Promise<{ failed: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'rpm',
      args,
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } },
      (error, stdout, stderr) => resolve({ failed: error !== null, stdout, stderr }),
    );
  });
}

function installFailed(
  what: string,
  said: string,
  repositories: readonly ImageRepositorySource[],
): PipelineError {
  return PipelineError.permanent(
    'image.install-failed',
    `${what} failed: ${said.trim().split('\n').slice(-20).join('\n')}`,
    { repositories: repositories.map((r) => r.baseUrl).join(' ') },
  );
}
