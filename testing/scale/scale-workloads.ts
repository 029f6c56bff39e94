import type { WireMessage } from '../fedora/wire-messages';
import type { PlannerComponent, PlannerModel } from '../../shared/planner';
import { mulberry32 } from '../seeded-random';
import { kojiTagMessage } from './koji-tag-message';
import type { RecordingClock } from './koji-tag-message';

/** The graph facts the burst needs: which components nothing BuildRequires. */
export interface ReverseDependencies {
  reverseBuildDependents(src: string): readonly unknown[];
}

export interface Workload {
  readonly name: 'root-update' | 'burst' | 'mass-rebuild';
  readonly messages: readonly WireMessage[];
  /** The components the messages name directly (through their upstream package), in message order. */
  readonly components: readonly string[];
}

export interface WorkloadOptions {
  /** The Fedora release number rawhide is (`f44`): a rawhide component's mass-rebuild tag. Default 44. */
  readonly rawhide?: number;
  /** When the recording starts; default 2026-12-01T10:00:00Z. */
  readonly startedAt?: Date;
}

const STARTED_AT = new Date('2026-12-01T10:00:00Z');

const clock = (
  stream: string,
  firstBuildId: number,
  options: WorkloadOptions,
  stepMs: number,
): RecordingClock => ({
  stream: `azl-scale:${stream}`,
  firstBuildId,
  startedAt: options.startedAt ?? STARTED_AT,
  stepMs,
});

/** `fc43` for `f43`; rawhide's number for `rawhide`. */
function distTag(branch: string, rawhide: number): string {
  return branch === 'rawhide' ? `fc${rawhide}` : branch.replace(/^f/, 'fc');
}

/**
 * (a) One root package updated: its new build tagged into its branch's stable tag by Bodhi. On a pipeline
 * with no lock for the root (no old provides to compare), the ABI gate lets the whole transitive closure of
 * its reverse build dependents through: most of the tree.
 */
export function rootUpdate(model: PlannerModel, root = 'glibc', options: WorkloadOptions = {}): Workload {
  const component = followed(model, root);
  const message = kojiTagMessage(
    {
      name: component.upstreamName,
      version: '2.43',
      release: `1.${distTag(component.branch, options.rawhide ?? 44)}`,
      tag: `${component.branch}-updates`,
      user: 'bodhi',
      owner: 'scale-fixture',
    },
    0,
    clock('root-update', 3_200_000, options, 0),
  );
  return { name: 'root-update', messages: [message], components: [root] };
}

/**
 * (b) A burst of `count` independent updates: `count` distinct components, each tagged into its stable tag
 * once. Independent means, as far as the graph allows, that nothing else BuildRequires them: components
 * with no reverse build dependents come first (in a seeded shuffle), then those with the fewest direct
 * dependents. Only components that follow an `fNN` branch and are not pinned are chosen, so that each
 * message plans a build; a component whose upstream package another component also follows is left out,
 * so that each message names one component.
 */
export function independentBurst(
  model: PlannerModel,
  graph: ReverseDependencies,
  count = 2_000,
  options: WorkloadOptions & { readonly seed?: number } = {},
): Workload & { readonly leaves: number } {
  const followers = followerCounts(model);
  const eligible = [...model.components.values()]
    .filter((c): c is Followed => isFollowed(c) && /^f\d+$/.test(c.branch) && c.pin === undefined)
    .filter((c) => followers.get(c.upstreamName) === 1)
    .map((c) => c.name)
    .sort();
  const rand = mulberry32(options.seed ?? 2_000);
  const ranked = eligible
    .map((name) => ({ name, dependents: graph.reverseBuildDependents(name).length, draw: rand() }))
    .sort((a, b) => a.dependents - b.dependents || a.draw - b.draw);
  if (ranked.length < count)
    throw new Error(`a burst of ${count} needs ${count} eligible components; the model has ${ranked.length}`);
  const chosen = ranked.slice(0, count);
  const at = clock('burst', 3_300_000, options, 100);
  const messages = chosen.map(({ name }, n) => {
    const c = followed(model, name);
    return kojiTagMessage(
      {
        name: c.upstreamName,
        version: '1.0',
        release: `2.${distTag(c.branch, options.rawhide ?? 44)}`,
        tag: `${c.branch}-updates`,
        user: 'bodhi',
        owner: 'scale-fixture',
      },
      n,
      at,
    );
  });
  return {
    name: 'burst',
    messages,
    components: chosen.map((c) => c.name),
    leaves: chosen.filter((c) => c.dependents === 0).length,
  };
}

/**
 * (c) A mass rebuild: every upstream package the tree follows tagged once into its release's mass-rebuild
 * tag (`f43-rebuild`; a rawhide component's is `f<rawhide>-rebuild`), by releng, as Fedora's mass rebuild
 * tags its builds. In component-name order. Components with a local spec follow no Fedora package, so no
 * Fedora message can name them; pinned ones are named, and the planner skips them as `pinned`.
 */
export function massRebuild(model: PlannerModel, options: WorkloadOptions = {}): Workload {
  const rawhide = options.rawhide ?? 44;
  const byUpstream = new Map<string, Followed[]>();
  for (const c of [...model.components.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!isFollowed(c)) continue;
    byUpstream.set(c.upstreamName, [...(byUpstream.get(c.upstreamName) ?? []), c]);
  }
  const at = clock('mass-rebuild', 3_400_000, options, 100);
  const messages = [...byUpstream.values()].map((list, n) => {
    const c = list[0] as Followed;
    const release = c.branch === 'rawhide' ? `f${rawhide}` : c.branch;
    return kojiTagMessage(
      {
        name: c.upstreamName,
        version: '1.0',
        release: `3.${distTag(c.branch, rawhide)}`,
        tag: `${release}-rebuild`,
        user: 'releng',
        owner: 'releng',
      },
      n,
      at,
    );
  });
  return {
    name: 'mass-rebuild',
    messages,
    components: [...byUpstream.values()].flatMap((list) => list.map((c) => c.name)),
  };
}

type Followed = PlannerComponent & { readonly upstreamName: string; readonly branch: string };

const isFollowed = (c: PlannerComponent): c is Followed =>
  c.upstreamName !== undefined && c.branch !== undefined;

function followed(model: PlannerModel, name: string): Followed {
  const c = model.components.get(name);
  if (!c || !isFollowed(c)) throw new Error(`${name} is not a component that follows a Fedora package`);
  return c;
}

function followerCounts(model: PlannerModel): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of model.components.values())
    if (c.upstreamName !== undefined) counts.set(c.upstreamName, (counts.get(c.upstreamName) ?? 0) + 1);
  return counts;
}
