import { z } from 'zod';
import { ComponentConfigSchema, DistroReferenceSchema, PublishSchema } from './component';

/** `[project]` (research note §3.2); directory fields are resolved against the declaring file. */
export const ProjectSchema = z.strictObject({
  description: z.string().optional(),
  'log-dir': z.string().optional(),
  'work-dir': z.string().optional(),
  'output-dir': z.string().optional(),
  'rendered-specs-dir': z.string().optional(),
  'lock-dir': z.string().optional(),
  'default-distro': DistroReferenceSchema.optional(),
  'default-author-email': z.string().optional(),
});
export type Project = z.infer<typeof ProjectSchema>;

export const DistroVersionSchema = z.strictObject({
  'release-ver': z.string(),
  description: z.string().optional(),
  'dist-git-branch': z.string().optional(),
  'default-component-config': ComponentConfigSchema.optional(),
  'mock-config': z.string().optional(),
  'mock-config-x86_64': z.string().optional(),
  'mock-config-aarch64': z.string().optional(),
  inputs: z.record(z.string(), z.array(z.record(z.string(), z.string()))).optional(),
});
export type DistroVersion = z.infer<typeof DistroVersionSchema>;

export const DistroSchema = z.strictObject({
  description: z.string().optional(),
  'default-version': z.string().optional(),
  'dist-git-base-uri': z.string().optional(),
  'lookaside-base-uri': z.string().optional(),
  repos: z.array(z.strictObject({ 'base-uri': z.string() })).optional(),
  'disable-origins': z.boolean().optional(),
  versions: z.record(z.string(), DistroVersionSchema).optional(),
});
export type Distro = z.infer<typeof DistroSchema>;

export const ComponentGroupSchema = z.strictObject({
  description: z.string().optional(),
  components: z.array(z.string()).optional(),
  specs: z.array(z.string()).optional(),
  'excluded-paths': z.array(z.string()).optional(),
  'default-component-config': ComponentConfigSchema.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type ComponentGroup = z.infer<typeof ComponentGroupSchema>;

export const PackageConfigSchema = z.strictObject({ publish: PublishSchema.optional() });
export type PackageConfig = z.infer<typeof PackageConfigSchema>;

export const PackageGroupSchema = z.strictObject({
  description: z.string().optional(),
  packages: z.array(z.string()).optional(),
  'default-package-config': PackageConfigSchema.optional(),
});
export type PackageGroup = z.infer<typeof PackageGroupSchema>;

export const ImageSchema = z.strictObject({
  description: z.string().optional(),
  definition: z
    .strictObject({ type: z.string(), path: z.string(), profile: z.string().optional() })
    .optional(),
  capabilities: z.record(z.string(), z.boolean()).optional(),
  tests: z.strictObject({ 'test-suites': z.array(z.strictObject({ name: z.string() })) }).optional(),
  publish: z.strictObject({ channels: z.array(z.string()).optional() }).optional(),
  /**
   * azl-rebuilder's own key (azldev has none): build the image even when no repository has some of the
   * packages its description asks for, leaving them out and listing them in the manifest (`ImageEntry.allowMissing`).
   */
  'allow-missing': z.boolean().optional(),
});
export type Image = z.infer<typeof ImageSchema>;

export const ToolsSchema = z.strictObject({
  imageCustomizer: z.strictObject({ containerTag: z.string().optional() }).optional(),
});
export type Tools = z.infer<typeof ToolsSchema>;

/** `[test-suites.<t>]`; the newer runner-specific tables are kept as given. */
export const TestSuiteSchema = z.strictObject({
  description: z.string().optional(),
  type: z.string().optional(),
  pytest: z.record(z.string(), z.unknown()).optional(),
  lisa: z.record(z.string(), z.unknown()).optional(),
});
export type TestSuite = z.infer<typeof TestSuiteSchema>;

/** `[resources]` (post-snapshot): the three tables are checked as tables of records only. */
export const ResourcesSchema = z.strictObject({
  'rpm-repos': z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  'rpm-repo-set-templates': z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  'rpm-repo-sets': z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});
export type Resources = z.infer<typeof ResourcesSchema>;
