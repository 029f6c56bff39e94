import { sourcesUnavailable } from '../../shared/sources/source-errors';
import { spawnGroupLeader } from '../os/group-leader';

/** The result of one git invocation that ran to the end (any exit code). */
export interface GitResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface GitRunOptions {
  readonly cwd?: string;
  readonly timeoutMs: number;
  /** The git binary; `git` on PATH by default. */
  readonly gitPath?: string;
}

/**
 * Only these transports may be used, whatever a URL or a submodule says: `ext::` and friends could run
 * commands. `file` is for local test repositories (the URL policy has already refused remote file hosts).
 */
const PROTOCOL_CONFIG = [
  '-c',
  'protocol.allow=never',
  '-c',
  'protocol.https.allow=always',
  '-c',
  'protocol.http.allow=always',
  '-c',
  'protocol.file.allow=always',
];

/**
 * Runs git with an argument array (never a shell), prompts disabled (a private or missing repository must
 * fail, not wait for a password), no user or system config, and a timeout after which git is killed and the
 * run is a retryable `sources.unavailable`. A failure to start git at all is also `sources.unavailable`.
 */
export function runGit(args: readonly string[], options: GitRunOptions): Promise<GitResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    // Any credential request gets an empty answer at once (never a GUI or terminal prompt).
    GIT_ASKPASS: 'true',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    LC_ALL: 'C',
  };
  const command = subcommandOf(args);
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout also kills the transport helpers git starts (git-remote-https).
    const leader = spawnGroupLeader(options.gitPath ?? 'git', [...PROTOCOL_CONFIG, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = leader.child;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void leader.terminate(0);
      const context = { command, timeoutMs: options.timeoutMs };
      reject(sourcesUnavailable(`git ${command} timed out after ${options.timeoutMs} ms`, context));
    }, options.timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(sourcesUnavailable(`git could not be started: ${error.message}`, { command }, error));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) return;
      resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

/** The git subcommand (`fetch`, `checkout`, ...) for messages: the first word that is no global option. */
function subcommandOf(args: readonly string[]): string {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--git-dir' || arg === '--work-tree' || arg === '-C' || arg === '-c') i += 1;
    else if (!arg.startsWith('-')) return arg;
  }
  return 'git';
}
