/** Publishing: the `publish` queue message and repository ids. */
export { publishRequestSchema, publishedPackageSchema, repositoryIdSchema } from './publish-request';
export type { PublishRequest, PublishedPackage } from './publish-request';
