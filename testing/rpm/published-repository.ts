import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { generateRpm } from './rpm-generator';
import type { GeneratedPackage } from './rpm-generator';
import type { BlobStore } from '../../infra/storage';
import type { PublishedPackage, PublishRequest } from '../../shared/publishing';
import { parseXml } from './repodata-xml';
import type { XmlElement } from './repodata-xml';

/** Uploads RPM bytes to the artifacts container the way the build worker does, and describes them. */
export async function stageArtifact(
  blobs: BlobStore,
  container: string,
  component: string,
  bytes: Uint8Array,
  fileName: string,
  nevra: string,
): Promise<PublishedPackage> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const artifactBlob = `${component}/${sha256.slice(0, 16)}/${fileName}`;
  await blobs.put(container, artifactBlob, bytes, {
    metadata: { sha256, size: String(bytes.byteLength) },
  });
  return { artifactBlob, fileName, sha256, size: bytes.byteLength, nevra };
}

/** A generated (bench) RPM staged as an artifact. */
export function stageGenerated(
  blobs: BlobStore,
  container: string,
  pkg: GeneratedPackage,
): Promise<PublishedPackage> {
  const nevra = `${pkg.name}-${pkg.version}-${pkg.release}.${pkg.arch ?? 'x86_64'}`;
  return stageArtifact(blobs, container, pkg.name, generateRpm(pkg), `${nevra}.rpm`, nevra);
}

export function publishRequest(repository: string, packages: PublishedPackage[], tag = ''): PublishRequest {
  const component = packages[0]?.nevra.split('-')[0] ?? 'component';
  const fingerprint = `sha256:${createHash('sha256')
    .update(packages.map((p) => p.sha256).join(',') + tag)
    .digest('hex')}`;
  return {
    repository,
    component,
    fingerprint,
    buildId: `build-${fingerprint.slice(7, 15)}`,
    packages,
    requestedAt: new Date().toISOString(),
  };
}

export interface RepositoryView {
  revision: string;
  /** `name-epoch:version-release.arch` of every package in primary.xml, sorted. */
  nevras: string[];
}

const child = (e: XmlElement, name: string) => e.children.find((c) => c.name === name);

/** The file at `url`, which must be there and have `sha256` (as dnf checks what repodata describes). */
async function fetchChecked(url: string, sha256: string | undefined, place: string): Promise<Buffer> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${place}: HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (createHash('sha256').update(bytes).digest('hex') !== sha256)
    throw new Error(`${place}: checksum mismatch`);
  return bytes;
}

/**
 * Reads a published repository anonymously over HTTP as a client would, and checks it is consistent: every
 * file repomd.xml lists, and every package primary lists, exists and matches its checksum. Throws naming the
 * first inconsistency.
 */
export async function readRepository(baseUrl: string): Promise<RepositoryView> {
  const repomdResponse = await fetch(`${baseUrl}repodata/repomd.xml`);
  if (repomdResponse.status !== 200) throw new Error(`repomd.xml: HTTP ${repomdResponse.status}`);
  const repomd = parseXml(await repomdResponse.text());
  const revision = child(repomd, 'revision')?.text ?? '';
  let primary: XmlElement | undefined;
  for (const data of repomd.children.filter((c) => c.name === 'data')) {
    const href = child(data, 'location')?.attributes.href ?? '';
    const place = `revision ${revision}: ${href}`;
    const bytes = await fetchChecked(`${baseUrl}${href}`, child(data, 'checksum')?.text, place);
    if (data.attributes.type === 'primary') primary = parseXml(gunzipSync(bytes).toString('utf8'));
  }
  if (!primary) throw new Error(`revision ${revision}: no primary`);
  const nevras: string[] = [];
  for (const pkg of primary.children.filter((c) => c.name === 'package')) {
    const href = child(pkg, 'location')?.attributes.href ?? '';
    await fetchChecked(
      `${baseUrl}${href}`,
      child(pkg, 'checksum')?.text,
      `revision ${revision}: package ${href}`,
    );
    const v = child(pkg, 'version')?.attributes ?? {};
    nevras.push(`${child(pkg, 'name')?.text}-${v.epoch}:${v.ver}-${v.rel}.${child(pkg, 'arch')?.text}`);
  }
  return { revision, nevras: nevras.sort() };
}
