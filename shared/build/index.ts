/** Builds: the `builds` queue message, the builder port and the states of a build record. */
export { buildRequestSchema, componentNameSchema } from './build-request';
export type { BuildRequest, BuildRequestInput } from './build-request';
export type { Builder, BuildInput, BuildOutcome, BuiltFile } from './builder';
export { buildStates, finalBuildStates, isFinalBuildState } from './build-state';
export type { BuildState } from './build-state';
export { buildResultMessageId, buildResultSchema, builtArtifactSchema } from './build-result';
export type { BuildResult, BuiltArtifact } from './build-result';
export { classifyBuild, logExcerpt } from './log-classify';
export type { BuildEnd, BuildFailure } from './log-classify';
export { buildOptionsOf, componentBuildOptions, distroMacros } from './build-macros';
export type { ComponentBuildOptions } from './build-macros';
export { rpmbuildArguments } from './rpmbuild-arguments';
export type { RpmbuildCommand } from './rpmbuild-arguments';
