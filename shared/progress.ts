/**
 * The progress port: a long loop (replaying many messages, indexing a folder of RPMs) says how much work there
 * is and how much is done; the host decides how that shows: a bar on a terminal, a line every few seconds in
 * a log, or nothing. Progress is for the person watching and never carries a command's output.
 * Implementations: `infra/progress/` (a cli-progress bar, plain lines); `silentProgress` shows nothing.
 */
export interface Progress {
  /** Begins a piece of work of `total` units; `unit` names them in the plural ("messages", "RPMs"). */
  begin(total: number, unit: string): ProgressTask;
}

export interface ProgressTask {
  /** `count` more units are done (default 1). Ignored after `finish`. */
  advance(count?: number): void;
  /**
   * The work ended, complete or not: the final count is shown and the display released (a bar's timer
   * stopped). Call it in a `finally`; a second call does nothing.
   */
  finish(): void;
}

const silentTask: ProgressTask = { advance: () => undefined, finish: () => undefined };

/** Progress that shows nothing: the default for callers (and tests) that do not watch. */
export const silentProgress: Progress = { begin: () => silentTask };
