import { z } from 'zod';
import { OverlaySchema } from './overlay';

/** `{name, version?, snapshot?}`: which upstream distro (and when) a spec is read from. */
export const DistroReferenceSchema = z.strictObject({
  name: z.string().optional(),
  version: z.string().optional(),
  snapshot: z.string().optional(),
});
export type DistroReference = z.infer<typeof DistroReferenceSchema>;

export const PublishSchema = z.strictObject({
  channel: z.string().optional(),
  'rpm-channel': z.string().optional(),
  'srpm-channel': z.string().optional(),
  'debuginfo-channel': z.string().optional(),
});
export type Publish = z.infer<typeof PublishSchema>;

const SpecSchema = z.strictObject({
  type: z.enum(['upstream', 'local', '']).optional(),
  path: z.string().optional(),
  'upstream-distro': DistroReferenceSchema.optional(),
  'upstream-name': z.string().optional(),
  'upstream-commit': z
    .string()
    .regex(/^[0-9a-f]{7,40}$/i, 'expected a 7–40 hex digit commit')
    .optional(),
});

/** `build`; as azldev checks per file, skipping checks or expecting failure needs a stated reason. */
const BuildSchema = z
  .strictObject({
    with: z.array(z.string()).optional(),
    without: z.array(z.string()).optional(),
    defines: z.record(z.string(), z.string()).optional(),
    undefines: z.array(z.string()).optional(),
    check: z.strictObject({ skip: z.boolean().optional(), skip_reason: z.string().optional() }).optional(),
    failure: z
      .strictObject({ expected: z.boolean().optional(), 'expected-reason': z.string().optional() })
      .optional(),
    hints: z.strictObject({ expensive: z.boolean().optional() }).optional(),
    'emit-upstream-provenance': z.boolean().optional(),
  })
  .superRefine((build, ctx) => {
    if (build.check?.skip && !build.check.skip_reason) {
      ctx.addIssue({
        code: 'custom',
        path: ['check', 'skip_reason'],
        message: 'check.skip needs a skip_reason',
      });
    }
    if (build.failure?.expected && !build.failure['expected-reason']) {
      ctx.addIssue({
        code: 'custom',
        path: ['failure', 'expected-reason'],
        message: 'failure.expected needs an expected-reason',
      });
    }
  });

const SourceFileSchema = z.strictObject({
  filename: z.string().min(1),
  hash: z.string().optional(),
  'hash-type': z.enum(['SHA256', 'SHA512']).optional(),
  origin: z.looseObject({ type: z.string() }).optional(),
  'replace-upstream': z.boolean().optional(),
  'replace-reason': z.string().optional(),
});

/** `[components.<name>]` and every `default-component-config` (research note §3.4). */
export const ComponentConfigSchema = z.strictObject({
  spec: SpecSchema.optional(),
  release: z
    .strictObject({ calculation: z.enum(['auto', 'manual', 'autorelease', 'static', '']).optional() })
    .optional(),
  overlays: z.array(OverlaySchema).optional(),
  'overlay-files': z.array(z.string()).optional(),
  build: BuildSchema.optional(),
  render: z.strictObject({ 'skip-file-filter': z.boolean().optional() }).optional(),
  'source-files': z.array(SourceFileSchema).optional(),
  packages: z.record(z.string(), z.strictObject({ publish: PublishSchema.optional() })).optional(),
  publish: PublishSchema.optional(),
});
export type ComponentConfig = z.infer<typeof ComponentConfigSchema>;
