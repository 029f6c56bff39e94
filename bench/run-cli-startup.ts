import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../infra/os/project-paths';
import { measureCliStartup } from './cli-startup';
import { runBenchmark } from './main';

/**
 * `npm run build && node dist/bench/run-cli-startup.js [runs] [results file name] [label]`: only the CLI
 * start-up figures (bench/cli-startup.ts), printed and written to bench/results/<name> (default
 * cli-startup.json) with the commit they were measured at and `label` (say, what dist/ was built from).
 */
async function run(): Promise<void> {
  const runs = Number(process.argv[2]) || undefined;
  const name = process.argv[3] ?? 'cli-startup.json';
  const label = process.argv[4];
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: projectRoot(),
    encoding: 'utf8',
  });
  const figures = {
    measuredAt: new Date().toISOString(),
    commit: commit.trim(),
    label,
    ...measureCliStartup(runs),
  };
  const text = `${JSON.stringify(figures, null, 2)}\n`;
  process.stdout.write(text);
  const dir = join(projectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
}

runBenchmark(run);
