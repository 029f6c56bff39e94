/**
 * The rebuild planner: upstream events + distribution model + dependency view + state → plan. Pure.
 */
export { plan } from './plan';
export { modelFromDistroTree } from './model-from-distro';
export type { ModelOptions } from './model-from-distro';
export { defaultPolicy, normalizeRelease, stableTagOf, PRIORITY } from './policy';
export type { PlannerPolicy } from './policy';
export type { DependencyView, ReverseDependent } from './ports';
export { abiChanges } from './abi';
export { plannedFingerprint } from './fingerprint';
export type * from './types';
