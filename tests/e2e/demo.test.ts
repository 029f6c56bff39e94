import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { DemoImageSummary } from '../../hosts/local/demo/demo-image';
import type { DemoSummary } from '../../hosts/local/demo/run-demo';
import type { CliRun } from '../../testing/pipeline/cli-process';
import { ephemeralPorts, processesMentioning, runCli } from '../../testing/pipeline/cli-process';
import { repoquery } from '../../testing/rpm/dnf';
import { useTempDir } from '../../testing/temp-dirs';

/**
 * The README's run command: `azl-rebuilder start` runs the demo by default. It replays Fedora messages about
 * the small Fedora; the pipeline plans, builds with rpmbuild and publishes to Azurite, and the real `dnf`
 * then sees exactly the built packages, with the overlays' effects in their headers.
 */
const dataDir = useTempDir('azl-demo-');
let run: CliRun;
let summary: DemoSummary;

beforeAll(async () => {
  run = runCli(['start', '--data-dir', dataDir, ...ephemeralPorts]);
  const file = join(dataDir, 'demo-summary.json');
  const deadline = Date.now() + 300_000;
  while (!existsSync(file)) {
    if (run.child.exitCode !== null) throw new Error(`start exited early:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`no demo summary:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  summary = JSON.parse(readFileSync(file, 'utf8')) as DemoSummary;
}, 360_000);

afterAll(async () => {
  run.child.kill('SIGINT');
  await run.exited;
  for (const pid of processesMentioning(dataDir)) process.kill(pid, 'SIGKILL');
});

const dnf = (...args: string[]): string[] =>
  repoquery(/--repofrompath=azl,(\S+)/.exec(summary.dnf)?.[1] ?? '', ...args);

test('the demo settles: events accepted, ignored and rejected, every relevant component built and published', () => {
  expect(summary.settled, run.output()).toBe(true);
  expect(summary.events).toEqual({ accepted: 6, duplicate: 1, rejected: 1 });
  expect(summary.builds).toEqual({ succeeded: 4 });
  expect(summary.repositories.map((r) => [r.repository, r.packages])).toEqual([
    ['base/srpms', 4],
    ['base/x86_64', 5],
  ]);
  expect(run.output()).toContain('list the published packages with:');
});

test('dnf against the Azurite URL lists exactly the built packages, and sees the overlays in their headers', () => {
  expect(dnf()).toEqual([
    'azl-filesystem-0:1.0-1.azl4.noarch',
    'azl-greeter-0:2.1-2.azl4.x86_64',
    'azl-hello-lib-0:1.0-3.azl4.x86_64',
    'azl-hello-lib-devel-0:1.0-3.azl4.x86_64',
    'azl-hello-tool-0:1.0-1.azl4.x86_64',
  ]);
  // The Provides added by azl-hello-lib's spec-add-tag overlay.
  expect(dnf('--whatprovides', 'azl-greeting-library')).toEqual(['azl-hello-lib-0:1.0-3.azl4.x86_64']);
  expect(dnf('--requires', '--resolve', 'azl-hello-lib-devel')).toContain(
    'azl-hello-lib-0:1.0-3.azl4.x86_64',
  );
});

test('the status API reports the demo: its plan and items with reasons, the builds, why a component was rebuilt', async () => {
  const endpoints = JSON.parse(readFileSync(join(dataDir, 'endpoints.json'), 'utf8')) as {
    apiBaseUrl: string;
    functionKey: string;
  };
  const get = async (path: string) => {
    const response = await fetch(`${endpoints.apiBaseUrl}/${path}`, {
      headers: { 'x-functions-key': endpoints.functionKey },
    });
    expect(response.status, path).toBe(200);
    return (await response.json()) as Record<string, unknown> & { items?: Record<string, unknown>[] };
  };
  // With the demo's debounce of 0, how many passes the events fall into depends on timing; together the
  // plans hold each relevant component once.
  const plans = await get('plans');
  const withItems = (plans.items ?? []).filter((p) => Number(p['plannedCount']) > 0);
  expect(withItems.reduce((sum, p) => sum + Number(p['plannedCount']), 0)).toBe(4);
  const details = await Promise.all(withItems.map((p) => get(`plans/${String(p['planId'])}`)));
  expect(JSON.stringify(details)).toContain('azl-hello-lib');
  const builds = await get('builds?state=succeeded');
  expect(builds.items?.map((b) => b['component']).sort()).toEqual([
    'azl-filesystem',
    'azl-greeter',
    'azl-hello-lib',
    'azl-hello-tool',
  ]);
  const component = await get('components/azl-hello-lib');
  expect(component).toMatchObject({
    component: 'azl-hello-lib',
    lastRebuild: { reasons: [{ package: 'azl-hello-lib' }] },
  });
  const failures = await fetch(`${endpoints.apiBaseUrl}/builds/nope@0000000000000000`, {
    headers: { 'x-functions-key': endpoints.functionKey },
  });
  expect(failures.status).toBe(404);
});

test('after its packages, the demo builds its preview image through the pipeline and prints where it is', async () => {
  const { images } = JSON.parse(readFileSync(join(dataDir, 'demo-summary.json'), 'utf8')) as {
    images: DemoImageSummary[];
  };
  expect(
    images.map((i) => [i.image, i.state]),
    run.output(),
  ).toEqual([['demo-vm', 'published']]);
  const [image] = images as [DemoImageSummary];
  expect(image.packages).toEqual([
    'azl-filesystem-1.0-1.azl4.noarch',
    'azl-greeter-2.1-2.azl4.x86_64',
    'azl-hello-lib-1.0-3.azl4.x86_64',
    'azl-hello-tool-1.0-1.azl4.x86_64',
  ]);
  expect(image.missing).toEqual(['grub2-efi-x64', 'kernel', 'shim']);
  expect(run.output()).toContain(`VHD:      ${image.vhdUrl ?? '?'}`);
  // The URL alone is enough: anonymous read, the whole fixed VHD with its footer.
  const vhd = Buffer.from(await (await fetch(image.vhdUrl ?? '')).arrayBuffer());
  expect(vhd.subarray(vhd.length - 512, vhd.length - 504).toString('latin1')).toBe('conectix');
  expect(createHash('sha256').update(vhd).digest('hex')).toBe(image.sha256);
});
