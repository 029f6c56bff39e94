import { fingerprintComponent, resolveComponent, resolveSpecOrigin } from '../distro';
import type { DistroFiles, DistroTree } from '../distro';
import type { PlannerComponent, PlannerModel, RebuildPolicy } from './types';

export interface ModelOptions {
  /** Only these components (default: all of the tree). */
  readonly components?: readonly string[];
  /** Rebuild policy per component (default: `transitive`, the OBS default). */
  readonly rebuild?: (component: string) => RebuildPolicy;
}

/**
 * The planner's view of a distro tree: for each component, the upstream package and branch it follows
 * (its spec origin), its pin, and its tree fingerprint. Reads files only through `files`.
 */
export function modelFromDistroTree(
  tree: DistroTree,
  files: DistroFiles,
  options: ModelOptions = {},
): PlannerModel {
  const names = options.components ?? [...tree.components.keys()];
  const contents = new Map<string, string | null>();
  const components = new Map<string, PlannerComponent>();
  for (const name of names) {
    const effective = resolveComponent(tree, name);
    const origin = resolveSpecOrigin(tree, effective);
    const fingerprint = fingerprintComponent(tree, files, effective, {}, contents).fingerprint;
    const rebuild = options.rebuild?.(name) ?? 'transitive';
    components.set(
      name,
      origin.kind === 'local'
        ? { name, follows: 'local', rebuild, fingerprint }
        : {
            name,
            upstreamName: origin.upstreamName,
            branch: origin.branch,
            pin: origin.commit,
            follows: origin.choice,
            rebuild,
            fingerprint,
          },
    );
  }
  return { components };
}
