import { reposContainer } from '../../shared/storage';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { settled, snapshot } from '../../hosts/local/demo/demo-progress';
import type { DemoSnapshot } from '../../hosts/local/demo/demo-progress';
import type { Endpoints } from '../../hosts/local/runtime/endpoints-file';
import { BlobStore, TableStore } from '../../infra/storage';
import type { CliRun } from './cli-process';
import { processesMentioning, runCli, STOP_TIMEOUT_MS, stopWithin, waitForEndpoints } from './cli-process';
import { startSmallFedora } from '../fixtures/small-fedora';
import { repoquery } from '../rpm/dnf';

/**
 * The local pipeline (`azl-rebuilder start`) following the project's small Fedora: the fixture packages as a
 * local dist-git and lookaside (served from this test process), a distro tree over them, and the pipeline
 * started on it, as the demo does but with the test choosing the settings, the ports and what is delivered.
 */
export interface FixturePipeline {
  readonly run: CliRun;
  readonly dataDir: string;
  readonly distroDir: string;
  readonly endpoints: Endpoints;
  /** GET on the status API, answering the parsed JSON (fails the test on a non-200). */
  api<T = Record<string, unknown>>(path: string): Promise<T>;
  stop(): Promise<void>;
}

export interface FixturePipelineOptions {
  /** Extra `start` arguments (e.g. `--live`); the distro tree is given with `--config` when `--live` is. */
  readonly args?: readonly string[];
  /** App settings over the environment (`AZL_PLANNER_DEBOUNCE_SECONDS`, `AZL_DATAGREPPER_URL`, …). */
  readonly env?: NodeJS.ProcessEnv;
  /** Fixed ports; absent ones are picked free. */
  readonly ports?: Partial<Record<'http' | 'broker' | 'blob' | 'queue' | 'table', number>>;
}

export async function startFixturePipeline(
  prefix: string,
  options: FixturePipelineOptions = {},
): Promise<FixturePipeline> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const fedora = await startSmallFedora(dataDir);
  const { distroDir } = fedora;
  const args = options.args ?? ['--no-demo'];
  const live = args.includes('--live');
  const port = (name: keyof NonNullable<FixturePipelineOptions['ports']>) => [
    `--${name}-port`,
    String(options.ports?.[name] ?? 0),
  ];
  const run = runCli(
    [
      'start',
      ...args,
      ...(live ? ['--config', distroDir] : []),
      '--data-dir',
      dataDir,
      ...port('http'),
      ...port('broker'),
      ...port('blob'),
      ...port('queue'),
      ...port('table'),
    ],
    {
      AZL_PLANNER_DEBOUNCE_SECONDS: '0',
      AZL_PLANNER_QUIET_SECONDS: '0',
      ...(live ? {} : { AZL_DISTRO_DIR: distroDir }),
      ...options.env,
    },
  );
  let endpoints: Endpoints;
  try {
    endpoints = await waitForEndpoints(run, dataDir, 90_000);
  } catch (error) {
    run.child.kill('SIGKILL');
    await fedora.close();
    throw error;
  }
  return {
    run,
    dataDir,
    distroDir,
    endpoints,
    api: async <T>(path: string): Promise<T> => {
      const response = await fetch(`${endpoints.apiBaseUrl}/${path}`, {
        headers: { 'x-functions-key': endpoints.functionKey },
      });
      expect(response.status, `GET /api/${path}: ${await response.clone().text()}`).toBe(200);
      return (await response.json()) as T;
    },
    stop: async () => {
      const stopped = run.child.exitCode !== null || (await stopWithin(run, STOP_TIMEOUT_MS));
      await fedora.close();
      for (const pid of processesMentioning(dataDir)) process.kill(pid, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      if (!stopped) {
        throw new Error(
          `azl-rebuilder start did not stop within ${STOP_TIMEOUT_MS} ms of SIGINT:\n${run.output().slice(-8_000)}`,
        );
      }
    },
  };
}

/**
 * Polls the pipeline's tables and repositories until it has settled (see demo-progress) with `builds` builds;
 * on timeout the error shows the last view and the end of the pipeline's log.
 */
export async function waitUntilSettled(
  pipeline: FixturePipeline,
  builds: number,
  timeoutMs = 150_000,
): Promise<DemoSnapshot> {
  const { endpoints } = pipeline;
  const tables = new TableStore({ connectionString: endpoints.storageConnectionString });
  const blobs = new BlobStore({ connectionString: endpoints.storageConnectionString });
  const deadline = Date.now() + timeoutMs;
  let view: DemoSnapshot | undefined;
  for (;;) {
    view = await snapshot(tables, blobs).catch(() => view);
    if (view && view.builds.length >= builds && settled(view)) return view;
    if (Date.now() > deadline) {
      throw new Error(
        `the pipeline did not settle within ${timeoutMs} ms: ${JSON.stringify(view)}\n` +
          `log:\n${pipeline.run.output().slice(-8_000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** `dnf repoquery` against a repository of the pipeline's Azurite `repos` container: NEVRAs, sorted. */
export function dnfRepoquery(endpoints: Endpoints, repository: string): string[] {
  return repoquery(
    new BlobStore({ connectionString: endpoints.storageConnectionString }).url(
      reposContainer.name,
      repository,
    ),
  );
}

interface Listed<T> {
  readonly items: T[];
  readonly continuationToken?: string;
}

/** Every item of a status API list, following continuation tokens. */
export async function listAll<T>(pipeline: FixturePipeline, path: string): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const query = `${separator}limit=200${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
    const page = await pipeline.api<Listed<T>>(`${path}${query}`);
    items.push(...page.items);
    token = page.continuationToken;
  } while (token);
  return items;
}

/**
 * The check every reliability test ends with: the real `dnf` lists exactly `nevras` in `base/x86_64`, and
 * the records show exactly one plan item and one build (succeeded) per component of `components`.
 */
export async function expectExactlyPublished(
  pipeline: FixturePipeline,
  components: readonly string[],
  nevras: readonly string[],
): Promise<void> {
  expect(dnfRepoquery(pipeline.endpoints, 'base/x86_64')).toEqual([...nevras].sort());

  const plans = await listAll<{ planId: string }>(pipeline, 'plans');
  const planned: string[] = [];
  for (const plan of plans) {
    let token: string | undefined;
    do {
      const query = `?limit=200${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
      const one = await pipeline.api<{ items: Listed<{ component: string }> }>(
        `plans/${encodeURIComponent(plan.planId)}${query}`,
      );
      planned.push(...one.items.items.map((item) => item.component));
      token = one.items.continuationToken;
    } while (token);
  }
  expect(planned.sort(), 'plan items over all plans').toEqual([...components].sort());

  const builds = await listAll<{ component: string; state: string }>(pipeline, 'builds');
  expect(builds.map((b) => `${b.component} ${b.state}`).sort(), 'build records').toEqual(
    components.map((c) => `${c} succeeded`).sort(),
  );
}
