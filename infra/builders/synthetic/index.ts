/** The synthetic builder: generated packages instead of builds, for tests and benchmarks at scale. */
export { SyntheticBuilder } from './synthetic-builder';
export { SyntheticComponentPreparer } from './synthetic-preparer';
export { syntheticBuildFails } from './synthetic-failure';
export { readSyntheticSpec, syntheticSpecText } from './synthetic-spec';
export type { SyntheticSpec } from './synthetic-spec';
