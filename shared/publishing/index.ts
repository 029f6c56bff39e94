/** Publishing: the `publish` queue message, repository layout and routing, retention, and the publisher. */
export { publishRequestSchema, publishedPackageSchema, repositoryIdSchema } from './publish-request';
export type { PublishRequest, PublishedPackage } from './publish-request';
export {
  DEFAULT_ARCHES,
  DEFAULT_CHANNEL,
  packageHref,
  repositoriesFor,
  repositoriesOfPackage,
} from './repository-layout';
export type { RepositoryPackages } from './repository-layout';
export { applyRetention, DEFAULT_KEEP_BUILDS } from './retention';
export type { Retained } from './retention';
export { repoFileContent, repoFileHref, repoFileName, repoSectionId } from './repo-file';
export { repositoryAccess } from './repository-access';
export type { RepositoryAccess } from './repository-access';
export { DEFAULT_DELETION_TIMING, deletionCutoff } from './deletion-cutoff';
export type { DeletionTiming } from './deletion-cutoff';
export { emptyGeneration, generationSchema, nextGeneration } from './generation';
export type { BlobRef, Garbage, Generation } from './generation';
export { CLOCK_SKEW_MS, findOrphans } from './orphans';
export type { ListedBlob, OrphanSearch } from './orphans';
export { candidateOf, planPublish } from './publish-plan';
export type { Candidate, PublishPlan } from './publish-plan';
export type {
  CommitCondition,
  PendingPublish,
  PendingPublishes,
  PublishFlushes,
  RepositoryHead,
  RepositoryStore,
  SetAsideRequest,
} from './ports';
export { DEFAULT_GRACE_MS, publishRequestKey, RepositoryPublisher } from './repository-publisher';
export type { PublisherOptions, PublishOutcome } from './repository-publisher';
export { DEFAULT_COALESCE_MS, isPublishFlushId, publishFlushId, publishTiming } from './publish-timing';
export type { PublishTiming } from './publish-timing';
