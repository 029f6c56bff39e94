/** The build worker's domain: build records, outcomes, retries and the ports it works through. */
export { BuildWorker } from './build-worker';
export type { BuildHandled, BuildWorkerOptions } from './build-worker';
export { buildIdOf, newBuildRecord, transition } from './build-record';
export type { BuildArtifact, BuildRecord, BuildTransition } from './build-record';
export { defaultRetryPolicy, retryDelayMs } from './retry-policy';
export type { RetryPolicy } from './retry-policy';
export { buildEvent, finalBuildEventType } from './build-events';
export type { BuildEventType } from './build-events';
export type * from './ports';
export { decideWaveGate, DEPENDENCY_FAILED, pathDependencies } from './wave-gate';
export type { DependencyOutcome, WaveGateDecision } from './wave-gate';
export { WaveCursor } from './wave-cursor';
export type { WaveItem, WaveSource } from './wave-cursor';
export { decideRelease, RELEASE_CHUNK, WaveRelease } from './wave-release';
export type { ReleaseDecision, ReleaseResult } from './wave-release';
