import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DepsIndex } from '../../shared/deps';
import { loadDistroTree } from '../../shared/distro';
import { describeError, PipelineError } from '../../shared/errors';
import { normalize } from '../../shared/fedora/normalize';
import type { UpstreamEvent } from '../../shared/fedora/upstream-event';
import { upstreamEventSchema } from '../../shared/fedora/upstream-event';
import type { PlannerState } from '../../shared/planner';
import { defaultPolicy, modelFromDistroTree, plan } from '../../shared/planner';
import { dependencyViewOf } from '../../shared/planner/deps-view';
import { loadRepository } from '../../infra/deps/load-repository';
import { FsDistroFiles } from '../../infra/distro/fs-distro-files';
import type { Progress } from '../../shared/progress';
import { progressFor } from './progress-choice';

interface PlanOptions {
  readonly config: string;
  readonly repodata?: string;
  readonly sourceRepodata?: string;
  readonly state?: string;
  readonly rawhide?: string;
}

const stateFile = z.object({
  components: z.record(z.string(), z.looseObject({})).default({}),
  plannedMessageIds: z.array(z.string()).default([]),
});

/**
 * `azl-rebuilder plan --config <dir> [--repodata <dir|URL>] [--source-repodata <dir|URL>] [--state <file>]
 * <event files…>`: the rebuild plan for recorded events (normalized events, or raw Fedora messages in any
 * serialized form), as JSON on stdout. `--state` holds earlier locks and fingerprints to replay scenarios.
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
    .argument('<events...>', 'files with events or Fedora messages (one or an array each)')
    .action(async (files: string[], options: PlanOptions, command: Command) => {
      const progress = await progressFor(command, 'azl-rebuilder plan', { outputWhileWorking: false });
      setExitCode(await runPlan(files, options, progress));
    });
}

async function runPlan(files: readonly string[], options: PlanOptions, progress: Progress): Promise<number> {
  try {
    const skippedInput: { package?: string; messageId?: string; reason: string }[] = [];
    const events = files.flatMap((file) => eventsOf(file, skippedInput));
    const distroFiles = new FsDistroFiles();
    const model = modelFromDistroTree(loadDistroTree(distroFiles, options.config), distroFiles);
    const index = new DepsIndex();
    if (options.repodata) await loadRepository(options.repodata, index, progress);
    if (options.sourceRepodata) await loadRepository(options.sourceRepodata, index, progress);
    const policy = options.rawhide ? { ...defaultPolicy, rawhide: Number(options.rawhide) } : defaultPolicy;
    const result = plan(events, model, dependencyViewOf(index), readState(options.state), policy, new Date());
    process.stdout.write(
      `${JSON.stringify({ ...result, skipped: [...skippedInput, ...result.skipped] }, null, 2)}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`azl-rebuilder plan: ${describeError(error)}\n`);
    if (PipelineError.is(error)) process.stderr.write(`${JSON.stringify(error)}\n`);
    return 1;
  }
}

/** A file's events: normalized events as they are, raw Fedora messages through `normalize`. */
function eventsOf(file: string, skipped: { messageId?: string; reason: string }[]): UpstreamEvent[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const events: UpstreamEvent[] = [];
  for (const item of items) {
    const asEvent = upstreamEventSchema.safeParse(item);
    if (asEvent.success) {
      events.push(asEvent.data);
      continue;
    }
    const outcome = normalize(item);
    if (outcome.outcome === 'accepted') events.push(outcome.event);
    else
      skipped.push({
        ...(outcome.id ? { messageId: outcome.id } : {}),
        reason: `${outcome.outcome}: ${outcome.reason}`,
      });
  }
  return events;
}

function readState(path: string | undefined): PlannerState {
  if (!path) return { components: {}, plannedMessageIds: new Set() };
  const state = stateFile.parse(JSON.parse(readFileSync(path, 'utf8')));
  return {
    components: state.components as PlannerState['components'],
    plannedMessageIds: new Set(state.plannedMessageIds),
  };
}
