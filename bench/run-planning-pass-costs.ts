import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../infra/os/project-paths';
import { runBenchmark } from './main';
import { measurePlanningPassCosts } from './planning-pass-costs';

/**
 * `node dist/bench/run-planning-pass-costs.js [sources]` (after `npm run build`): what issue 20 item 5 changed
 * on the planning side (the tree cache, state read on demand), printed and written to
 * bench/results/planning-pass-costs.json. The table reads of a pass are counted by the test
 * tests/infra/planning-pass/planning-pass-reads.test.ts.
 */
async function run(): Promise<void> {
  const sources = Number(process.argv[2]) || undefined;
  const result = await measurePlanningPassCosts(sources);
  const text = `${JSON.stringify({ measuredAt: new Date().toISOString(), ...result }, null, 2)}\n`;
  process.stdout.write(text);
  const dir = join(projectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'planning-pass-costs.json'), text);
}

runBenchmark(run);
