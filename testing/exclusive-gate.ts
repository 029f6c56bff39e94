/**
 * Lets tasks run together (shared) or alone (exclusive). An exclusive task starts once no task runs, and no
 * task starts while it runs; tasks start in the order they asked (an exclusive task waiting holds back the
 * shared ones that asked after it, so it is not starved).
 *
 * For tests that run concurrently except a few whose assertions bound elapsed time (a lock renewed before it
 * expires, a message peeked before its scheduled time): those run alone, so no other test's work delays them.
 * Wrap only the test bodies: a task waiting here must not hold anything a running task needs to finish.
 */
export class ExclusiveGate {
  private running = 0;
  private runningExclusive = false;
  private readonly waiting: { readonly exclusive: boolean; readonly start: () => void }[] = [];

  /** Runs `task` alongside other shared tasks. */
  shared<T>(task: () => Promise<T>): Promise<T> {
    return this.run(false, task);
  }

  /** Runs `task` with no other task running. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.run(true, task);
  }

  private async run<T>(exclusive: boolean, task: () => Promise<T>): Promise<T> {
    if (this.waiting.length === 0 && this.admits(exclusive)) this.admit(exclusive);
    else await new Promise<void>((start) => this.waiting.push({ exclusive, start }));
    try {
      return await task();
    } finally {
      this.leave();
    }
  }

  private admits(exclusive: boolean): boolean {
    return !this.runningExclusive && (!exclusive || this.running === 0);
  }

  private admit(exclusive: boolean): void {
    this.running += 1;
    this.runningExclusive = exclusive;
  }

  private leave(): void {
    this.running -= 1;
    if (this.running === 0) this.runningExclusive = false;
    for (let next = this.waiting[0]; next && this.admits(next.exclusive); next = this.waiting[0]) {
      this.waiting.shift();
      this.admit(next.exclusive);
      next.start();
    }
  }
}
