import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../infra/os/project-paths';
import { runBenchmark } from './main';
import { measureScaleFixture } from './scale-fixture';

/**
 * `npm run build && node dist/bench/scale-fixture-run.js`: the full-size scale fixture's generation time,
 * file sizes and the plans of its three workloads, printed and written to bench/results/scale-fixture.json.
 */
async function run(): Promise<void> {
  const scaleFixture = await measureScaleFixture();
  process.stdout.write(`scale fixture: ${JSON.stringify(scaleFixture)}\n`);
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' };
  const text = `${JSON.stringify({ measuredAt: new Date().toISOString(), machine, scaleFixture }, null, 2)}\n`;
  const dir = join(projectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'scale-fixture.json'), text);
  process.stdout.write(`written to ${join(dir, 'scale-fixture.json')}\n`);
}

runBenchmark(run);
