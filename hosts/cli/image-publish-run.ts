import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { composeImagePublisher } from '../../infra/images/image-publisher-ports';
import { BlobStore, TableStore } from '../../infra/storage';
import { PipelineError } from '../../shared/errors';
import { MANIFEST_FILE } from '../../shared/images/image-blob-names';
import { parseImageManifest } from '../../shared/images/manifest';
import type { ImageManifest } from '../../shared/images/manifest';
import type { PipelineEventPublisher } from '../../shared/messaging/pipeline-event';
import { readEndpoints } from '../local/runtime/endpoints-file';
import { runJsonCommand } from './json-output';

/** The options of `image publish`, as commander parses them (see image-publish-command.ts). */
export interface ImagePublishOptions {
  readonly image: string;
  readonly version?: string;
  readonly manifest?: string;
  readonly sbom?: string;
  readonly local: boolean;
  readonly dataDir: string;
  readonly storage?: string;
}

/** The CLI sends no events: it has no Service Bus (the pipeline's own image builds send them). */
const noEvents: PipelineEventPublisher = { publish: () => Promise.resolve() };

/** `image publish`'s work: read the manifest (and SBOM), publish, print the outcome and the URLs. */
export function runImagePublish(vhd: string, options: ImagePublishOptions): Promise<number> {
  return runJsonCommand('image publish', async () => {
    const vhdFile = resolve(vhd);
    const manifest = await readManifest(options.manifest ?? join(dirname(vhdFile), MANIFEST_FILE));
    const sbom = options.sbom === undefined ? undefined : await readSbom(options.sbom);
    const connectionString = connectionOf(options);
    const publisher = await composeImagePublisher({
      tables: new TableStore({ connectionString }),
      blobs: new BlobStore({ connectionString }),
      blobTarget: { connectionString },
      events: noEvents,
    });
    const { outcome, record, bytesSent } = await publisher.publish({
      image: options.image,
      version: options.version ?? manifest.image.version,
      vhdFile,
      manifest,
      ...(sbom === undefined ? {} : { sbom }),
    });
    return {
      image: record.image,
      version: record.version,
      outcome,
      state: record.state,
      fingerprint: record.fingerprint,
      ...(record.sameAs === undefined ? {} : { sameAs: record.sameAs }),
      ...(record.urls
        ? { vhdUrl: record.urls.vhd, manifestUrl: record.urls.manifest, sbomUrl: record.urls.sbom }
        : {}),
      ...(record.sha256 === undefined ? {} : { sha256: record.sha256 }),
      bytesSent,
    };
  });
}

function connectionOf(options: ImagePublishOptions): string {
  if (options.storage) return options.storage;
  const endpoints = readEndpoints(options.dataDir);
  if (!endpoints) {
    throw PipelineError.permanent(
      'image.no-local-pipeline',
      `no running local pipeline: ${options.dataDir}/endpoints.json is missing (run azl-rebuilder start first)`,
      { dataDir: options.dataDir },
    );
  }
  return endpoints.storageConnectionString;
}

async function readManifest(file: string): Promise<ImageManifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw PipelineError.permanent(
      'image.manifest-invalid',
      `cannot read the manifest ${file}`,
      { file },
      error,
    );
  }
  try {
    return parseImageManifest(JSON.parse(text));
  } catch (error) {
    if (PipelineError.is(error)) throw error;
    throw PipelineError.permanent(
      'image.manifest-invalid',
      `the manifest ${file} is not JSON`,
      { file },
      error,
    );
  }
}

async function readSbom(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw PipelineError.permanent('image.sbom-invalid', `cannot read the SBOM ${file}`, { file }, error);
  });
  let version: unknown;
  try {
    version = (JSON.parse(text) as { spdxVersion?: unknown }).spdxVersion;
  } catch {
    version = undefined;
  }
  if (version !== 'SPDX-2.3')
    throw PipelineError.permanent('image.sbom-invalid', `${file} is not SPDX 2.3 JSON (spdxVersion)`, {
      file,
    });
  return text;
}
