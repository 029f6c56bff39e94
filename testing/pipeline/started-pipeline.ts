import type { Endpoints } from '../../hosts/local/runtime/endpoints-file';
import { useStarted } from '../lifecycle';
import { startPipeline, STOP_TIMEOUT_MS } from './cli-process';
import type { CliRun } from './cli-process';

/** A running `azl-rebuilder start`, as the tests of a block see it. */
export interface StartedPipeline {
  readonly run: CliRun;
  readonly dataDir: string;
  readonly endpoints: Endpoints;
}

/**
 * `azl-rebuilder start` with `args` (see startPipeline) for the tests of a block: started in a fresh data
 * folder before them, ready; stopped after them, with every process it left and the folder.
 */
export function useStartedPipeline(prefix: string, args?: readonly string[]): StartedPipeline {
  const started = useStarted(
    'the pipeline',
    () => startPipeline(prefix, args),
    (pipeline) => pipeline.stop(),
    {
      startMs: 90_000,
      stopMs: STOP_TIMEOUT_MS + 10_000,
    },
  );
  return {
    get run() {
      return started().run;
    },
    get dataDir() {
      return started().dataDir;
    },
    get endpoints() {
      return started().endpoints;
    },
  };
}
