import type { Progress, ProgressTask } from '../../shared/progress';

export interface PlainLineProgressOptions {
  /** Where the lines go: stderr, so stdout stays the command's output. */
  readonly stream: NodeJS.WritableStream;
  /** What every line starts with, e.g. `azl-rebuilder replay`. */
  readonly label: string;
  /** Milliseconds on any clock (injected by tests); default `Date.now`. */
  readonly now?: () => number;
  /** The least time between two progress lines; default 5 s; 0 prints a line at every advance. */
  readonly intervalMs?: number;
}

/** The default gap between two lines: a long run leaves a readable trail in a CI log, not one line per item. */
export const PLAIN_PROGRESS_INTERVAL_MS = 5_000;

/**
 * Progress as plain lines for a stream that is not a terminal (a CI log, a pipe, a file): no cursor control,
 * at most one line per interval while the work runs (`<label>: 120/500 messages (24%), 10.0 s, about 31.7 s
 * left`) and, after those, one summary when it finishes (`<label>: 500/500 messages in 41.2 s`). A run that
 * ends within the first interval prints nothing: a quick command keeps its stderr as it was.
 */
export class PlainLineProgress implements Progress {
  private readonly now: () => number;
  private readonly intervalMs: number;

  constructor(private readonly options: PlainLineProgressOptions) {
    this.now = options.now ?? Date.now;
    this.intervalMs = options.intervalMs ?? PLAIN_PROGRESS_INTERVAL_MS;
  }

  begin(total: number, unit: string): ProgressTask {
    const started = this.now();
    let lastLine = started;
    let done = 0;
    let finished = false;
    let printed = false;
    const line = (text: string) => {
      printed = true;
      this.options.stream.write(`${this.options.label}: ${text}\n`);
    };
    return {
      advance: (count = 1) => {
        if (finished) return;
        done += count;
        const at = this.now();
        if (at - lastLine < this.intervalMs) return;
        lastLine = at;
        const elapsed = at - started;
        const left =
          done > 0 && done < total ? `, about ${duration((elapsed / done) * (total - done))} left` : '';
        line(`${done}/${total} ${unit} (${percent(done, total)}), ${duration(elapsed)}${left}`);
      },
      finish: () => {
        if (finished) return;
        finished = true;
        if (printed) line(`${done}/${total} ${unit} in ${duration(this.now() - started)}`);
      },
    };
  }
}

const percent = (done: number, total: number): string =>
  `${total > 0 ? Math.floor((Math.min(done, total) / total) * 100) : 100}%`;

/** `4.2 s` under a minute, `3 min 07 s` under an hour, `2 h 05 min` beyond. */
export function duration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const wholeSeconds = Math.round(seconds);
  if (wholeSeconds < 3600)
    return `${Math.floor(wholeSeconds / 60)} min ${String(wholeSeconds % 60).padStart(2, '0')} s`;
  const minutes = Math.round(wholeSeconds / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
