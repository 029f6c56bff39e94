import type { UpstreamEvent } from '../../shared/fedora/upstream-event';
import { defaultPolicy } from '../../shared/planner';
import type {
  DependencyView,
  PlannerComponent,
  PlannerModel,
  PlannerPolicy,
  PlannerState,
} from '../../shared/planner';

/** An in-memory dependency view: `edges` maps a source to the sources that BuildRequire it. */
export function fakeDeps(
  edges: Record<string, string[]>,
  provides: Record<string, string[]> = {},
): DependencyView {
  return {
    sourceOfBinary: (name) => name,
    binariesOfSource: (src) => [src],
    reverseBuildDependents: (src) =>
      (edges[src] ?? []).map((source) => ({ source, buildRequire: `${src}-devel` })),
    providesOf: (src) => provides[src] ?? [],
  };
}

export function model(...components: Partial<PlannerComponent & { name: string }>[]): PlannerModel {
  return {
    components: new Map(
      components.map((c) => [
        c.name ?? '',
        {
          upstreamName: c.name,
          branch: 'f43',
          follows: 'snapshot',
          rebuild: 'transitive',
          fingerprint: `fp-${c.name}`,
          ...c,
          name: c.name ?? '',
        },
      ]),
    ),
  };
}

export const emptyState: PlannerState = { components: {}, plannedMessageIds: new Set() };
export const policy: PlannerPolicy = { ...defaultPolicy, rawhide: 44 };
export const now = new Date('2026-03-01T12:00:00Z');

let counter = 0;
export function tagged(pkg: string, over: Partial<UpstreamEvent> = {}): UpstreamEvent {
  counter++;
  return {
    messageId: `msg-${counter}`,
    topic: 'org.fedoraproject.prod.buildsys.tag',
    kind: 'tagged',
    packages: [pkg],
    builds: [{ name: pkg, version: '1.0', release: `${counter}.fc43`, nvr: `${pkg}-1.0-${counter}.fc43` }],
    kojiBuildId: counter,
    tag: 'f43-updates',
    release: 'f43',
    time: '2026-03-01T10:00:00Z',
    severity: 'info',
    ...over,
  };
}
