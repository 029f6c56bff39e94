import { SingleBar } from 'cli-progress';
import type { Progress, ProgressTask } from '../../shared/progress';

export interface TerminalBarProgressOptions {
  /** A terminal (`isTTY`): stderr, so stdout stays the command's output. */
  readonly stream: NodeJS.WritableStream;
  /** What the bar starts with, e.g. `azl-rebuilder replay`. */
  readonly label: string;
}

/**
 * Progress as a bar redrawn in place on a terminal (cli-progress), e.g.
 * `azl-rebuilder replay [========----] 66% | 330/500 messages | ETA 12s`. When the work finishes the last state
 * stays on screen and the line ends. The bar leaves the terminal as it found it: the cursor stays visible and
 * line wrapping is not switched off (a Ctrl-C mid-run would otherwise leave both changed), and no SIGINT
 * handler is installed (cli-progress's `gracefulExit` would keep the first Ctrl-C from ending the process).
 * The command must not write to the same terminal while the bar runs: stdout goes there after `finish`, or
 * elsewhere (a pipe, a file).
 */
export class TerminalBarProgress implements Progress {
  constructor(private readonly options: TerminalBarProgressOptions) {}

  begin(total: number, unit: string): ProgressTask {
    const bar = new SingleBar({
      stream: this.options.stream,
      format: `${braceless(this.options.label)} [{bar}] {percentage}% | {value}/{total} ${braceless(unit)} | ETA {eta_formatted}`,
      hideCursor: false,
      linewrap: true,
      gracefulExit: false,
      clearOnComplete: false,
      fps: 10,
    });
    bar.start(total, 0);
    let finished = false;
    return {
      advance: (count = 1) => {
        if (!finished) bar.increment(count);
      },
      finish: () => {
        if (finished) return;
        finished = true;
        bar.stop();
      },
    };
  }
}

/** cli-progress reads `{name}` in the format as a placeholder: a label or unit must not contain one. */
const braceless = (text: string): string => text.replace(/[{}]/g, '');
