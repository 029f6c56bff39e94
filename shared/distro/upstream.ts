import { z } from 'zod';
import { PipelineError } from '../errors';
import { describes } from '../schema-matches';
import { defaultDistro } from './effective';
import type { EffectiveComponent } from './effective';
import type { DistroTree } from './tree';

/** Where a component's spec comes from. */
export type SpecOrigin =
  | { readonly kind: 'local'; readonly path: string }
  | {
      readonly kind: 'upstream';
      /** `spec.upstream-name`, else the component name. */
      readonly upstreamName: string;
      readonly distro: string;
      readonly version: string;
      /** `dist-git-base-uri` with `$pkg` replaced by the path-escaped upstream name. */
      readonly distGitUrl: string | undefined;
      readonly branch: string | undefined;
      readonly snapshot: string | undefined;
      readonly commit: string | undefined;
      /** How the commit is chosen: the pin, the last first-parent commit before the snapshot, or HEAD. */
      readonly choice: 'pinned' | 'snapshot' | 'head';
    };

/** `SpecOrigin` as the status API answers it (`GET /api/components/{name}`). */
export const specOriginSchema = describes<SpecOrigin>()(
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('local'), path: z.string() }),
    z.object({
      kind: z.literal('upstream'),
      upstreamName: z.string(),
      distro: z.string(),
      version: z.string(),
      distGitUrl: z.string().optional(),
      branch: z.string().optional(),
      snapshot: z.string().optional(),
      commit: z.string().optional(),
      choice: z.enum(['pinned', 'snapshot', 'head']),
    }),
  ]),
);

/**
 * Resolves the upstream reference of an effective component (research note §3.6): distro = its
 * `spec.upstream-distro.name` or the project's default distro; version = the reference's or the distro's
 * `default-version`; branch and URL from that distro version. An undefined distro or version is
 * `distro.unknown-distro`; a local spec without `path` is `distro.invalid`.
 */
export function resolveSpecOrigin(tree: DistroTree, component: EffectiveComponent): SpecOrigin {
  const spec = component.config.spec ?? {};
  if (spec.type === 'local') {
    if (!spec.path) throw invalid(component, 'spec.path', 'a local spec needs a path');
    return { kind: 'local', path: spec.path };
  }
  const ref = spec['upstream-distro'] ?? {};
  const name = ref.name || defaultDistro(tree)?.name;
  const distro = name === undefined ? undefined : tree.distros[name];
  const version = ref.version || distro?.['default-version'];
  const definition = version === undefined ? undefined : distro?.versions?.[version];
  if (name === undefined || !distro || version === undefined || !definition) {
    throw PipelineError.permanent(
      'distro.unknown-distro',
      `component ${component.name}: upstream distro ${name ?? '(none)'} ${version ?? '(no version)'} is not defined`,
      { file: component.file, component: component.name, field: 'spec.upstream-distro' },
    );
  }
  const upstreamName = spec['upstream-name'] || component.name;
  const commit = spec['upstream-commit'] || undefined;
  const snapshot = ref.snapshot || undefined;
  return {
    kind: 'upstream',
    upstreamName,
    distro: name,
    version,
    distGitUrl: distro['dist-git-base-uri']?.replaceAll('$pkg', encodeURIComponent(upstreamName)),
    branch: definition['dist-git-branch'] || undefined,
    snapshot,
    commit,
    choice: commit ? 'pinned' : snapshot ? 'snapshot' : 'head',
  };
}

function invalid(component: EffectiveComponent, field: string, reason: string): PipelineError {
  return PipelineError.permanent('distro.invalid', `component ${component.name}: ${field}: ${reason}`, {
    file: component.file,
    component: component.name,
    field,
  });
}
