import type { BuildRequest } from '../build/build-request';
import type { BuildState } from '../build/build-state';

/** One state change of a build, with what caused it. */
export interface BuildTransition {
  readonly state: BuildState;
  readonly at: string;
  readonly detail?: string;
}

export interface BuildArtifact {
  /** Blob name in the `artifacts` container: `<component>/<fingerprint hex>/<file>`. */
  readonly blobPath: string;
  readonly fileName: string;
  readonly sha256: string;
  readonly size: number;
  readonly kind: 'srpm' | 'rpm' | 'log';
}

/** A build as its record keeps it: one per component and fingerprint (so one per cause). */
export interface BuildRecord {
  readonly buildId: string;
  readonly component: string;
  readonly fingerprint: string;
  readonly planId: string;
  readonly wave: number;
  readonly requestedAt: string;
  readonly state: BuildState;
  readonly history: readonly BuildTransition[];
  /** How many times the build was tried (transient failures retry). */
  readonly attempts: number;
  readonly builder?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  readonly nevras?: readonly string[];
  readonly artifacts?: readonly BuildArtifact[];
  /** Repositories the build was sent to for publishing. */
  readonly repositories?: readonly string[];
  /** A digest of what the RPMs contain (payload digests and dependencies, not build time or host). */
  readonly contentDigest?: string;
  readonly error?: { readonly code: string; readonly message: string; readonly retryable: boolean };
  readonly logExcerpt?: string;
}

/** `zlib-ng@3f2a9c01d4e5b6a7`: the component and the first 16 hex digits of its fingerprint. */
export function buildIdOf(component: string, fingerprint: string): string {
  return `${component}@${fingerprint.replace(/^sha256:/, '').slice(0, 16)}`;
}

export function newBuildRecord(request: BuildRequest, at: string): BuildRecord {
  return {
    buildId: buildIdOf(request.component, request.fingerprint),
    component: request.component,
    fingerprint: request.fingerprint,
    planId: request.planId,
    wave: request.wave,
    requestedAt: request.requestedAt,
    state: 'queued',
    history: [{ state: 'queued', at }],
    attempts: 0,
  };
}

/** The record moved to `state`, with the fields that change with it. */
export function transition(
  record: BuildRecord,
  state: BuildState,
  at: string,
  detail?: string,
  fields: Partial<Omit<BuildRecord, 'state' | 'history'>> = {},
): BuildRecord {
  const entry: BuildTransition = detail === undefined ? { state, at } : { state, at, detail };
  return { ...record, ...fields, state, history: [...record.history, entry] };
}
