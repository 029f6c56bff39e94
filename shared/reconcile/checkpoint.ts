import type { OpenWaveState } from './open-wave';

/** Where the last reconcile run stopped its scan of plan items: the next run starts there. */
export interface ReconcileCheckpoint {
  /** The plan and the index of its first item not yet examined; absent: start at the newest plan. */
  readonly planItems?: {
    readonly planId: string;
    readonly index: number;
    /** Where that plan's waves stood at `index` (absent: read again from the start of the wave). */
    readonly waves?: OpenWaveState;
  };
}

/** Keeps the checkpoint between runs. */
export interface ReconcileCheckpoints {
  load(): Promise<ReconcileCheckpoint>;
  save(checkpoint: ReconcileCheckpoint): Promise<void>;
}

/**
 * The checkpoint held by the instance that runs the timer. Losing it (a new instance) only means the next
 * scan starts at the newest plan again: everything is still found, a little later.
 */
export function instanceCheckpoints(): ReconcileCheckpoints {
  let kept: ReconcileCheckpoint = {};
  return {
    load: () => Promise.resolve(kept),
    save: (checkpoint) => {
      kept = checkpoint;
      return Promise.resolve();
    },
  };
}
