import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DepsIndex } from '../../shared/deps';
import { loadDistroTree } from '../../shared/distro';
import { describeError, PipelineError } from '../../shared/errors';
import type { PlannerPolicy, PlannerState } from '../../shared/planner';
import { defaultPolicy, modelFromDistroTree, plan } from '../../shared/planner';
import { dependencyViewOf } from '../../shared/planner/deps-view';
import { loadRepository } from '../../infra/deps/load-repository';
import { FsDistroFiles } from '../../infra/distro/fs-distro-files';
import type { Progress } from '../../shared/progress';
import { readPlanInputs, withDuplicateInputs } from './plan-inputs';
import { progressFor } from './progress-choice';

interface PlanOptions {
  readonly config: string;
  readonly repodata?: string;
  readonly sourceRepodata?: string;
  readonly state?: string;
  readonly rawhide?: string;
  /** Seconds of debounce window; 0 (the default): none. */
  readonly debounce: number;
  /** The time the window is measured back from (ISO 8601); default: the current time. */
  readonly now?: Date;
}

const seconds = (value: string): number => {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0)
    throw new InvalidArgumentError('expected a number of seconds ≥ 0');
  return parsed;
};

const instant = (value: string): Date => {
  const millis = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || !Number.isFinite(millis))
    throw new InvalidArgumentError('expected an ISO 8601 date-time, e.g. 2026-03-01T12:00:00Z');
  return new Date(millis);
};

const stateFile = z.object({
  components: z.record(z.string(), z.looseObject({})).default({}),
  plannedMessageIds: z.array(z.string()).default([]),
});

/**
 * `azl-rebuilder plan --config <dir> [--repodata <dir|URL>] [--source-repodata <dir|URL>] [--state <file>]
 * [--debounce <seconds> [--now <time>]] <event files…>`: the rebuild plan for recorded events (normalized
 * events, or raw Fedora messages in any serialized form), as JSON on stdout. `--state` holds earlier locks and
 * fingerprints to replay scenarios.
 *
 * It answers "what do these events rebuild?", so there is no debounce window unless `--debounce` asks for
 * one (the live pass holds a component for `AZL_PLANNER_DEBOUNCE_SECONDS`, default 60, after its newest
 * event; `--debounce 60` simulates that at `--now`, default the current time). The planner decides duplicates, relevance and pins before the window
 * (`shared/planner/plan.ts`), so those answers do not depend on it. A message repeated in the input is a
 * `duplicate` skip naming its `input` (`<file>#<index>`) and `duplicateOf`, the input of its first copy.
 * Reading the repodata (a download of Fedora's takes a while) shows progress on stderr: see `progressFor`.
 */
export function registerPlanCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('plan')
    .description('print the rebuild plan for recorded Fedora events')
    .requiredOption('--config <dir>', 'the distro tree (folder of azldev.toml)')
    .option('--repodata <dir|url>', 'binary repository (rpm-md) for the dependency index')
    .option('--source-repodata <dir|url>', 'source repository (rpm-md): the BuildRequires')
    .option('--state <file>', 'JSON with earlier locks and fingerprints: {components, plannedMessageIds}')
    .option('--rawhide <release>', 'the Fedora release number Rawhide currently is')
    .option(
      '--debounce <seconds>',
      'hold a component whose newest event is younger than this, as the live pass does (AZL_PLANNER_DEBOUNCE_SECONDS, default 60)',
      seconds,
      0,
    )
    .option('--now <time>', 'with --debounce: the time to plan at (ISO 8601; default: now)', instant)
    .argument(
      '<events...>',
      'files with events or Fedora messages (one, an array or a datagrepper page each)',
    )
    .action(async (files: string[], options: PlanOptions, command: Command) => {
      const progress = await progressFor(command, 'azl-rebuilder plan', { outputWhileWorking: false });
      setExitCode(await runPlan(files, options, progress));
    });
}

async function runPlan(files: readonly string[], options: PlanOptions, progress: Progress): Promise<number> {
  try {
    const read = readPlanInputs(files);
    const distroFiles = new FsDistroFiles();
    const model = modelFromDistroTree(loadDistroTree(distroFiles, options.config), distroFiles);
    const index = new DepsIndex();
    if (options.repodata) await loadRepository(options.repodata, index, progress);
    if (options.sourceRepodata) await loadRepository(options.sourceRepodata, index, progress);
    const policy: PlannerPolicy = {
      ...defaultPolicy,
      ...(options.rawhide ? { rawhide: Number(options.rawhide) } : {}),
      debounceMs: options.debounce * 1000,
    };
    const state = readState(options.state);
    const result = plan(
      read.events,
      model,
      dependencyViewOf(index),
      state,
      policy,
      options.now ?? new Date(),
    );
    const skipped = withDuplicateInputs(result.skipped, read, state.plannedMessageIds);
    process.stdout.write(
      `${JSON.stringify({ ...result, skipped: [...read.skipped, ...skipped] }, null, 2)}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`azl-rebuilder plan: ${describeError(error)}\n`);
    if (PipelineError.is(error)) process.stderr.write(`${JSON.stringify(error)}\n`);
    return 1;
  }
}

function readState(path: string | undefined): PlannerState {
  if (!path) return { components: {}, plannedMessageIds: new Set() };
  const state = stateFile.parse(JSON.parse(readFileSync(path, 'utf8')));
  return {
    components: state.components as PlannerState['components'],
    plannedMessageIds: new Set(state.plannedMessageIds),
  };
}
