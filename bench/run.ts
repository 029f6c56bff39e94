import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../infra/os/project-paths';
import { measureBrokerThroughput } from './broker-throughput';
import { measureHostDispatch } from './host-dispatch';
import { measureCatchUpCost } from './catch-up-cost';
import { measureNormalizeThroughput } from './normalize-throughput';
import { measureOverlayRender } from './overlay-render';
import { measureDepsIndex } from './deps-index';
import { measureDistroLoad } from './distro-load';
import { measurePlanLatency } from './plan-latency';
import { measureWorkerOverhead } from './build-worker-overhead';
import { measureRepoIndex } from './repo-index';
import { measureLocalBuild } from './local-build';
import { measureRepoPublish } from './repo-publish';
import { measurePipelineEndToEnd } from './pipeline-end-to-end';
import { runBenchmark } from './main';
import { measureTelemetryOverhead } from './telemetry-overhead';
import { measureVhdWrite } from './vhd-write';
import { measurePageBlobUpload } from './page-blob-upload';
import { measureCliStartup } from './cli-startup';

/**
 * The CLI start-up figures measured before its commands were loaded lazily (bench/results/cli-startup-before.json,
 * written by bench/run-cli-startup.ts from a build of the commit it names), kept beside each new measurement.
 */
function cliStartupBefore(): unknown {
  const file = join(projectRoot(), 'bench', 'results', 'cli-startup-before.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : null;
}

/** `npm run bench`: measures, prints, and writes the figures to bench/results/latest.json. */
async function run(): Promise<void> {
  const broker = await measureBrokerThroughput(10_000);
  process.stdout.write(`broker: ${JSON.stringify(broker)}\n`);
  const host = await measureHostDispatch(2_000, 1_000);
  process.stdout.write(`host:   ${JSON.stringify(host)}\n`);
  const normalize = await measureNormalizeThroughput();
  process.stdout.write(`normalize: ${JSON.stringify(normalize)}\n`);
  const catchUp = await measureCatchUpCost();
  process.stdout.write(`catch-up: ${JSON.stringify(catchUp)}\n`);
  const overlayRender = measureOverlayRender();
  process.stdout.write(`overlay render: ${JSON.stringify(overlayRender)}\n`);
  const distroLoad = measureDistroLoad();
  process.stdout.write(`distro load: ${JSON.stringify(distroLoad)}\n`);
  const depsIndex = await measureDepsIndex();
  process.stdout.write(`deps index: ${JSON.stringify(depsIndex)}\n`);
  const workerOverhead = await measureWorkerOverhead();
  process.stdout.write(`build worker overhead: ${JSON.stringify(workerOverhead)}\n`);
  const planLatency = await measurePlanLatency();
  process.stdout.write(`plan latency: ${JSON.stringify(planLatency)}\n`);
  const repoIndex = measureRepoIndex();
  process.stdout.write(`repo index: ${JSON.stringify(repoIndex)}\n`);
  const localBuild = await measureLocalBuild();
  process.stdout.write(`local build: ${JSON.stringify(localBuild)}\n`);
  const repoPublish = await measureRepoPublish();
  process.stdout.write(`repo publish: ${JSON.stringify(repoPublish)}\n`);
  const pipelineEndToEnd = await measurePipelineEndToEnd();
  process.stdout.write(`pipeline end to end: ${JSON.stringify(pipelineEndToEnd)}\n`);
  const telemetryOverhead = await measureTelemetryOverhead();
  process.stdout.write(`telemetry overhead: ${JSON.stringify(telemetryOverhead)}\n`);
  const cliStartup = { before: cliStartupBefore(), now: measureCliStartup() };
  process.stdout.write(`cli start-up: ${JSON.stringify(cliStartup.now)}\n`);
  // The image steps last: they write several GiB to the temporary folder; the upload takes minutes.
  const vhdWrite = await measureVhdWrite();
  process.stdout.write(`vhd write: ${JSON.stringify(vhdWrite)}\n`);
  const pageBlobUpload = await measurePageBlobUpload();
  process.stdout.write(`page blob upload: ${JSON.stringify(pageBlobUpload)}\n`);
  const results = {
    measuredAt: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' },
    broker,
    host,
    normalize,
    catchUp,
    overlayRender,
    distroLoad,
    depsIndex,
    planLatency,
    workerOverhead,
    repoIndex,
    localBuild,
    repoPublish,
    pipelineEndToEnd,
    telemetryOverhead,
    vhdWrite,
    pageBlobUpload,
    cliStartup,
  };
  const dir = join(projectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`written to ${file}\n`);
}

runBenchmark(run);
