import { PipelineError } from '../errors';

/**
 * An image build as its record keeps it: one per image and version, moved through its states by the trigger,
 * the image builder and the publisher (`image-publisher.ts`), each move kept in its history, as package builds
 * keep theirs (`shared/build-worker/build-record.ts`).
 *
 *   queued    → building | uploading | unchanged | failed
 *   building  → uploading | unchanged | failed
 *   uploading → published | failed
 *
 * `queued → uploading` is a VHD built elsewhere (`azl-rebuilder image publish`) being published; a `failed`
 * build whose error is retryable may start again (`queued`, `building` or `uploading`: the caller's retry), or
 * end `unchanged` when meanwhile another version with its fingerprint was published.
 * `published`, `unchanged` and a permanently `failed` build are final.
 */
export const imageBuildStates = [
  'queued',
  'building',
  'uploading',
  'published',
  'failed',
  'unchanged',
] as const;
export type ImageBuildState = (typeof imageBuildStates)[number];

const NEXT: Readonly<Record<ImageBuildState, readonly ImageBuildState[]>> = {
  queued: ['building', 'uploading', 'unchanged', 'failed'],
  building: ['uploading', 'unchanged', 'failed'],
  uploading: ['published', 'failed'],
  published: [],
  unchanged: [],
  failed: [],
};
const RETRY_STATES: readonly ImageBuildState[] = ['queued', 'building', 'uploading', 'unchanged'];

export interface ImageBuildTransition {
  readonly state: ImageBuildState;
  readonly at: string;
  readonly detail?: string;
}

export interface ImageBuildError {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

/** Where a published version's files are (anonymous read). */
export interface ImageBuildUrls {
  readonly vhd: string;
  readonly manifest: string;
  readonly sbom: string;
}

export interface ImageBuildSizes {
  /** The disk as a VM sees it (a whole MiB). */
  readonly virtualBytes: number;
  /** The VHD file: the virtual size and the 512-byte footer. */
  readonly vhdFileBytes: number;
  /** Bytes of the disk that are not all zero (what a sparse upload sends). */
  readonly dataBytes: number;
}

export interface ImageBuildRecord {
  readonly image: string;
  /** `<yyyymmdd>.<n>` (`nextImageVersion`), or the version the request gave. */
  readonly version: string;
  /** The image fingerprint (definition and repository revisions): equal fingerprints, equal images. */
  readonly fingerprint: string;
  readonly requestedAt: string;
  readonly state: ImageBuildState;
  readonly history: readonly ImageBuildTransition[];
  /** The repositories it is built from, each with its revision. */
  readonly repositories?: Readonly<Record<string, number>>;
  readonly sizes?: ImageBuildSizes;
  readonly urls?: ImageBuildUrls;
  /** SHA-256 (hex) of the whole VHD. */
  readonly sha256?: string;
  /** How many packages the image holds, and those asked for that no repository had. */
  readonly packages?: number;
  readonly missing?: readonly string[];
  /** `unchanged`: the published version with the same fingerprint. */
  readonly sameAs?: string;
  readonly error?: ImageBuildError;
}

export interface NewImageBuild {
  readonly image: string;
  readonly version: string;
  readonly fingerprint: string;
  readonly at: string;
  readonly detail?: string;
  readonly repositories?: Readonly<Record<string, number>>;
}

export function newImageBuild(build: NewImageBuild): ImageBuildRecord {
  return {
    image: build.image,
    version: build.version,
    fingerprint: build.fingerprint,
    requestedAt: build.at,
    state: 'queued',
    history: [entry('queued', build.at, build.detail)],
    ...(build.repositories === undefined ? {} : { repositories: build.repositories }),
  };
}

export const isFinalImageBuildState = (state: ImageBuildState): boolean => NEXT[state].length === 0;

/** Whether `record` may move to `state` now (see the diagram above). */
export function canMoveImageBuild(record: ImageBuildRecord, state: ImageBuildState): boolean {
  if (record.state === 'failed') return record.error?.retryable === true && RETRY_STATES.includes(state);
  return NEXT[record.state].includes(state);
}

/**
 * The record moved to `state`, with the fields that change with it. A move the state machine does not allow
 * is a permanent `image.invalid-transition` (a bug of the caller, or a build someone else finished).
 * Starting again after a retryable failure clears the error.
 */
export function moveImageBuild(
  record: ImageBuildRecord,
  state: ImageBuildState,
  at: string,
  detail?: string,
  fields: Partial<Omit<ImageBuildRecord, 'image' | 'version' | 'state' | 'history'>> = {},
): ImageBuildRecord {
  if (!canMoveImageBuild(record, state)) {
    throw PipelineError.permanent(
      'image.invalid-transition',
      `image build ${record.image} ${record.version} cannot go from ${record.state} to ${state}`,
      { image: record.image, version: record.version, from: record.state, to: state },
    );
  }
  const { error: _previous, ...rest } = record;
  const kept = record.state === 'failed' ? rest : record;
  return { ...kept, ...fields, state, history: [...record.history, entry(state, at, detail)] };
}

/** When the record last changed: its last transition. */
export const imageBuildUpdatedAt = (record: ImageBuildRecord): string =>
  record.history[record.history.length - 1]?.at ?? record.requestedAt;

/** The newest record (last change, then version) of those in `state`; `undefined` when there is none. */
export function latestImageBuild(
  records: readonly ImageBuildRecord[],
  state?: ImageBuildState,
): ImageBuildRecord | undefined {
  return [...records].filter((record) => state === undefined || record.state === state).sort(newestFirst)[0];
}

/** Newest first: by the request time, then by version (`20260102.10` after `20260102.9`). */
export function newestFirst(a: ImageBuildRecord, b: ImageBuildRecord): number {
  if (a.requestedAt !== b.requestedAt) return a.requestedAt < b.requestedAt ? 1 : -1;
  return compareVersions(b.version, a.version);
}

const GENERATED_VERSION = /^(\d{8})\.(\d+)$/;

/** Versions in order, `<yyyymmdd>.<n>` numerically, anything else as text after them. */
export function compareVersions(a: string, b: string): number {
  const [ma, mb] = [GENERATED_VERSION.exec(a), GENERATED_VERSION.exec(b)];
  if (ma && mb) return ma[1] === mb[1] ? Number(ma[2]) - Number(mb[2]) : ma[1]! < mb[1]! ? -1 : 1;
  if (ma || mb) return ma ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `<yyyymmdd>.<n>` for `now` (UTC): one more than the highest `n` of that day among `existing`, else 1. */
export function nextImageVersion(existing: readonly string[], now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  let highest = 0;
  for (const version of existing) {
    const match = GENERATED_VERSION.exec(version);
    if (match?.[1] === day) highest = Math.max(highest, Number(match[2]));
  }
  return `${day}.${highest + 1}`;
}

function entry(state: ImageBuildState, at: string, detail: string | undefined): ImageBuildTransition {
  return detail === undefined ? { state, at } : { state, at, detail };
}
