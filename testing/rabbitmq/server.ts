import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'amqplib';
import { describeError, PipelineError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { spawnGroupLeader } from '../../infra/os/group-leader';
import type { GroupLeader } from '../../infra/os/group-leader';
import { environmentOf, findProcesses } from '../../infra/os/proc-files';
import { signalGroup, signalProcess } from '../../infra/os/signals';
import { findFreePorts, isPortFree, isPortListening, LOOPBACK } from '../../infra/local/free-port';

/**
 * Runs a private RabbitMQ node (Debian's `rabbitmq-server` package) for tests and local runs, next to — and
 * never mixed up with — a system RabbitMQ service:
 * - its own Erlang port mapper: `epmd -port <free port>` started here as a child (ERL_EPMD_PORT points the node
 *   at it, `-start_epmd false` stops Erlang from spawning a daemonized one that would outlive us), so the
 *   system epmd on 4369 and its node names are never touched;
 * - its own node name, AMQP port (RABBITMQ_NODE_PORT, loopback only), distribution port (RABBITMQ_DIST_PORT,
 *   instead of the default AMQP port + 20000) and, in one directory, config file, enabled-plugins file (none),
 *   env file (an empty one, so /etc/rabbitmq/rabbitmq-env.conf is not read), Mnesia data, logs and Erlang
 *   cookie (HOME);
 * - `/usr/lib/rabbitmq/bin/rabbitmq-server` is run directly: Debian's `/usr/sbin/rabbitmq-server` wrapper
 *   switches to the `rabbitmq` user and its fixed directories.
 *
 * The node can be stopped and started again on the same port and data (`stopNode`/`startNode`), which is how
 * tests simulate a broker restart. Every process started here carries a marker variable in its environment;
 * after a stop, anything still carrying it (Erlang helpers like erl_child_setup run in their own sessions, out
 * of reach of a process-group kill) is SIGKILLed, so nothing — beam.smp, epmd — is left behind. Linux only
 * (/proc). The readiness check is a real AMQP connection as guest/guest, which RabbitMQ allows on loopback.
 */
export interface RabbitMqOptions {
  /** Where config, data and logs go; missing means a new temporary directory that `stop()` removes. */
  readonly dataDir?: string;
  /** The AMQP port; missing or 0 picks a free loopback port. A given port must be free. */
  readonly port?: number;
  /** How long to wait for an AMQP connection to succeed; default 60 s (a start takes 4-8 s). */
  readonly readyTimeoutMs?: number;
  /** How long a stop waits after SIGTERM before SIGKILL; default 20 s (a clean shutdown takes 2-3 s). */
  readonly stopGraceMs?: number;
  /**
   * Also listen for amqps on a free loopback port, with this server certificate, requiring client certificates
   * signed by `caFile` and offering SASL EXTERNAL (the user is the certificate's CN) — Fedora's set-up.
   */
  readonly tls?: { readonly caFile: string; readonly certFile: string; readonly keyFile: string };
  /** Vhosts to create besides `/`; guest and the external users get full rights on all of them. */
  readonly vhosts?: readonly string[];
  /** Password-less users for SASL EXTERNAL, named like the CN of their client certificates. */
  readonly externalUsers?: readonly string[];
  readonly logger?: Logger;
}

export interface RabbitMqHandle {
  /** `amqp://guest:guest@127.0.0.1:<port>` (default vhost `/`). */
  readonly url: string;
  readonly port: number;
  /** The amqps port when `tls` was given. */
  readonly tlsPort: number | undefined;
  readonly nodeName: string;
  readonly dataDir: string;
  /** Pids of live processes started by this instance (node, its helpers, epmd). Empty after `stop()`. */
  processes(): number[];
  isRunning(): boolean;
  /** Stops the node (clean shutdown, SIGKILL after the grace period); keeps epmd, ports and data for `startNode`. */
  stopNode(): Promise<void>;
  /** Starts the node again on the same port and data directory and waits until it accepts AMQP connections. */
  startNode(): Promise<void>;
  /** Stops everything and removes the data directory if it was a temporary one. Idempotent. */
  stop(): Promise<void>;
}

const SERVER_CANDIDATES = ['/usr/lib/rabbitmq/bin/rabbitmq-server', '/usr/lib/rabbitmq/sbin/rabbitmq-server'];
const MARKER = 'AZLR_RABBITMQ_INSTANCE';
const NODE_NAME = 'azlr@localhost';

export async function startRabbitMq(options: RabbitMqOptions = {}): Promise<RabbitMqHandle> {
  const server = findExecutable('rabbitmq-server', SERVER_CANDIDATES, 'the rabbitmq-server package');
  const epmd = findExecutable('epmd', [], 'erlang-base (a dependency of rabbitmq-server)');
  const requested = options.port ?? 0;
  if (requested !== 0 && !(await isPortFree(requested))) {
    throw PipelineError.permanent('rabbitmq.port-in-use', `RabbitMQ port ${requested} is already in use`, {
      port: requested,
    });
  }
  const ownDir = options.dataDir === undefined;
  const dataDir = ownDir ? mkdtempSync(join(tmpdir(), 'azlr-rabbitmq-')) : resolve(options.dataDir ?? '');
  for (let attempt = 1; ; attempt += 1) {
    const [free0, free1, free2, free3] = await findFreePorts(4);
    const ports = { amqp: requested || (free0 ?? 0), dist: free1 ?? 0, epmd: free2 ?? 0, tls: free3 ?? 0 };
    const instance = new RabbitMqInstance(server, epmd, dataDir, ownDir, ports, options);
    try {
      await instance.start();
      return instance;
    } catch (error) {
      const retry = requested === 0 && attempt < 3 && raced(error);
      await instance.stop(retry);
      if (!retry) throw error;
    }
  }
}

/** A start that failed because a port we picked was taken meanwhile (worth another try with new ports). */
function raced(error: unknown): boolean {
  return PipelineError.is(error) && /eaddrinuse/i.test(String(error.context.output ?? ''));
}

interface Ports {
  readonly amqp: number;
  readonly dist: number;
  readonly epmd: number;
  readonly tls: number;
}

class RabbitMqInstance implements RabbitMqHandle {
  readonly url: string;
  readonly port: number;
  readonly tlsPort: number | undefined;
  readonly nodeName = NODE_NAME;
  private readonly id = randomBytes(8).toString('hex');
  private readonly env: NodeJS.ProcessEnv;
  private epmdProcess: Child | undefined;
  private node: Child | undefined;
  private stopped: Promise<void> | undefined;
  private readonly killOnExit = (): void => killMarked(this.id, [this.node, this.epmdProcess]);

  constructor(
    private readonly serverBin: string,
    private readonly epmdBin: string,
    readonly dataDir: string,
    private readonly ownDir: boolean,
    private readonly ports: Ports,
    private readonly options: RabbitMqOptions,
  ) {
    this.port = ports.amqp;
    this.tlsPort = options.tls ? ports.tls : undefined;
    this.url = `amqp://guest:guest@${LOOPBACK}:${ports.amqp}`;
    this.env = this.environment();
  }

  async start(): Promise<void> {
    this.writeFiles();
    process.once('exit', this.killOnExit);
    this.epmdProcess = spawnChild(
      this.epmdBin,
      ['-port', `${this.ports.epmd}`, '-address', LOOPBACK],
      this.env,
    );
    await this.waitFor('epmd', 10_000, () => isPortListening(this.ports.epmd), this.epmdProcess);
    await this.startNode();
  }

  async startNode(): Promise<void> {
    if (this.isRunning()) return;
    if (this.stopped) throw PipelineError.permanent('rabbitmq.stopped', 'This RabbitMQ instance was stopped');
    this.node = spawnChild(this.serverBin, [], this.env, this.dataDir);
    const timeoutMs = this.options.readyTimeoutMs ?? 60_000;
    await this.waitFor('rabbitmq', timeoutMs, () => amqpAnswers(this.url), this.node);
    this.options.logger?.info('rabbitmq started', {
      pid: this.node.pid,
      port: this.port,
      dataDir: this.dataDir,
    });
  }

  async stopNode(): Promise<void> {
    const node = this.node;
    if (!node) return;
    await node.leader.terminate(this.options.stopGraceMs ?? 20_000);
    // Helpers in their own sessions (erl_child_setup, inet_gethost, the disk monitor's shell) normally follow
    // beam.smp within moments; whatever does not, goes now.
    await sweep(this.id, this.epmdProcess?.pid);
    this.node = undefined;
    this.options.logger?.debug('rabbitmq node stopped', { port: this.port });
  }

  isRunning(): boolean {
    return this.node !== undefined && this.node.running();
  }

  processes(): number[] {
    return markedProcesses(this.id);
  }

  stop(keepDir = false): Promise<void> {
    return (this.stopped ??= (async () => {
      await this.stopNode();
      await this.epmdProcess?.leader.terminate(2_000);
      await sweep(this.id);
      process.removeListener('exit', this.killOnExit);
      if (this.ownDir && !keepDir) rmSync(this.dataDir, { recursive: true, force: true });
    })());
  }

  private async waitFor(
    what: string,
    timeoutMs: number,
    ready: () => Promise<boolean>,
    child: Child,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!child.running()) {
        throw this.notReady(what, `exited early (code ${child.leader.child.exitCode})`, child);
      }
      if (await ready()) return;
      await sleep(200);
    }
    throw this.notReady(what, `no answer within ${timeoutMs} ms`, child);
  }

  private notReady(what: string, why: string, child: Child): PipelineError {
    return PipelineError.transient('rabbitmq.not-ready', `${what} did not become ready: ${why}`, {
      port: this.port,
      dataDir: this.dataDir,
      output: child.output(),
    });
  }

  private environment(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    // Inherited RABBITMQ_* / ERL_* settings would redirect the node; start from none of them.
    for (const [key, value] of Object.entries(process.env)) {
      if (!/^(RABBITMQ_|ERL_)/.test(key)) env[key] = value;
    }
    const etc = join(this.dataDir, 'etc');
    return {
      ...env,
      [MARKER]: this.id,
      HOME: this.dataDir,
      ERL_EPMD_PORT: `${this.ports.epmd}`,
      ERL_EPMD_ADDRESS: LOOPBACK,
      RABBITMQ_NODENAME: NODE_NAME,
      RABBITMQ_NODE_IP_ADDRESS: LOOPBACK,
      RABBITMQ_NODE_PORT: `${this.ports.amqp}`,
      RABBITMQ_DIST_PORT: `${this.ports.dist}`,
      RABBITMQ_MNESIA_BASE: join(this.dataDir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(this.dataDir, 'log'),
      RABBITMQ_LOGS: '-',
      RABBITMQ_CONFIG_FILE: join(etc, 'rabbitmq.conf'),
      RABBITMQ_ADVANCED_CONFIG_FILE: join(etc, 'advanced.config'),
      RABBITMQ_CONF_ENV_FILE: join(etc, 'rabbitmq-env.conf'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(etc, 'enabled_plugins'),
      RABBITMQ_PID_FILE: join(this.dataDir, 'rabbitmq.pid'),
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: `-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}`,
    };
  }

  private writeFiles(): void {
    const etc = join(this.dataDir, 'etc');
    mkdirSync(etc, { recursive: true });
    const conf = [
      `listeners.tcp.default = ${LOOPBACK}:${this.ports.amqp}`,
      // Test machines often have little free disk; the default 50 MB alarm would block publishers.
      'disk_free_limit.absolute = 1MB',
      'log.console = true',
      'log.console.level = warning',
      'log.file = false',
    ];
    const tls = this.options.tls;
    if (tls) {
      conf.push(
        `listeners.ssl.default = ${LOOPBACK}:${this.ports.tls}`,
        `ssl_options.cacertfile = ${resolve(tls.caFile)}`,
        `ssl_options.certfile = ${resolve(tls.certFile)}`,
        `ssl_options.keyfile = ${resolve(tls.keyFile)}`,
        'ssl_options.verify = verify_peer',
        'ssl_options.fail_if_no_peer_cert = true',
        'auth_mechanisms.1 = PLAIN',
        'auth_mechanisms.2 = AMQPLAIN',
        'auth_mechanisms.3 = EXTERNAL',
        'ssl_cert_login_from = common_name',
      );
    }
    if (this.options.vhosts?.length || this.options.externalUsers?.length) {
      writeFileSync(join(etc, 'definitions.json'), JSON.stringify(this.definitions()));
      conf.push(`load_definitions = ${join(etc, 'definitions.json')}`);
    }
    writeFileSync(join(etc, 'rabbitmq.conf'), `${conf.join('\n')}\n`);
    writeFileSync(join(etc, 'enabled_plugins'), tls ? '[rabbitmq_auth_mechanism_ssl].\n' : '[].\n');
    writeFileSync(join(etc, 'rabbitmq-env.conf'), '');
  }

  /** Users, vhosts and permissions imported at boot (the guest user is listed too, so it exists either way). */
  private definitions(): object {
    const vhosts = ['/', ...(this.options.vhosts ?? [])];
    const hashing = 'rabbit_password_hashing_sha256';
    const users = [
      {
        name: 'guest',
        password_hash: passwordHash('guest'),
        hashing_algorithm: hashing,
        tags: 'administrator',
      },
      ...(this.options.externalUsers ?? []).map((name) => ({
        name,
        password_hash: '',
        hashing_algorithm: hashing,
        tags: '',
      })),
    ];
    const permissions = users.flatMap((user) =>
      vhosts.map((vhost) => ({ user: user.name, vhost, configure: '.*', write: '.*', read: '.*' })),
    );
    return { users, vhosts: vhosts.map((name) => ({ name })), permissions };
  }
}

/** A process group leader we started (group-leader.ts), with the tail of its output. */
class Child {
  private tail = '';

  constructor(readonly leader: GroupLeader) {
    void leader.ended.then((end) => {
      if (end.kind === 'not-started') this.tail += `\nspawn error: ${describeError(end.error)}`;
    });
    const add = (chunk: Buffer): void => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-4096);
    };
    leader.child.stdout?.on('data', add);
    leader.child.stderr?.on('data', add);
  }

  get pid(): number | undefined {
    return this.leader.pid;
  }

  running(): boolean {
    return this.leader.running();
  }

  output(): string {
    return this.tail.trim();
  }
}

function spawnChild(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Child {
  return new Child(spawnGroupLeader(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Waits up to 3 s for marked processes (but `keep`) to go by themselves, then SIGKILLs the rest. */
async function sweep(id: string, keep?: number): Promise<void> {
  const left = (): number[] => markedProcesses(id).filter((pid) => pid !== keep);
  for (let waited = 0; waited < 3_000 && left().length > 0; waited += 100) await sleep(100);
  for (const pid of left()) signalProcess(pid, 'SIGKILL');
  for (let waited = 0; waited < 3_000 && left().length > 0; waited += 50) await sleep(50);
}

/** Synchronous last resort on process exit: kill both groups and everything marked. */
function killMarked(id: string, children: ReadonlyArray<Child | undefined>): void {
  for (const child of children) signalGroup(child?.pid ?? 0, 'SIGKILL');
  for (const pid of markedProcesses(id)) signalProcess(pid, 'SIGKILL');
}

/** Live processes whose environment holds this instance's marker (zombies have an empty environ). */
function markedProcesses(id: string): number[] {
  const needle = `${MARKER}=${id}`;
  return findProcesses((pid) => environmentOf(pid)?.includes(needle) === true);
}

/** RabbitMQ's SHA-256 password hash: base64(salt ‖ sha256(salt ‖ password)) with a 4-byte salt. */
function passwordHash(password: string): string {
  const salt = randomBytes(4);
  const digest = createHash('sha256')
    .update(Buffer.concat([salt, Buffer.from(password, 'utf8')]))
    .digest();
  return Buffer.concat([salt, digest]).toString('base64');
}

async function amqpAnswers(url: string): Promise<boolean> {
  try {
    const connection = await connect(url, { timeout: 2_000 });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

function findExecutable(name: string, candidates: readonly string[], from: string): string {
  const path = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const all = [...candidates, ...path.map((dir) => join(dir, name)), `/usr/sbin/${name}`, `/sbin/${name}`];
  for (const candidate of all) {
    try {
      accessSync(candidate, constants.X_OK);
      // Debian's /usr/sbin/rabbitmq-server links to a wrapper that switches to the rabbitmq user: skip it.
      if (basename(realpathSync(candidate)) === 'rabbitmq-script-wrapper') continue;
      return candidate;
    } catch {
      // not there
    }
  }
  throw PipelineError.permanent(
    'rabbitmq.not-installed',
    `${name} was not found (install ${from}; scripts/setup.sh does)`,
    { name },
  );
}
