import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { PipelineError } from '../../shared/errors';
import { formatNevra, repoFileContent, repositoryIdSchema } from '../../shared/publishing';
import type { PublishedPackage, PublishRequest } from '../../shared/publishing';
import { SettingsReader } from '../../shared/settings/issues';
import { resolveStorage } from '../../shared/settings/storage';
import { DEFAULT_CONTAINERS, composePublisher } from '../publishing';
import { readRpmFile } from '../rpm/read-rpm-file';
import { BlobStore, TableStore } from '../storage';
import type { StorageTarget } from '../storage';
import { storageTargets } from '../storage/storage-targets';
import { runJsonCommand } from './json-output';

interface PublishOptions {
  repo: string;
  storage?: string;
  keep: number;
  graceMinutes: number;
}

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
 * `AzureWebJobsStorage` settings. Prints a JSON summary; no `repo.published` event is sent (no Service Bus).
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
    .option('--keep <n>', 'builds kept per package name', wholeNumber(1), 1)
    .option('--grace-minutes <n>', 'how long retired files stay readable', wholeNumber(0), 10)
    .argument('<rpm...>', 'the RPM files')
    .action(async (files: string[], options: PublishOptions) =>
      setExitCode(await runPublish(files, options)),
    );
}

async function runPublish(files: string[], options: PublishOptions): Promise<number> {
  return runJsonCommand('repo publish', async () => {
    const { blobs, tables } = storageOf(options.storage);
    const blobStore = new BlobStore(blobs);
    await blobStore.ensureContainer(DEFAULT_CONTAINERS.artifacts);
    const packages = await Promise.all(files.map((file) => upload(blobStore, resolve(file))));
    const fingerprint = `sha256:${createHash('sha256')
      .update(
        packages
          .map((p) => p.sha256)
          .sort()
          .join('\n'),
      )
      .digest('hex')}`;
    const request: PublishRequest = {
      repository: options.repo,
      component: 'cli',
      fingerprint,
      buildId: `cli-${fingerprint.slice(7, 19)}`,
      packages,
      requestedAt: new Date().toISOString(),
    };
    const { publisher } = composePublisher(
      { blobs: blobStore, tables: new TableStore(tables) },
      { keepBuilds: options.keep, graceMs: options.graceMinutes * 60_000 },
    );
    const outcome = await publisher.publish(request);
    const summary = { ...outcome, repoFile: repoFileContent(outcome.repository, outcome.baseUrl) };
    return summary;
  });
}

async function upload(blobs: BlobStore, path: string): Promise<PublishedPackage> {
  const facts = readRpmFile(path);
  const fileName = basename(path);
  const artifactBlob = `cli/${facts.sha256}/${fileName}`;
  await blobs.put(DEFAULT_CONTAINERS.artifacts, artifactBlob, readFileSync(path), {
    contentType: 'application/x-rpm',
    metadata: { sha256: facts.sha256, size: String(facts.size) },
  });
  const nevra = formatNevra({ ...facts.pkg, epoch: facts.pkg.epoch ?? 0 });
  return { artifactBlob, fileName, sha256: facts.sha256, size: facts.size, nevra };
}

function storageOf(connectionString: string | undefined): { blobs: StorageTarget; tables: StorageTarget } {
  if (connectionString) return { blobs: { connectionString }, tables: { connectionString } };
  const reader = new SettingsReader(process.env);
  const storage = resolveStorage(reader);
  if (!storage) {
    const problems = reader.issues.map((i) => `${i.setting}: ${i.problem}`).join('; ');
    throw PipelineError.permanent(
      'settings.invalid',
      `no storage configured (${problems}); or pass --storage`,
      {
        setting: 'AzureWebJobsStorage',
      },
    );
  }
  return storageTargets(storage);
}
