import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices } from '../infra/composition';
import { startAzurite } from '../infra/local/azurite';
import { startBroker } from '../infra/local/broker/broker';
import {
  materialiseFedoraFixture,
  startLookasideServer,
  writeFixtureDistro,
} from '../infra/local/fedora-fixture';
import { CatalogueTable, TableStore } from '../infra/storage';
import { componentStateTable } from '../shared/storage';
import { silentLogger } from '../shared/logger';
import { buildRequestSchema } from '../shared/build';
import type { BuildRecord } from '../shared/build-worker';
import { allEntities } from '../shared/messaging/entities';
import { loadSettings } from '../shared/settings/load-settings';
import { round } from '../testing/measure';

export interface WorkerOverheadFigures {
  readonly builds: number;
  /** Medians per build, in ms. */
  readonly totalMs: number;
  readonly rpmbuildMs: number;
  /** Everything outside rpmbuild: records, supersession and wave checks, sources, render, upload, publish. */
  readonly overheadMs: number;
  /** Of that: source preparation (dist-git fetch, lookaside download) and render, before the build. */
  readonly prepareMs: number;
  /** Of that: after the build (RPM inspection, artifact upload, publish messages, records, events). */
  readonly afterMs: number;
}

/**
 * The build worker's cost outside rpmbuild for the small fixture packages, over the real adapters (in-memory
 * Azurite, the local broker, local dist-git and lookaside): each build is timed from `handle()` to its
 * final record, and its stages are read from the record's state history and the builder's own duration.
 */
export async function measureWorkerOverhead(rounds = 3): Promise<WorkerOverheadFigures> {
  const root = mkdtempSync(join(tmpdir(), 'azl-bench-worker-'));
  const azurite = await startAzurite({ persistence: 'memory' });
  const broker = await startBroker({ entities: allEntities });
  const fixture = materialiseFedoraFixture(join(root, 'fedora'));
  const lookaside = await startLookasideServer(fixture.lookasideDir);
  const distroDir = writeFixtureDistro(join(root, 'distro'), {
    distGitBaseUri: fixture.distGitTemplate,
    lookasideBaseUri: lookaside.template,
  });
  const services = createServices(
    loadSettings({
      AzureWebJobsStorage: azurite.connectionString,
      ServiceBusConnection: broker.connectionString,
      AZL_FEDORA_CATCH_UP: 'off',
      AZL_DISTRO_DIR: distroDir,
    }),
    silentLogger,
  );
  const states = new CatalogueTable(
    new TableStore({ connectionString: azurite.connectionString }),
    componentStateTable,
  );
  await states.ensure();
  const samples: { total: number; rpmbuild: number; prepare: number; after: number }[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      for (const [i, pkg] of fixture.packages.entries()) {
        // Forget the last success, so every build takes the full path (not `unchanged`).
        await states.delete(states.key(pkg.name));
        const request = buildRequestSchema.parse({
          planId: `bench-${r}`,
          component: pkg.name,
          fingerprint: `sha256:${(r * 10 + i + 1).toString(16).padStart(64, '0')}`,
          wave: 0,
          priority: 300,
          reasons: [],
          requestedAt: new Date().toISOString(),
        });
        const started = performance.now();
        const result = await services.buildWorker!.handle(request);
        const total = performance.now() - started;
        if (result.outcome !== 'finished' || result.record.state !== 'succeeded')
          throw new Error(`bench build of ${pkg.name} ended ${JSON.stringify(result)}`);
        samples.push({ total, ...stages(result.record) });
      }
    }
  } finally {
    await services.close();
    await lookaside.close();
    await broker.stop();
    await azurite.stop();
    rmSync(root, { recursive: true, force: true });
  }
  const median = (pick: (s: (typeof samples)[number]) => number) => {
    const sorted = samples.map(pick).sort((a, b) => a - b);
    return round(sorted[Math.floor(sorted.length / 2)] ?? 0, 1);
  };
  return {
    builds: samples.length,
    totalMs: median((s) => s.total),
    rpmbuildMs: median((s) => s.rpmbuild),
    overheadMs: median((s) => s.total - s.rpmbuild),
    prepareMs: median((s) => s.prepare),
    afterMs: median((s) => s.after),
  };
}

function stages(record: BuildRecord): { rpmbuild: number; prepare: number; after: number } {
  const at = (state: string) => Date.parse(record.history.find((h) => h.state === state)?.at ?? '');
  const rpmbuild = record.durationMs ?? 0;
  return {
    rpmbuild,
    prepare: at('building') - at('preparing'),
    after: Date.parse(record.finishedAt ?? '') - at('building') - rpmbuild,
  };
}
