/**
 * One blob container of the catalogue: what it holds, how its blobs are named, and who may read it. The
 * deployment sets the same public access level the local pipeline creates the container with.
 */
export interface ContainerDefinition {
  readonly kind: 'container';
  readonly name: string;
  readonly purpose: string;
  /** How blobs are named, in words. */
  readonly blobNames: string;
  /**
   * Anonymous read access: `blob` lets anyone fetch a blob by its URL without listing the container (what
   * dnf needs of a repository); `none` is private.
   */
  readonly publicAccess: 'none' | 'blob';
  /** When the blobs are documents: their content type and the type or schema that describes them. */
  readonly documents?: { readonly contentType: string; readonly describedBy: string };
  /**
   * Set when a blob is needed only for a while after it is written (a build's files until their publish has
   * copied them, a rejected message until an operator has looked at it): the deployment's lifecycle rule
   * deletes such blobs the named parameter's number of days after they were created (bicep/main.bicep).
   * Unset: a blob stays until the pipeline deletes it.
   */
  readonly expiresAfter?: RetentionParameter;
}

/** The deployment parameters (bicep/main.bicep) that say how many days expiring blobs are kept. */
export type RetentionParameter = 'artifactRetentionDays' | 'quarantineRetentionDays';

/** A container entry with the blob-name builders of its blobs beside the definition. */
export const defineContainer = <const T extends ContainerDefinition>(definition: T): T => definition;
