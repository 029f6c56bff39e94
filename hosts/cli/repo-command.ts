import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { DEFAULT_CHANGELOG_LIMIT } from '../../shared/repodata/filelists-other-fragments';
import { writeRepodata } from '../../shared/repodata/repodata-writer';
import { indexDirectory } from '../../infra/rpm/index-directory';
import { writeRepodataDir } from '../../infra/rpm/write-repodata-dir';
import type { Progress } from '../../shared/progress';
import { runJsonCommand } from './json-output';
import { progressFor } from './progress-choice';

interface IndexOptions {
  out?: string;
  revision?: string;
  changelogLimit: number;
}

const count = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return parsed;
};

/**
 * The `repo` command group. `repo index <dir>` writes `repodata/` for a folder of RPMs like
 * `createrepo_c --no-database` (gzip XML, sha256, content-addressed names), into `--out` or the folder
 * itself, and prints a JSON summary. `<revision>` defaults to the current unix time; every `<timestamp>` is
 * the revision when it is numeric (as `--set-timestamp-to-revision`), else the current time.
 * Failures print `{"error":{code,message,...}}` and exit 1. Progress (RPMs read) goes to stderr while it
 * works; the summary comes after. More subcommands attach to the returned group.
 */
export function registerRepoCommand(program: Command, setExitCode: (code: number) => void): Command {
  const repo = program.command('repo').description('RPM repositories: metadata and publishing');
  repo
    .command('index')
    .description('write createrepo_c-compatible repodata for a folder of RPMs')
    .argument('<dir>', 'the folder with the RPM files (searched recursively)')
    .option('--out <dir>', 'where repodata/ goes (default: <dir>)')
    .option('--revision <revision>', 'the <revision> of repomd.xml (default: now, unix seconds)')
    .option('--changelog-limit <n>', 'changelog entries kept per package', count, DEFAULT_CHANGELOG_LIMIT)
    .action(async (dir: string, options: IndexOptions, command: Command) => {
      const progress = await progressFor(command, 'azl-rebuilder repo index', { outputWhileWorking: false });
      setExitCode(await runIndex(dir, options, progress));
    });
  return repo;
}

async function runIndex(dir: string, options: IndexOptions, progress: Progress): Promise<number> {
  return runJsonCommand('repo index', async () => {
    const now = Math.floor(Date.now() / 1000);
    const revision = options.revision ?? String(now);
    const timestamp = /^\d+$/.test(revision) ? Number(revision) : now;
    const records = indexDirectory(resolve(dir), { changelogLimit: options.changelogLimit }, progress);
    const output = writeRepodata(records, { revision, timestamp });
    const target = writeRepodataDir(resolve(options.out ?? dir), output);
    const summary = {
      packages: output.packages,
      repodata: target,
      revision,
      files: output.files.map(({ type, href, checksum, size, openSize }) => ({
        type,
        href,
        checksum,
        size,
        openSize,
      })),
    };
    return summary;
  });
}
