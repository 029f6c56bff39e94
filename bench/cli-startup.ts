import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../infra/os/project-paths';
import { round } from '../testing/measure';
import { generateRpm } from '../testing/rpm/rpm-generator';
import { median } from './pipeline/stats';

/** Whole-process figures of one command line, over every run. */
export interface ProcessTiming {
  /** The arguments after `node bin/azl-rebuilder.js` (or after `node` for the bare-node baseline). */
  readonly command: string;
  /** Wall time from spawn to exit, as a user waits for it: median and 90th percentile (nearest rank). */
  readonly wallMs: { readonly p50: number; readonly p90: number; readonly min: number };
  /**
   * CPU time (user + system) of the child, the mean over the runs: on a shared machine the wall time mostly
   * measures waiting for a core, the CPU time the work. Read from /proc in 10 ms ticks, so only the mean of
   * many runs is meaningful.
   */
  readonly cpuMsMean: number;
  /** The exit code of the last run (a `--version` that does not exist exits 2: still a start-up). */
  readonly exitCode: number | null;
}

export interface CliStartupFigures {
  readonly runs: number;
  /** `node -e 0`: what any node process costs here, the floor under every CLI figure. */
  readonly node: ProcessTiming;
  readonly commands: readonly ProcessTiming[];
  /**
   * Per command, its wall p50 minus bare node's: the CLI's own start-up and work, the figure the
   * "under 100 ms of CLI start-up" goal reads (`--version` does no work, so its figure is start-up alone).
   */
  readonly overNodeMs: Readonly<Record<string, number>>;
  /** The same in CPU time (mean minus bare node's mean): steadier than wall time on a loaded machine. */
  readonly overNodeCpuMs: Readonly<Record<string, number>>;
  readonly loadAverage: { readonly start: number; readonly end: number };
}

/** CPU ms (user + system) of the children this process has waited for, from /proc (NaN off Linux). */
function childrenCpuMs(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[13]) + Number(fields[14])) * 10; // cutime + cstime, 100 ticks a second
  } catch {
    return NaN;
  }
}

const nearestRank = (sorted: readonly number[], p: number): number =>
  sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/** A folder of `count` small generated RPMs: the "small folder" a quick `repo index` is run on. */
export function writeSmallRpmFolder(dir: string, count: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const name = `startup${i}`;
    const rpm = generateRpm({
      name,
      version: '1.0',
      release: '1.bench',
      files: [`/usr/bin/${name}`],
      requires: [{ name: 'glibc', flags: 12, version: '2.38' }],
      changelog: [{ time: 1_700_000_000, author: 'Bench <b@example.invalid> - 1.0-1', text: '- build' }],
    });
    writeFileSync(join(dir, `${name}-1.0-1.bench.x86_64.rpm`), rpm);
  }
}

/**
 * Whole-process wall and CPU time of short `azl-rebuilder` commands, spawned as a user runs them
 * (`node bin/azl-rebuilder.js …`, so it needs `npm run build`): `--version`, `--help`, `config check` of the
 * fixture distro tree and `repo index` of a folder of 20 small RPMs, beside bare `node -e 0`. `config check
 * --help` and `repo index --help` load what those commands load and do no work: their start-up alone. One warm-up run
 * each (page cache), then `runs` rounds that run every command once in turn, so a change in the machine's load
 * falls on all of them alike.
 */
export function measureCliStartup(runs = 25): CliStartupFigures {
  const root = projectRoot();
  const bin = join(root, 'bin', 'azl-rebuilder.js');
  const work = mkdtempSync(join(tmpdir(), 'bench-cli-startup-'));
  try {
    const rpms = join(work, 'rpms');
    writeSmallRpmFolder(rpms, 20);
    const distro = join(root, 'tests', 'fixtures', 'upstream', 'distro');
    const lines: { command: string; argv: string[] }[] = [
      { command: '-e 0', argv: ['-e', '0'] },
      ...[
        ['--version'],
        ['--help'],
        ['config', 'check', '--help'],
        ['config', 'check', distro],
        ['repo', 'index', '--help'],
        ['repo', 'index', rpms, '--out', join(work, 'out'), '--revision', '1'],
      ].map((args) => ({
        command: args.map((arg) => arg.replace(root + '/', '').replace(work + '/', '<tmp>/')).join(' '),
        argv: [bin, ...args],
      })),
    ];
    const samples = lines.map(() => ({ wall: [] as number[], cpu: 0, exitCode: null as number | null }));
    const once = (index: number): void => {
      const sample = samples[index]!;
      const cpuBefore = childrenCpuMs();
      const started = performance.now();
      const result = spawnSync(process.execPath, lines[index]!.argv, { cwd: root, stdio: 'ignore' });
      sample.wall.push(performance.now() - started);
      sample.cpu += childrenCpuMs() - cpuBefore;
      sample.exitCode = result.status;
    };
    const start = loadavg()[0] ?? 0;
    lines.forEach((_, index) => once(index));
    samples.forEach((sample) => Object.assign(sample, { wall: [], cpu: 0 }));
    for (let round = 0; round < runs; round++) lines.forEach((_, index) => once(index));
    const end = loadavg()[0] ?? 0;
    const timings = lines.map(({ command }, index): ProcessTiming => {
      const { wall, cpu, exitCode } = samples[index]!;
      const sorted = [...wall].sort((a, b) => a - b);
      return {
        command,
        wallMs: {
          p50: round(median(sorted), 1),
          p90: round(nearestRank(sorted, 90), 1),
          min: round(sorted[0]!, 1),
        },
        cpuMsMean: round(cpu / runs, 1),
        exitCode,
      };
    });
    const [node, ...commands] = timings as [ProcessTiming, ...ProcessTiming[]];
    return {
      runs,
      node,
      commands,
      overNodeMs: Object.fromEntries(
        commands.map((c) => [c.command, round(c.wallMs.p50 - node.wallMs.p50, 1)]),
      ),
      overNodeCpuMs: Object.fromEntries(
        commands.map((c) => [c.command, round(c.cpuMsMean - node.cpuMsMean, 1)]),
      ),
      loadAverage: { start: round(start, 2), end: round(end, 2) },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
