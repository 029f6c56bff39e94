import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readRepository } from './published-repository';

const run = promisify(execFile);

/** One read of one repository by a reader loop. */
export interface RepositoryRead {
  readonly baseUrl: string;
  readonly startedAt: number;
  readonly endedAt: number;
  /** The NEVRAs dnf listed (sorted), when the read succeeded. */
  readonly nevras?: readonly string[];
  readonly error?: string;
}

/** `dnf repoquery` as a client that trusts nothing cached: fresh cache, no expiry, unavailable = failure. */
export async function dnfRepoquery(baseUrl: string, cacheRoot: string, ...args: string[]): Promise<string[]> {
  const cachedir = mkdtempSync(join(cacheRoot, 'dnf-'));
  try {
    const { stdout } = await run(
      'dnf',
      [
        '-q',
        '--releasever=4.0',
        '--setopt=reposdir=/dev/null',
        `--setopt=cachedir=${cachedir}`,
        '--setopt=skip_if_unavailable=False',
        '--setopt=metadata_expire=0',
        `--repofrompath=azl,${baseUrl}`,
        '--repo=azl',
        '--setopt=azl.gpgcheck=0',
        'repoquery',
        '--qf',
        '%{name}-%{epoch}:%{version}-%{release}.%{arch}',
        ...args,
      ],
      { timeout: 60_000 },
    );
    return stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .sort();
  } finally {
    rmSync(cachedir, { recursive: true, force: true });
  }
}

/**
 * Readers that keep reading published repositories while a test does something to the pipeline: one loop
 * per repository, each read the real `dnf repoquery` (which fails on any missing or mismatching metadata)
 * after an HTTP check that every file repomd.xml lists and every package primary lists is there with its
 * checksum (`readRepository`). Every read is recorded. `outage()` marks a span when storage itself is
 * down on purpose: reads overlapping it may fail and are reported apart from the others.
 */
export class RepositoryReaders {
  private readonly reads: RepositoryRead[] = [];
  private readonly outages: { from: number; to: number }[] = [];
  private readonly cacheRoot = mkdtempSync(join(tmpdir(), 'azl-readers-'));
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(baseUrls: readonly string[]) {
    this.loops = baseUrls.map((url) => this.loop(url));
  }

  private async loop(baseUrl: string): Promise<void> {
    while (this.running) {
      const startedAt = Date.now();
      try {
        await readRepository(baseUrl);
        const nevras = await dnfRepoquery(baseUrl, this.cacheRoot, '--arch=src,noarch,x86_64');
        this.reads.push({ baseUrl, startedAt, endedAt: Date.now(), nevras });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.reads.push({ baseUrl, startedAt, endedAt: Date.now(), error: message });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /** Starts a span in which storage is down on purpose; call the returned function when it is back. */
  outage(): () => void {
    const span = { from: Date.now(), to: Number.POSITIVE_INFINITY };
    this.outages.push(span);
    return () => {
      span.to = Date.now();
    };
  }

  /** Stops the loops (after their current read) and sorts every read into the ones that count and the rest. */
  async stop(): Promise<{
    reads: RepositoryRead[];
    failures: RepositoryRead[];
    duringOutage: RepositoryRead[];
  }> {
    this.running = false;
    await Promise.all(this.loops);
    rmSync(this.cacheRoot, { recursive: true, force: true });
    const overlaps = (read: RepositoryRead) =>
      this.outages.some((span) => read.startedAt <= span.to && read.endedAt >= span.from);
    const duringOutage = this.reads.filter(overlaps);
    const reads = this.reads.filter((read) => !overlaps(read));
    return { reads, failures: reads.filter((read) => read.error !== undefined), duringOutage };
  }
}

/**
 * Whether each repository's successful reads went only forward through `progression` (the package lists
 * of its revisions, in order): no read saw a mix, a list out of order, or an older list after a newer one.
 * Returns the first read that did not, or undefined.
 */
export function firstOutOfOrder(
  reads: readonly RepositoryRead[],
  progression: ReadonlyMap<string, readonly (readonly string[])[]>,
): RepositoryRead | undefined {
  const reached = new Map<string, number>();
  for (const read of [...reads].sort((a, b) => a.startedAt - b.startedAt)) {
    if (!read.nevras) continue;
    const lists = progression.get(read.baseUrl) ?? [];
    const index = lists.findIndex((list) => list.join(' ') === read.nevras?.join(' '));
    if (index < 0 || index < (reached.get(read.baseUrl) ?? 0)) return read;
    reached.set(read.baseUrl, index);
  }
  return undefined;
}
