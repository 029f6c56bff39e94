import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { describeError, PipelineError } from '../../shared/errors';
import { buildLocally } from '../../infra/builders/build-locally';
import { RpmbuildBuilder } from '../../infra/builders/rpmbuild';

interface BuildCommandOptions {
  config: string;
  component: string;
  upstream: string;
  out: string;
  workDir?: string;
  timeLimit: number;
}

const seconds = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new InvalidArgumentError('expected a number of seconds > 0');
  return parsed;
};

/**
 * `azl-rebuilder build --config <dir> --component <name> --upstream <dir> --out <dir>`: renders one component
 * from an upstream folder (a dist-git checkout with its sources downloaded) with its overlays, as `overlays
 * apply --config` does, builds it with this machine's rpmbuild and copies the SRPM, the RPMs and build.log to
 * `--out`. Prints one JSON summary line on stdout: `{state, component, nevras, files: [{path, sha256, size,
 * kind}], logPath, buildMs}` (and `code`, `message`, `logExcerpt` on failure).
 * Exit code: 0 built, 3 overlay drift (`overlay.drift`), 4 the build failed, 1 any other error.
 */
export function registerBuildCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('build')
    .description('render one component with its overlays and build it locally with rpmbuild')
    .requiredOption('--config <dir>', 'the distro tree (folder of azldev.toml)')
    .requiredOption('--component <name>', 'the component to build')
    .requiredOption('--upstream <dir>', 'upstream folder: dist-git checkout with the sources downloaded')
    .requiredOption('--out <dir>', 'folder to copy the SRPM, RPMs and build.log to')
    .option('--work-dir <dir>', 'keep the render and the rpmbuild _topdir here (default: a temporary folder)')
    .option('--time-limit <seconds>', 'stop the build after this long', seconds, 3600)
    .action(async (options: BuildCommandOptions) => {
      setExitCode(await runBuild(options));
    });
}

export async function runBuild(options: BuildCommandOptions): Promise<number> {
  try {
    const summary = await buildLocally({
      config: options.config,
      component: options.component,
      upstream: options.upstream,
      out: resolve(options.out),
      builder: new RpmbuildBuilder(),
      timeLimitMs: Math.round(options.timeLimit * 1000),
      ...(options.workDir !== undefined ? { workDir: resolve(options.workDir) } : {}),
    });
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    if (summary.state === 'overlay-drift') {
      process.stderr.write(`azl-rebuilder build: overlay drift: ${summary.message ?? ''}\n`);
      return 3;
    }
    if (summary.state === 'failed') {
      process.stderr.write(
        `azl-rebuilder build: ${summary.code ?? 'build.failed'}: ${summary.message ?? ''}\n`,
      );
      return 4;
    }
    return 0;
  } catch (error) {
    process.stderr.write(`azl-rebuilder build: ${describeError(error)}\n`);
    if (PipelineError.is(error)) process.stderr.write(`${JSON.stringify(error)}\n`);
    return 1;
  }
}
