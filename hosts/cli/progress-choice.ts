import type { Command } from 'commander';
import type { Progress } from '../../shared/progress';
import { silentProgress } from '../../shared/progress';
import { PlainLineProgress } from '../../infra/progress/plain-line-progress';

/** What decides how a command shows its progress; `progressFor` fills it from the process. */
export interface ProgressSetting {
  /** `--no-progress` makes this false: nothing at all is shown. */
  readonly enabled: boolean;
  /** Where progress goes (stderr); a bar only when it is a terminal. */
  readonly stream: NodeJS.WritableStream & { readonly isTTY?: boolean };
  /** Whether stdout is a terminal. */
  readonly stdoutIsTerminal: boolean;
  /**
   * The command writes its stdout while the work runs (replay's line per message), not after. A bar would be
   * torn by those lines when both streams are the same terminal, so that case gets plain lines.
   */
  readonly outputWhileWorking: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** The least time between two plain lines (`--progress-interval`); default 5 s. */
  readonly intervalMs?: number;
}

/**
 * How a command's progress shows, on stderr: nothing with `--no-progress`; a bar (cli-progress) on a
 * terminal; plain lines (at most one per interval and, after those, a summary; nothing for a quick run) when
 * stderr is not a terminal (a CI log, a pipe), when `CI` is set, or when the command's own output streams to
 * the same terminal. The bar's module (cli-progress) is loaded only when a bar is shown: every command
 * imports this one, and start-up time matters to the short ones.
 */
export async function chooseProgress(label: string, setting: ProgressSetting): Promise<Progress> {
  if (!setting.enabled) return silentProgress;
  const bar =
    setting.stream.isTTY === true &&
    !runsInCi(setting.env) &&
    !(setting.outputWhileWorking && setting.stdoutIsTerminal);
  if (bar) {
    const { TerminalBarProgress } = await import('../../infra/progress/terminal-bar-progress');
    return new TerminalBarProgress({ stream: setting.stream, label });
  }
  return new PlainLineProgress({
    stream: setting.stream,
    label,
    ...(setting.intervalMs !== undefined ? { intervalMs: setting.intervalMs } : {}),
  });
}

/**
 * The progress of the command being run: the global `--no-progress` and `--progress-interval`, and this
 * process's streams.
 */
export function progressFor(
  command: Command,
  label: string,
  options: { outputWhileWorking: boolean },
): Promise<Progress> {
  const globals = command.optsWithGlobals<{ progress?: boolean; progressInterval?: number }>();
  return chooseProgress(label, {
    enabled: globals.progress !== false,
    ...(globals.progressInterval !== undefined ? { intervalMs: globals.progressInterval * 1000 } : {}),
    stream: process.stderr,
    stdoutIsTerminal: process.stdout.isTTY === true,
    outputWhileWorking: options.outputWhileWorking,
    env: process.env,
  });
}

/** `CI` set to anything but empty, `0` or `false` (the convention of GitHub Actions, Azure Pipelines, …). */
const runsInCi = (env: NodeJS.ProcessEnv): boolean => {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
};
