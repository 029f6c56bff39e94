import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { repositoryIdSchema } from '../../shared/publishing/publish-request';
import { progressFor } from './progress-choice';
import type { PublishOptions } from './repo-publish-run';

const wholeNumber = (min: number) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min)
    throw new InvalidArgumentError(`expected a whole number ≥ ${min}`);
  return parsed;
};

const repositoryId = (value: string): string => {
  const parsed = repositoryIdSchema.safeParse(value);
  if (!parsed.success)
    throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'not a repository id');
  return value;
};

/**
 * `repo publish --repo <id> <rpm files…>`: publishes local RPM files with the same publisher the `publish`
 * queue uses. The files are uploaded to the `artifacts` container first (`cli/<sha256>/<file>`, as a build
 * worker would), then published as one request. Storage is `--storage <connection string>` or the app's
 * `AzureWebJobsStorage` settings; the repositories go to `--publishing-storage`, or to the account of the
 * `AZL_PUBLISHING_STORAGE` settings when the storage too comes from the settings, else to the same account. Prints a JSON summary; no `repo.published` event is sent (no Service Bus).
 * The uploads' progress goes to stderr (see `progressFor`).
 */
export function registerRepoPublishCommand(repo: Command, setExitCode: (code: number) => void): void {
  repo
    .command('publish')
    .description('publish RPM files into a repository in Blob Storage')
    .requiredOption(
      '--repo <id>',
      'repository id: <channel>/<arch>, <channel>/debuginfo/<arch> or <channel>/srpms',
      repositoryId,
    )
    .option('--storage <connection string>', 'storage account (default: AzureWebJobsStorage settings)')
    .option(
      '--publishing-storage <connection string>',
      'account of the anonymous repos container (default: the --storage account, else AZL_PUBLISHING_STORAGE settings, else the main account)',
    )
    .option(
      '--keep <n>',
      'builds kept per package name (default: AZL_REPO_KEEP_BUILDS, else 1)',
      wholeNumber(1),
    )
    .option(
      '--grace-minutes <n>',
      'how long retired files stay readable (default: AZL_REPO_GRACE_SECONDS, else 10 minutes)',
      wholeNumber(0),
    )
    .argument('<rpm...>', 'the RPM files')
    .action(async (files: string[], options: PublishOptions, command: Command) => {
      // Loaded when it runs: the publisher and storage SDKs are most of the CLI's start-up otherwise.
      const { runPublish } = await import('./repo-publish-run');
      const progress = await progressFor(command, 'azl-rebuilder repo publish', {
        outputWhileWorking: false,
      });
      setExitCode(await runPublish(files, options, progress));
    });
}
