import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeError, PipelineError } from '../../shared/errors';
import {
  compareInstalledPackages,
  type InstalledPackage,
  installedPackage,
} from '../../shared/images/installed-package';

const run = promisify(execFile);

/**
 * The packages installed in an image's root directory, read from the image's own rpm database with the
 * host's `rpm --root <dir> --dbpath <path> -qa`. The database path is always passed: the host's default
 * (`%_dbpath`) need not be the image's (Debian's rpm looks in `/root/.rpmdb`), and `rpm -qa` on a root without
 * a database prints nothing and succeeds, which must not pass for an empty image.
 */
export interface InstalledPackagesOptions {
  /** The database inside the root; by default the first of `DB_PATHS` that holds one. */
  readonly dbPath?: string;
  /** The rpm binary; `rpm` on PATH by default. */
  readonly rpmPath?: string;
  readonly timeoutMs?: number;
}

/**
 * Where Fedora-style roots keep it (`/usr/lib/sysimage/rpm`, Fedora 36 on), then the classic place (Azure
 * Linux 3, whose `/var/lib/rpm` it is). The newer first: there `/var/lib/rpm` may be a symbolic link.
 */
export const DB_PATHS = ['/usr/lib/sysimage/rpm', '/var/lib/rpm'] as const;

/** Files that make a folder an rpm database: sqlite (rpm ≥ 4.16's default), Berkeley DB, ndb. */
const DB_FILES = ['rpmdb.sqlite', 'Packages', 'Packages.db'];

/**
 * Field and record separators: the ASCII unit and record separators, passed as raw bytes in the query format
 * (rpm's format has no `\x` escape). Header strings never hold them; should one ever, the record has the
 * wrong number of fields and the read fails instead of shifting values.
 */
const FIELD = '\x1f';
const RECORD = '\x1e';
const TAGS = ['NAME', 'EPOCHNUM', 'VERSION', 'RELEASE', 'ARCH', 'LICENSE', 'SOURCERPM', 'LONGSIZE'];
export const INSTALLED_QUERY_FORMAT = `${TAGS.map((tag) => `%{${tag}}`).join(FIELD)}${RECORD}`;

/**
 * Every installed package, sorted as the manifest lists them. The `gpg-pubkey` entries rpm keeps for
 * imported signing keys are not packages and are left out. A root without a database is a permanent
 * `image.rpmdb-missing`; rpm failing or printing something else is `image.rpmdb-unreadable`; both name the
 * root.
 */
export async function readInstalledPackages(
  root: string,
  options: InstalledPackagesOptions = {},
): Promise<InstalledPackage[]> {
  const dbPath = options.dbPath ?? (await findDbPath(root));
  if (!(await holdsDatabase(root, dbPath))) {
    throw PipelineError.permanent('image.rpmdb-missing', `${root} holds no rpm database in ${dbPath}`, {
      root,
      dbPath,
    });
  }
  let stdout: string;
  try {
    ({ stdout } = await run(
      options.rpmPath ?? 'rpm',
      ['--root', root, '--dbpath', dbPath, '-qa', '--queryformat', INSTALLED_QUERY_FORMAT],
      {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        timeout: options.timeoutMs ?? 120_000,
        env: { ...process.env, LC_ALL: 'C' },
      },
    ));
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    const detail = typeof stderr === 'string' && stderr.trim() !== '' ? stderr.trim() : describeError(error);
    throw PipelineError.permanent('image.rpmdb-unreadable', `rpm -qa in ${root} failed: ${detail}`, {
      root,
      dbPath,
    });
  }
  return parseInstalledPackages(stdout, root);
}

/**
 * Reads `rpm -qa --queryformat INSTALLED_QUERY_FORMAT` output into sorted packages, without the
 * `gpg-pubkey` entries; `root` names the image in errors.
 */
export function parseInstalledPackages(output: string, root: string): InstalledPackage[] {
  const records = output.split(RECORD);
  if (records.at(-1) === '') records.pop();
  return records
    .map((record) => parseRecord(record, root))
    .filter((pkg) => pkg.name !== 'gpg-pubkey')
    .sort(compareInstalledPackages);
}

function parseRecord(record: string, root: string): InstalledPackage {
  const fields = record.split(FIELD);
  const [name, epoch, version, release, arch, license, sourceRpm, size] = fields;
  const unreadable = (why: string) =>
    PipelineError.permanent(
      'image.rpmdb-unreadable',
      `rpm -qa in ${root} printed a record that ${why}: ${JSON.stringify(record)}`,
      { root },
    );
  if (fields.length !== TAGS.length) throw unreadable(`has ${fields.length} fields, not ${TAGS.length}`);
  if (!name || !version || !release || !arch) throw unreadable('lacks a name, version, release or arch');
  if (!/^\d+$/.test(epoch ?? '')) throw unreadable('has an epoch that is not a number');
  if (!/^\d+$/.test(size ?? '')) throw unreadable('has a size that is not a number');
  return installedPackage({
    name,
    epoch: Number(epoch),
    version,
    release,
    arch,
    license: noneAsNull(license),
    sourceRpm: noneAsNull(sourceRpm),
    sizeBytes: Number(size),
  });
}

/** rpm prints `(none)` for a tag the header lacks. */
const noneAsNull = (value: string | undefined): string | null =>
  value === undefined || value === '(none)' || value === '' ? null : value;

async function findDbPath(root: string): Promise<string> {
  for (const dbPath of DB_PATHS) {
    if (await holdsDatabase(root, dbPath)) return dbPath;
  }
  throw PipelineError.permanent(
    'image.rpmdb-missing',
    `${root} holds no rpm database in ${DB_PATHS.join(' or ')}`,
    { root },
  );
}

async function holdsDatabase(root: string, dbPath: string): Promise<boolean> {
  for (const file of DB_FILES) {
    if (await exists(join(root, dbPath, file))) return true;
  }
  return false;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
