import type { Progress, ProgressTask } from '../../shared/progress';

/** One `begin` as the fake saw it: the total, the unit, every `advance` count, and whether it finished. */
export interface RecordedTask {
  readonly total: number;
  readonly unit: string;
  readonly advances: number[];
  finished: boolean;
}

/** The progress port's twin: keeps what a loop reported, for a test to read (`done` sums the advances). */
export class RecordingProgress implements Progress {
  readonly tasks: RecordedTask[] = [];

  begin(total: number, unit: string): ProgressTask {
    const task: RecordedTask = { total, unit, advances: [], finished: false };
    this.tasks.push(task);
    return {
      advance: (count = 1) => {
        if (!task.finished) task.advances.push(count);
      },
      finish: () => {
        task.finished = true;
      },
    };
  }

  /** The units done in task `index`. */
  done(index = 0): number {
    return (this.tasks[index]?.advances ?? []).reduce((sum, count) => sum + count, 0);
  }
}
