import { createHash } from 'node:crypto';
import { defineContainer } from './container-definition';
import { vhdBlobName } from '../images/vhd-blob-name';
import { fingerprintHex } from './table-keys';

/** The dependency index the refresher writes whole and the planning pass reads. */
export const depsContainer = defineContainer({
  kind: 'container',
  name: 'deps',
  purpose: "the dependency index of Fedora's repositories (provides, files, BuildRequires) for the planner",
  blobNames: '`dependency-index.json.gz`, the only blob',
  publicAccess: 'none',
  documents: {
    contentType: 'application/gzip',
    describedBy: '`DepsIndex.serialize` (shared/deps/serialize.ts): gzip of a versioned JSON document',
  },
  indexBlob: 'dependency-index.json.gz',
});

/** Whole plan records; the `plans` and `planitems` tables hold what is listed and filtered. */
export const plansContainer = defineContainer({
  kind: 'container',
  name: 'plans',
  purpose: 'every plan record whole (planned items, skips with their reasons, cycles)',
  blobNames: '`<planId>.json`',
  publicAccess: 'none',
  documents: {
    contentType: 'application/json',
    describedBy: '`PlanRecord` (shared/planning-pass/plan-record.ts)',
  },
  blobName: (planId: string): string => `${planId}.json`,
});

export const artifactsContainer = defineContainer({
  kind: 'container',
  name: 'artifacts',
  purpose: 'built files (RPMs, SRPMs, logs) with their SHA-256, size and kind as metadata, for the publisher',
  blobNames: '`<component>/<fingerprint hex>/<file name>`',
  publicAccess: 'none',
  // The publisher copies what it publishes into `repos`, so a build's files are needed only until then; a mass
  // rebuild adds every package of the distribution here again.
  expiresAfter: 'artifactRetentionDays',
  blobName: (component: string, fingerprint: string, fileName: string): string =>
    `${component}/${fingerprintHex(fingerprint)}/${fileName}`,
});

/** Rejected messages, kept whole so an operator can read why and replay them once the cause is fixed. */
export const quarantineContainer = defineContainer({
  kind: 'container',
  name: 'quarantine',
  purpose: 'malformed Fedora messages kept whole with their reason (also in metadata: source, reason, path)',
  blobNames: '`<yyyy-mm-dd>/<source>/<first 16 hex of SHA-256 of the id>-<unique>.json`, by day received',
  publicAccess: 'none',
  documents: { contentType: 'application/json', describedBy: '`QuarantineEntry` (shared/ingest/ports.ts)' },
  // Kept for an operator to read and replay; a flood of bad input must not stay for ever.
  expiresAfter: 'quarantineRetentionDays',
  blobName: (
    entry: { readonly receivedAt: string; readonly source: string; readonly id: string | undefined },
    unique: string,
  ): string => {
    const idPart = createHash('sha256')
      .update(entry.id ?? 'no-id')
      .digest('hex')
      .slice(0, 16);
    return `${entry.receivedAt.slice(0, 10)}/${entry.source}/${idPart}-${unique}.json`;
  },
});

/** The published repositories, served to dnf straight from Blob Storage. */
export const reposContainer = defineContainer({
  kind: 'container',
  name: 'repos',
  purpose: 'published RPM repositories: packages, repodata and a `.repo` file per repository',
  blobNames:
    '`<repository>/repodata/…`, `<repository>/Packages/…`, `<repository>/azl-<channel>-<arch>.repo` (`repoFileName`)',
  publicAccess: 'blob',
  blobName: (repository: string, href: string): string => `${repository}/${href}`,
});

/**
 * The preview VM images, beside the repositories in the publishing account and anonymously readable the same
 * way, so a URL is enough to download a VHD (or to create a gallery image version from it).
 */
export const imagesContainer = defineContainer({
  kind: 'container',
  name: 'images',
  purpose: 'preview VM images: each version as a fixed VHD page blob, with its manifest and SBOM beside it',
  blobNames:
    '`<image>/<version>/<image>-<version>.vhd` (a page blob; metadata `sha256`, `sourcesize`, `complete`)',
  publicAccess: 'blob',
  vhdBlobName,
});

/** `<repository>/generation-<revision>-<unique>.json`. */
const GENERATION_BLOB = /^(.+)\/generation-\d+-[^/]+\.json$/;

/** Each repository's generations; its `repomd.xml` names the current one in its metadata. */
export const repoStateContainer = defineContainer({
  kind: 'container',
  name: 'repostate',
  purpose: "each repository's published generations: package records, blobs in use, garbage to delete",
  blobNames: '`<repository>/generation-<revision>-<unique>.json`, one per generation',
  publicAccess: 'none',
  documents: {
    contentType: 'application/json',
    describedBy: '`generationSchema` (shared/publishing/generation.ts)',
  },
  blobName: (repository: string, revision: number, unique: string): string =>
    `${repository}/generation-${revision}-${unique}.json`,
  /** The repository a generation blob belongs to; `undefined` for any other name. */
  repositoryOf: (blobName: string): string | undefined => GENERATION_BLOB.exec(blobName)?.[1],
});
