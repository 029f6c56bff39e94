import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { describeError, PipelineError } from '../../shared/errors';

/**
 * The revision of a published repository: `<revision>` of its `repodata/repomd.xml`, which publishing
 * counts 1, 2, 3, … (`createrepo_c` writes the unix time by default, also a whole number). An image's manifest
 * and fingerprint name the revisions it was built from. `file:` URLs are read from disk, `http(s):` fetched.
 * Unreadable metadata is a transient `image.repository-unreachable`; a revision that is not a whole number
 * ≥ 1 a permanent `image.repository-no-revision`.
 */
export async function repositoryRevision(baseUrl: string, timeoutMs = 60_000): Promise<number> {
  const url = new URL('repodata/repomd.xml', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  let xml: string;
  try {
    xml = await readText(url, timeoutMs);
  } catch (error) {
    throw PipelineError.transient(
      'image.repository-unreachable',
      `${url.href} could not be read: ${describeError(error)}`,
      { baseUrl },
      error,
    );
  }
  const parsed = new XMLParser({ parseTagValue: false }).parse(xml) as { repomd?: { revision?: unknown } };
  const revision = parsed.repomd?.revision;
  if (typeof revision !== 'string' || !/^[1-9]\d*$/.test(revision.trim())) {
    throw PipelineError.permanent(
      'image.repository-no-revision',
      `${url.href} has no whole-number <revision> (${JSON.stringify(revision ?? null)})`,
      { baseUrl },
    );
  }
  return Number(revision.trim());
}

async function readText(url: URL, timeoutMs: number): Promise<string> {
  if (url.protocol === 'file:') return readFile(fileURLToPath(url), 'utf8');
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}
