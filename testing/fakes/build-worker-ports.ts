import type { BuildRequest } from '../../shared/build';
import type { Builder, BuildInput, BuildOutcome } from '../../shared/build';
import type {
  ArtifactStore,
  BuildArtifact,
  BuildRecord,
  BuildRecords,
  BuildScheduler,
  BuildWorkerPorts,
  ComponentPreparer,
  DependencyOutcome,
  InspectedPackage,
  PackageInspector,
  PreparedBuild,
  SuccessLedger,
} from '../../shared/build-worker';
import type { PublishRequest } from '../../shared/publishing';
import { MemoryPublisher } from './planning-ports';

/** In-memory build worker ports; each records what reached it, and failures can be queued up. */
export class MemoryRecords implements BuildRecords {
  readonly rows = new Map<string, BuildRecord>();
  get(component: string, fingerprint: string): Promise<BuildRecord | undefined> {
    return Promise.resolve(this.rows.get(`${component} ${fingerprint}`));
  }
  put(record: BuildRecord): Promise<void> {
    this.rows.set(`${record.component} ${record.fingerprint}`, record);
    return Promise.resolve();
  }
}

export class ScriptedBuilder implements Builder {
  readonly name = 'scripted';
  readonly builds: BuildInput[] = [];
  /** Outcomes to give, in order; after them every build succeeds with `files`. */
  readonly script: BuildOutcome[] = [];
  constructor(private readonly files: { path: string; kind: 'srpm' | 'rpm' | 'log' }[]) {}
  build(input: BuildInput): Promise<BuildOutcome> {
    this.builds.push(input);
    return Promise.resolve(
      this.script.shift() ?? { state: 'succeeded', files: this.files, logPath: '/w/build.log' },
    );
  }
}

export class ScriptedPreparer implements ComponentPreparer {
  readonly failures: Error[] = [];
  prepared = 0;
  released = 0;
  prepare(request: BuildRequest): Promise<PreparedBuild & { release(): Promise<void> }> {
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    this.prepared++;
    return Promise.resolve({
      sourceDir: `/w/${request.component}/src`,
      specFile: `${request.component}.spec`,
      workDir: `/w/${request.component}/build`,
      macros: { dist: '.azl4' },
      with: [],
      without: [],
      release: () => {
        this.released++;
        return Promise.resolve();
      },
    });
  }
}

export class MemoryArtifacts implements ArtifactStore {
  readonly uploads: BuildArtifact[][] = [];
  upload(
    component: string,
    fingerprint: string,
    files: readonly { path: string; kind: BuildArtifact['kind'] }[],
  ) {
    const artifacts = files.map((f) => {
      const fileName = f.path.split('/').pop() ?? '';
      return {
        blobPath: `${component}/${fingerprint.slice(7)}/${fileName}`,
        fileName,
        sha256: 'a'.repeat(64),
        size: 1,
        kind: f.kind,
      };
    });
    this.uploads.push(artifacts);
    return Promise.resolve(artifacts);
  }
}

/** Inspects by file name (`name-1.0-1.azl4.arch.rpm`); the digest is whatever `digest` says now. */
export class NamedInspector implements PackageInspector {
  digest = 'sha256:contents-1';
  inspect(paths: readonly string[]) {
    const packages: InspectedPackage[] = paths.map((path) => {
      const file = path.split('/').pop() ?? '';
      const nevra = file.replace(/\.rpm$/, '');
      const arch = nevra.split('.').pop() ?? '';
      return { path, name: nevra.split('-')[0] ?? '', arch, isSource: arch === 'src', nevra };
    });
    return Promise.resolve({ nevras: packages.map((p) => p.nevra), contentDigest: this.digest, packages });
  }
}

export class MemoryScheduler implements BuildScheduler {
  readonly scheduled: { request: BuildRequest; at: Date; why: 'retry' | 'wait' }[] = [];
  schedule(request: BuildRequest, at: Date, why: 'retry' | 'wait'): Promise<void> {
    this.scheduled.push({ request, at, why });
    return Promise.resolve();
  }
}

export class MemorySuccesses implements SuccessLedger {
  readonly rows = new Map<string, { fingerprint: string; contentDigest?: string }>();
  last(component: string) {
    return Promise.resolve(this.rows.get(component));
  }
  record(component: string, fingerprint: string, contentDigest: string): Promise<void> {
    this.rows.set(component, { fingerprint, contentDigest });
    return Promise.resolve();
  }
}

export function memoryWorkerPorts(
  files = ['/w/out/azl-greeter-2.1-2.azl4.src.rpm', '/w/out/azl-greeter-2.1-2.azl4.x86_64.rpm'],
) {
  const published: PublishRequest[] = [];
  const latest = new Map<string, { fingerprint: string; requestedAt: string }>();
  const unfinished = new Map<string, string[]>();
  /** `<planId> <component>` → how that path dependency's build ended. */
  const outcomes = new Map<string, DependencyOutcome>();
  const successes = new MemorySuccesses();
  const ports = {
    records: new MemoryRecords(),
    state: {
      buildsOf: (c: string) => {
        const [newest, last] = [latest.get(c), successes.rows.get(c)];
        return Promise.resolve({
          ...(newest ? { latest: newest } : {}),
          ...(last ? { lastSuccess: last } : {}),
        });
      },
    },
    progress: {
      unfinishedBefore: (planId: string, wave: number) =>
        Promise.resolve(unfinished.get(`${planId} ${wave}`) ?? []),
      outcomesOf: (planId: string, components: readonly string[]) =>
        Promise.resolve(components.flatMap((c) => outcomes.get(`${planId} ${c}`) ?? [])),
    },
    preparer: new ScriptedPreparer(),
    builder: new ScriptedBuilder([
      ...files.map((path) => ({
        path,
        kind: path.endsWith('.src.rpm') ? ('srpm' as const) : ('rpm' as const),
      })),
      { path: '/w/build.log', kind: 'log' as const },
    ]),
    artifacts: new MemoryArtifacts(),
    inspector: new NamedInspector(),
    router: {
      route: (_c: string, packages: readonly InspectedPackage[]) => {
        const routes = new Map<string, InspectedPackage[]>();
        for (const p of packages) {
          const repo = p.isSource ? 'base/srpms' : `base/${p.arch}`;
          routes.set(repo, [...(routes.get(repo) ?? []), p]);
        }
        return routes;
      },
    },
    publish: {
      send: (requests: readonly PublishRequest[]) => Promise.resolve(void published.push(...requests)),
    },
    scheduler: new MemoryScheduler(),
    successes,
    events: new MemoryPublisher(),
  } satisfies BuildWorkerPorts;
  return { ports, published, latest, unfinished, outcomes };
}
