import type { Endpoints } from '../runtime/endpoints-file';
import { parseImageManifest } from '../../../shared/images/manifest';

/** What the demo says about its preview image once the pipeline built it (or gave up). */
export interface DemoImageSummary {
  readonly image: string;
  readonly version?: string;
  /** The build's state: `published`, `failed`, `unchanged`, or the last one seen when waiting ran out. */
  readonly state: string;
  readonly vhdUrl?: string;
  readonly manifestUrl?: string;
  readonly sbomUrl?: string;
  readonly sha256?: string;
  /** The installed NEVRAs the manifest lists. */
  readonly packages: readonly string[];
  /** Asked for, in no repository (left out: `allow-missing`). */
  readonly missing: readonly string[];
  /** Dependencies no repository provides. */
  readonly unresolved: number;
  readonly error?: { readonly code: string; readonly message: string };
}

interface ImageVersion {
  readonly version: string;
  readonly state: string;
  readonly urls?: { readonly vhd: string; readonly manifest: string; readonly sbom: string };
  readonly sha256?: string;
  readonly error?: { readonly code: string; readonly message: string };
}

const FINAL = new Set(['published', 'failed', 'unchanged']);

/**
 * Waits for the pipeline to build `image` after the demo's packages were published (the `images`
 * subscription sees `repo.published`, waits for the repositories to be quiet, builds and publishes), printing
 * each state as `GET /api/images/{name}` shows it; then reads the manifest by its anonymous URL.
 */
export async function waitForDemoImage(
  endpoints: Endpoints,
  image: string,
  options: { readonly out: (line: string) => void; readonly timeoutMs?: number },
): Promise<DemoImageSummary> {
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  let shown = '';
  let newest: ImageVersion | undefined;
  for (;;) {
    newest = await newestVersion(endpoints, image);
    const line = newest ? `${newest.state.padEnd(9)} ${image} ${newest.version}` : '';
    if (line && line !== shown)
      options.out(`image   ${line}${newest?.error ? `  ${newest.error.code}` : ''}`);
    shown = line || shown;
    if ((newest && FINAL.has(newest.state)) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const base = {
    image,
    state: newest?.state ?? 'not started',
    ...(newest?.version === undefined ? {} : { version: newest.version }),
    ...(newest?.error === undefined ? {} : { error: newest.error }),
  };
  if (newest?.state !== 'published' || !newest.urls)
    return { ...base, packages: [], missing: [], unresolved: 0 };
  const manifest = parseImageManifest(await (await fetch(newest.urls.manifest)).json());
  return {
    ...base,
    vhdUrl: newest.urls.vhd,
    manifestUrl: newest.urls.manifest,
    sbomUrl: newest.urls.sbom,
    ...(newest.sha256 === undefined ? {} : { sha256: newest.sha256 }),
    packages: manifest.packages.map((p) => p.nevra),
    missing: [...manifest.requested.missing],
    unresolved: manifest.requested.unresolved?.length ?? 0,
  };
}

async function newestVersion(endpoints: Endpoints, image: string): Promise<ImageVersion | undefined> {
  const response = await fetch(`${endpoints.apiBaseUrl}/images/${encodeURIComponent(image)}`, {
    headers: { 'x-functions-key': endpoints.functionKey },
  });
  if (!response.ok) return undefined;
  const body = (await response.json()) as { versions?: ImageVersion[] };
  return body.versions?.[0];
}
