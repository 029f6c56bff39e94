import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { PipelineError } from '../../shared/errors';
import type { Progress } from '../../shared/progress';
import { silentProgress } from '../../shared/progress';
import { repoFileContent } from '../../shared/publishing';
import { formatNevra } from '../../shared/rpm';
import type { PublishedPackage, PublishRequest } from '../../shared/publishing';
import { SettingsReader } from '../../shared/settings/issues';
import { resolvePublishing } from '../../shared/settings/publishing';
import { resolvePublishingStorage } from '../../shared/settings/publishing-storage';
import { resolveStorage } from '../../shared/settings/storage';
import { DEFAULT_CONTAINERS, composePublisher } from '../../infra/publishing';
import { readRpmFile } from '../../infra/rpm/read-rpm-file';
import { BlobStore, TableStore } from '../../infra/storage';
import type { StorageTarget } from '../../infra/storage';
import { publishingBlobTarget, storageTargets } from '../../infra/storage/storage-targets';
import { runJsonCommand } from './json-output';

/** `repo publish`'s work (see repo-publish-command.ts): upload the files as artifacts, publish one request. */
/** The options of `repo publish`, as commander parses them. */
export interface PublishOptions {
  repo: string;
  storage?: string;
  /**
   * The publishing account's connection string. Unset: with `--storage`, that account; without it, the
   * AZL_PUBLISHING_STORAGE settings, else the main account.
   */
  publishingStorage?: string;
  /** Unset: the app setting AZL_REPO_KEEP_BUILDS (default 1). */
  keep?: number;
  /** Unset: the app setting AZL_REPO_GRACE_SECONDS (default 10 minutes). */
  graceMinutes?: number;
}

/** `progress` counts the files uploaded (the long part with many or large RPMs), before the one publish. */
export async function runPublish(
  files: string[],
  options: PublishOptions,
  progress: Progress = silentProgress,
): Promise<number> {
  return runJsonCommand('repo publish', async () => {
    const { blobs, tables } = storageOf(options.storage);
    const publishingTarget = publishingStorageOf(options);
    const configured = publishingSettings();
    const blobStore = new BlobStore(blobs);
    await blobStore.ensureContainer(DEFAULT_CONTAINERS.artifacts);
    const task = progress.begin(files.length, 'RPMs uploaded');
    let packages: PublishedPackage[];
    try {
      packages = await Promise.all(
        files.map(async (file) => {
          const uploaded = await upload(blobStore, resolve(file));
          task.advance();
          return uploaded;
        }),
      );
    } finally {
      task.finish();
    }
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
      {
        blobs: blobStore,
        ...(publishingTarget ? { publishingBlobs: new BlobStore(publishingTarget) } : {}),
        tables: new TableStore(tables),
      },
      {
        keepBuilds: options.keep ?? configured.keepBuilds,
        graceMs: options.graceMinutes === undefined ? configured.graceMs : options.graceMinutes * 60_000,
      },
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

/**
 * The publishing account's target, or `undefined` for the main account: `--publishing-storage`, else (only
 * when the main account comes from the settings too, so `--storage` alone never mixes in a configured
 * account) the AZL_PUBLISHING_STORAGE settings.
 */
function publishingStorageOf(options: PublishOptions): StorageTarget | undefined {
  if (options.publishingStorage) return { connectionString: options.publishingStorage };
  if (options.storage) return undefined;
  const reader = new SettingsReader(process.env);
  const publishing = resolvePublishingStorage(reader);
  if (reader.issues.length > 0) {
    const problems = reader.issues.map((i) => `${i.setting}: ${i.problem}`).join('; ');
    throw PipelineError.permanent(
      'settings.invalid',
      `invalid publishing storage settings: ${problems}; or pass --publishing-storage`,
      { setting: reader.issues[0]!.setting },
    );
  }
  return publishingBlobTarget(publishing);
}

/** AZL_REPO_KEEP_BUILDS and AZL_REPO_GRACE_SECONDS, for the options not given; a bad value is a clear error. */
function publishingSettings(): { keepBuilds: number; graceMs: number } {
  const reader = new SettingsReader(process.env);
  const settings = resolvePublishing(reader);
  if (reader.issues.length > 0) {
    const problems = reader.issues.map((i) => `${i.setting}: ${i.problem}`).join('; ');
    throw PipelineError.permanent('settings.invalid', `invalid publishing settings: ${problems}`, {
      setting: reader.issues[0]!.setting,
    });
  }
  return settings;
}
