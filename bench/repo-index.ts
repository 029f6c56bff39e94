import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexDirectory } from '../infra/rpm/index-directory';
import { readRpmFile } from '../infra/rpm/read-rpm-file';
import { writeRepodataDir } from '../infra/rpm/write-repodata-dir';
import { projectRoot } from '../infra/os/project-paths';
import {
  createRepodataRecord,
  RecordSet,
  RepodataCache,
  repodataRecordSchema,
  writeRepodata,
} from '../shared/repodata';
import type { RepodataRecord } from '../shared/repodata';
import { generateRpm } from '../testing/rpm/rpm-generator';
import { round } from '../testing/measure';

export interface FullIndexFigures {
  packages: number;
  createrepoMs: number;
  /**
   * `indexDirectory` + `writeRepodata` + `writeRepodataDir` in this process, after one run that warmed the JIT
   * (as createrepo_c's first run warmed the page cache): the steady cost, without node start-up.
   */
  oursInProcessMs: number;
  /** That first in-process run: cold JIT, still without node start-up. */
  oursColdMs: number;
  /** `node bin/azl-rebuilder.js repo index <dir>` as a child process: start-up, module loading, cold JIT. */
  oursCliMs: number;
  /** `node bin/azl-rebuilder.js --help`: the CLI's start-up alone, the part of `oursCliMs` not indexing. */
  cliStartupMs: number;
  ratioInProcess: number;
  ratioCli: number;
  /**
   * CPU time (user + system, all threads) of the same median rounds: on a machine shared with other work the
   * wall times above mostly measure waiting, CPU time the work. createrepo_c's is read from /proc (10 ms steps).
   */
  cpu: { createrepoMs: number; oursInProcessMs: number; ratioInProcess: number };
}

export interface RepoIndexFigures {
  full: FullIndexFigures;
  addOne: {
    packages: number;
    createrepoUpdateMs: number;
    /** Records already in memory and the segment cache warm from the previous generation. */
    oursWarmMs: number;
    /** Records read back from a JSON file (schema-checked), no cache. */
    oursColdMs: number;
    recordsFileMb: number;
    ratioWarm: number;
    ratioCold: number;
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
/** CPU ms of this process (all its threads) and of its waited-for children (Linux /proc; NaN elsewhere). */
const cpuNow = (): { own: number; children: number } => {
  const usage = process.cpuUsage();
  let children = NaN;
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    children = (Number(fields[13]) + Number(fields[14])) * 10; // cutime + cstime, 100 ticks a second
  } catch {
    // not Linux
  }
  return { own: (usage.user + usage.system) / 1000, children };
};
/** Wall and CPU ms of `work`: CPU of this process, or of the children it waited for when `child`. */
const timeWithCpu = (work: () => void, child: boolean): [number, number] => {
  const before = cpuNow();
  const wall = time(work);
  const after = cpuNow();
  return [wall, child ? after.children - before.children : after.own - before.own];
};
const time = (work: () => void): number => {
  const started = performance.now();
  work();
  return performance.now() - started;
};
const createrepo = (dir: string, ...flags: string[]) =>
  execFileSync('createrepo_c', ['--no-database', ...flags, dir], { stdio: 'ignore' });

function generate(dir: string, count: number, prefix: string): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const name = `${prefix}${i.toString(36).padStart(4, '0')}`;
    const pkg = {
      name,
      version: `${1 + (i % 7)}.${i % 13}`,
      release: `${1 + (i % 3)}.bench`,
      files: [`/usr/bin/${name}`, `/usr/share/doc/${name}/README`],
      requires: [{ name: 'glibc', flags: 12, version: '2.38' }],
      changelog: [
        { time: 1_700_000_000 - i, author: `Bench <b@example.invalid> - 1.0-1`, text: `- build ${i}` },
      ],
    };
    writeFileSync(join(dir, `${name}-${pkg.version}-${pkg.release}.x86_64.rpm`), generateRpm(pkg));
  }
}

/**
 * A full index of `count` generated packages beside `createrepo_c --no-database` (default workers), both
 * measured here in the same run on the same folder: after one warm-up run each, `runs` rounds that time
 * createrepo_c and ours in-process alternately (so a change in the machine's load hits both), medians;
 * then ours as the CLI process, and the CLI's bare start-up for reading the difference.
 */
export function measureFullIndex(count = 2_000, runs = 3): FullIndexFigures {
  const root = mkdtempSync(join(tmpdir(), 'bench-repo-full-'));
  try {
    const full = join(root, 'full');
    generate(full, count, 'p');
    const indexOnce = () => {
      const now = Math.floor(Date.now() / 1000);
      writeRepodataDir(full, writeRepodata(indexDirectory(full), { revision: String(now), timestamp: now }));
    };
    createrepo(full); // warm the page cache
    const oursCold = time(indexOnce);
    const rounds = Array.from({ length: runs }, () => ({
      theirs: timeWithCpu(() => createrepo(full), true),
      ours: timeWithCpu(indexOnce, false),
    }));
    const [theirs, ours, theirsCpu, oursCpu] = [
      rounds.map((r) => r.theirs[0]),
      rounds.map((r) => r.ours[0]),
      rounds.map((r) => r.theirs[1]),
      rounds.map((r) => r.ours[1]),
    ].map(median) as [number, number, number, number];
    const repeat = (work: () => void) => median(Array.from({ length: runs }, () => time(work)));
    const bin = join(projectRoot(), 'bin', 'azl-rebuilder.js');
    const cli = (...args: string[]) => execFileSync(process.execPath, [bin, ...args], { stdio: 'ignore' });
    const oursCli = repeat(() => cli('repo', 'index', full));
    const startup = repeat(() => cli('--help'));
    return {
      packages: count,
      createrepoMs: round(theirs, 1),
      oursInProcessMs: round(ours, 1),
      oursColdMs: round(oursCold, 1),
      oursCliMs: round(oursCli, 1),
      cliStartupMs: round(startup, 1),
      ratioInProcess: round(ours / theirs, 2),
      ratioCli: round(oursCli / theirs, 2),
      cpu: {
        createrepoMs: round(theirsCpu, 1),
        oursInProcessMs: round(oursCpu, 1),
        ratioInProcess: round(oursCpu / theirsCpu, 2),
      },
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Side by side with createrepo_c (`--no-database`, default workers), on generated small RPMs: a full index of
 * `fullCount` packages (`measureFullIndex`), and adding one package to a `bigCount`-package repository
 * (createrepo_c `--update`, median of 3 from the same starting state; ours from stored records, warm and cold).
 */
export function measureRepoIndex(fullCount = 2_000, bigCount = 20_000): RepoIndexFigures {
  const full = measureFullIndex(fullCount);
  const root = mkdtempSync(join(tmpdir(), 'bench-repo-index-'));
  try {
    const big = join(root, 'big');
    generate(big, bigCount, 'q');
    createrepo(big);
    const saved = join(root, 'big-repodata');
    cpSync(join(big, 'repodata'), saved, { recursive: true });
    const records = indexDirectory(big);
    const recordsFile = join(root, 'records.json');
    writeFileSync(recordsFile, JSON.stringify(records));
    const cache = new RepodataCache();
    writeRepodata(records, { revision: '1', timestamp: 1, cache });
    const extra = join(root, 'extra');
    generate(extra, 1, 'zz-new');
    const newName = 'zz-new0000-1.0-1.bench.x86_64.rpm';
    cpSync(join(extra, newName), join(big, newName));
    const addTo = (set: RecordSet, revision: string, useCache?: RepodataCache) => {
      const file = readRpmFile(join(big, newName));
      set.add(
        createRepodataRecord(file.pkg, {
          pkgId: file.sha256,
          locationHref: newName,
          fileTime: file.mtime,
          fileSize: file.size,
        }),
      );
      const output = writeRepodata(set.records(), { revision, timestamp: Number(revision), cache: useCache });
      writeRepodataDir(join(root, 'out'), output);
    };
    const theirsUpdate = median(
      [0, 1, 2].map(() => {
        rmSync(join(big, 'repodata'), { recursive: true, force: true });
        cpSync(saved, join(big, 'repodata'), { recursive: true });
        return time(() => createrepo(big, '--update'));
      }),
    );
    const oursWarm = median(
      [0, 1, 2].map((i) => time(() => addTo(new RecordSet(records), String(2 + i), cache))),
    );
    const oursCold = median(
      [0, 1, 2].map((i) =>
        time(() => {
          const stored = (JSON.parse(readFileSync(recordsFile, 'utf8')) as unknown[]).map(
            (r): RepodataRecord => repodataRecordSchema.parse(r),
          );
          addTo(new RecordSet(stored), String(10 + i));
        }),
      ),
    );
    return {
      full,
      addOne: {
        packages: bigCount,
        createrepoUpdateMs: round(theirsUpdate, 1),
        oursWarmMs: round(oursWarm, 1),
        oursColdMs: round(oursCold, 1),
        recordsFileMb: round(readFileSync(recordsFile).length / 1024 / 1024, 1),
        ratioWarm: round(oursWarm / theirsUpdate, 2),
        ratioCold: round(oursCold / theirsUpdate, 2),
      },
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
