import { z } from 'zod';
import { ComponentConfigSchema } from './component';
import {
  ComponentGroupSchema,
  DistroSchema,
  ImageSchema,
  PackageConfigSchema,
  PackageGroupSchema,
  ProjectSchema,
  ResourcesSchema,
  TestSuiteSchema,
  ToolsSchema,
} from './sections';

/** One TOML file of the tree (research note §3.1). Unknown keys anywhere are rejected (strict objects). */
export const ConfigFileSchema = z.strictObject({
  $schema: z.string().optional(),
  includes: z.array(z.string()).optional(),
  project: ProjectSchema.optional(),
  distros: z.record(z.string(), DistroSchema).optional(),
  components: z.record(z.string(), ComponentConfigSchema).optional(),
  'component-groups': z.record(z.string(), ComponentGroupSchema).optional(),
  'default-component-config': ComponentConfigSchema.optional(),
  'package-groups': z.record(z.string(), PackageGroupSchema).optional(),
  'default-package-config': PackageConfigSchema.optional(),
  images: z.record(z.string(), ImageSchema).optional(),
  tools: ToolsSchema.optional(),
  'test-suites': z.record(z.string(), TestSuiteSchema).optional(),
  resources: ResourcesSchema.optional(),
});
export type ConfigFile = z.infer<typeof ConfigFileSchema>;
