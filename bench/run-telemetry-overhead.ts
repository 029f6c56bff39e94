import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../infra/os/project-paths';
import { runBenchmark } from './main';
import { measureTelemetryOverhead } from './telemetry-overhead';

/**
 * `npm run bench:telemetry [eventsPerBlock]`: only the telemetry overhead (export on vs off; the whole
 * `npm run bench` takes many minutes), printed and written to bench/results/telemetry-overhead.json.
 */
async function run(): Promise<void> {
  const events = Number(process.argv[2]) || undefined;
  const result = await measureTelemetryOverhead(events ? { eventsPerBlock: events } : {});
  const text = `${JSON.stringify({ measuredAt: new Date().toISOString(), ...result }, null, 2)}\n`;
  process.stdout.write(text);
  const dir = join(projectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'telemetry-overhead.json'), text);
}

runBenchmark(run);
