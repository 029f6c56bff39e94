import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { Builder, BuildInput, BuildOutcome } from '../../../shared/build/builder';
import { describeError, PipelineError } from '../../../shared/errors';
import { classifyBuild, logExcerpt } from '../../../shared/build/log-classify';
import { rpmbuildArguments } from '../../../shared/build/rpmbuild-arguments';
import { runLogged } from './run-logged';
import { builtPackages, layoutTopdir } from './topdir';

export interface RpmbuildBuilderOptions {
  /** The rpmbuild executable (default `rpmbuild` on PATH). */
  readonly rpmbuildPath?: string;
  /** How long the build's processes get between SIGTERM and SIGKILL at the time limit (default 2 s). */
  readonly killGraceMs?: number;
  /** Lines of the log kept in a failure's `logExcerpt` (default 60). */
  readonly excerptLines?: number;
  /**
   * rpmbuild processes run at once (default: the machine's CPUs); more builds wait their turn. The host may
   * hold many build messages at once (host.json's maxConcurrentSessions, sized for builds that are handed to
   * Container Apps Jobs), and a compiler per message would only make every build slower.
   */
  readonly maxParallel?: number;
}

/**
 * Builds with this machine's `rpmbuild`: `rpmbuild -ba` in a private `_topdir` under `input.workDir`, the
 * distro's macros and the component's bconds on the command line (see rpmbuild-arguments.ts, also for why
 * `--nodeps`), stopped at the time limit with its whole process group. The full log is `workDir/build.log`;
 * what a failure means is decided from it by shared/build/log-classify.ts.
 *
 * HOME is the work folder, so no `~/.rpmmacros` of the user running the worker changes the build.
 */
export class RpmbuildBuilder implements Builder {
  readonly name = 'rpmbuild';

  private readonly limit: pLimit.Limit;

  constructor(private readonly options: RpmbuildBuilderOptions = {}) {
    this.limit = pLimit(Math.max(1, options.maxParallel ?? availableParallelism()));
  }

  build(input: BuildInput): Promise<BuildOutcome> {
    return this.limit(() => this.buildNow(input));
  }

  private async buildNow(input: BuildInput): Promise<BuildOutcome> {
    mkdirSync(input.workDir, { recursive: true });
    const logPath = join(input.workDir, 'build.log');
    const topdir = layoutTopdir(input.workDir, input.sourceDir, input.specFile);
    const args = rpmbuildArguments({
      topdir: topdir.root,
      specPath: topdir.specPath,
      macros: input.macros,
      with: input.with,
      without: input.without,
    });
    const end = await runLogged({
      command: this.options.rpmbuildPath ?? 'rpmbuild',
      args,
      cwd: input.workDir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: input.workDir,
        LANG: 'C.UTF-8',
        LC_ALL: 'C.UTF-8',
      },
      logPath,
      timeLimitMs: input.timeLimitMs,
      ...(input.signal ? { signal: input.signal } : {}),
      ...(this.options.killGraceMs !== undefined ? { killGraceMs: this.options.killGraceMs } : {}),
    });
    const log = readLog(logPath);
    const failure = classifyBuild(end, log);
    const packages = failure ? [] : builtPackages(topdir.root);
    if (!failure && packages.some((file) => file.kind === 'srpm')) {
      return { state: 'succeeded', files: [...packages, { path: logPath, kind: 'log' }], logPath };
    }
    const { code, retryable, message } = failure ?? {
      code: 'build.failed',
      retryable: false,
      message: 'rpmbuild succeeded but wrote no source package',
    };
    return {
      state: 'failed',
      code,
      retryable,
      message,
      logPath,
      logExcerpt: logExcerpt(log, this.options.excerptLines ?? 60),
    };
  }
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw PipelineError.transient(
      'build.log-unreadable',
      `cannot read the build log: ${describeError(error)}`,
      {
        file: path,
      },
    );
  }
}
