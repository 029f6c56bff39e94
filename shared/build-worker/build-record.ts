import { z } from 'zod';
import type { BuildRequest } from '../build/build-request';
import { buildStates } from '../build/build-state';
import type { BuildState } from '../build/build-state';
import { describes } from '../schema-matches';

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

const buildTransitionSchema = describes<BuildTransition>()(
  z.object({ state: z.enum(buildStates), at: z.string(), detail: z.string().optional() }),
);

const buildArtifactSchema = describes<BuildArtifact>()(
  z.object({
    blobPath: z.string().describe('blob name in the `artifacts` container'),
    fileName: z.string(),
    sha256: z.string(),
    size: z.int().min(0),
    kind: z.enum(['srpm', 'rpm', 'log']),
  }),
);

/** `BuildRecord` as the status API answers it (`GET /api/builds/{id}`); checked against the interface. */
export const buildRecordSchema = describes<BuildRecord>()(
  z.object({
    buildId: z.string().describe('`<component>@<16 hex of the fingerprint>`'),
    component: z.string(),
    fingerprint: z.string(),
    planId: z.string(),
    wave: z.int().min(0),
    requestedAt: z.string(),
    state: z.enum(buildStates),
    history: z.array(buildTransitionSchema),
    attempts: z.int().min(0).describe('how many times the build was tried'),
    builder: z.string().optional(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    durationMs: z.number().min(0).optional(),
    nevras: z.array(z.string()).optional(),
    artifacts: z.array(buildArtifactSchema).optional(),
    repositories: z.array(z.string()).optional().describe('repositories the build was sent to'),
    contentDigest: z.string().optional(),
    error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).optional(),
    logExcerpt: z.string().optional(),
  }),
);

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
