import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../infra/os/project-paths';
import { defaultWebhookBenchSettings, measureWebhookDelivery } from './webhook-delivery';
import { measureSessionStarvation } from './webhook-session-starvation';
import type { SessionStarvation } from './webhook-session-starvation';
import { runBenchmark } from './main';
import type { EffectRatios, WebhookDeliveryBench } from './webhook-delivery';

/**
 * `npm run bench:webhooks [burstSizes, e.g. 200,1000] [repetitions]`: webhook delivery on the local pipeline (throughput,
 * publish-to-arrival latency, and what a hanging and a slow failing endpoint do to the healthy ones), printed
 * as a table and written with the machine, date and commit to bench/results/webhook-delivery.json.
 */
async function run(): Promise<void> {
  const sizes = (process.argv[2] ?? '')
    .split(',')
    .map(Number)
    .filter((size) => size > 0);
  const burstSizes = sizes.length > 0 ? sizes : defaultWebhookBenchSettings.burstSizes;
  const repetitions = Number(process.argv[3]) || defaultWebhookBenchSettings.repetitions;
  const measuredAt = new Date().toISOString();
  const result = await measureWebhookDelivery(
    { ...defaultWebhookBenchSettings, burstSizes, repetitions },
    progress,
  );
  const sessionStarvation = await measureSessionStarvation(
    { retrySchedule: defaultWebhookBenchSettings.retrySchedule },
    progress,
  );
  const figures = { ...result, sessionStarvation };
  const text = `${JSON.stringify({ measuredAt, commit: gitCommit(), machine: machine(), ...figures, note }, null, 2)}\n`;
  const dir = join(projectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'webhook-delivery.json'), text);
  process.stdout.write(summaryTable(result) + starvationLines(sessionStarvation));
}

const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const note =
  'Local pipeline (azl-rebuilder start --no-demo: Azurite, local Service Bus broker, local functions host, host.json ' +
  'maxConcurrentSessions 8), one fresh pipeline per repetition running one, four, four-with-bad, four-after-bad in that order ' +
  '(after an unmeasured warm-up of warmUpEvents to the four healthy endpoints; four-after-bad after disabling the bad ' +
  'endpoints and waiting drainMs). ' +
  'Receivers are HTTP servers on 127.0.0.1 in the benchmark process; times are performance.now() of that process. ' +
  'deliveriesPerSecond = healthy deliveries of the burst / (last arrival - start of the one sendBatch of the burst). ' +
  'Paced latency: one event at a time (100 ms apart, the next after the previous arrived at every healthy endpoint), ' +
  'publish call to arrival, every (event, healthy endpoint). four-with-bad adds an endpoint that never answers ' +
  '(each attempt ends at the 15 s limit) and one answering 503 after slowFailureDelayMs, both retried on the short ' +
  'schedule. Summary figures are medians over the repetitions. Same 2-core machine for the pipeline and the receivers, ' +
  'shared with other work that may run meanwhile (loadAverage of each run).';

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: projectRoot(), encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function machine(): Record<string, unknown> {
  const cores = cpus();
  return {
    cpu: cores[0]?.model ?? 'unknown',
    cores: cores.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
  };
}

function summaryTable(result: WebhookDeliveryBench): string {
  const sizes = result.settings.burstSizes.map(String);
  const cell = (value: string | number, width = 10) => String(value).padStart(width);
  const rows = result.summary.map((row) =>
    [
      row.configuration.padEnd(14),
      ...sizes.map((size) => cell(row.deliveriesPerSecond[size] ?? '')),
      cell(row.pacedLatency.p50, 8),
      cell(row.pacedLatency.p95, 8),
      cell(row.pacedLatency.max, 8),
      cell(row.firstDelivery.p50, 10),
    ].join(' '),
  );
  const effect = (name: string, ratios: EffectRatios) =>
    `bad endpoints (four-with-bad / ${name}): deliveries/s ` +
    sizes.map((size) => `${size}: x${ratios.deliveriesPerSecond[size]}`).join(', ') +
    `; paced p50 x${ratios.pacedLatencyP50}, p95 x${ratios.pacedLatencyP95}`;
  return [
    `webhook delivery: medians of ${result.settings.repetitions} runs; deliveries/s per burst size; ` +
      `latency (ms) of ${result.settings.pacedEvents} paced events, publish to arrival`,
    [
      'configuration '.padEnd(14),
      ...sizes.map((size) => cell(`${size} ev/s`)),
      cell('p50', 8),
      cell('p95', 8),
      cell('max', 8),
      cell('first p50', 10),
    ].join(' '),
    ...rows,
    effect('four', result.badEndpointEffect.versusBefore),
    effect('four-after-bad', result.badEndpointEffect.versusAfter),
    '',
  ].join('\n');
}

function starvationLines(starvation: SessionStarvation): string {
  return [
    `session workers (maxConcurrentSessions ${starvation.maxConcurrentSessions}) held by hanging endpoints:`,
    ...starvation.cases.map(
      (row) =>
        `  ${row.hangingEndpoints} hanging: healthy endpoint latency ` +
        row.healthyLatencyMs.map((ms) => (ms === null ? `> ${starvation.waitMs}` : String(ms))).join(', ') +
        ' ms',
    ),
    '',
  ].join('\n');
}

runBenchmark(run);
