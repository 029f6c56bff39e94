/**
 * What one reconcile run may read: records are examined in pages of `pageSize`, at most `maxPages` pages, and
 * no new page is started once `maxRunMs` have passed on `clock`. A run that stops says why; the next one
 * continues from its checkpoint, so a plan of 7,000 items costs a few bounded runs rather than one long one.
 */
export interface ScanLimits {
  readonly pageSize: number;
  readonly maxPages: number;
  readonly maxRunMs: number;
}

export type ScanStop = 'pages' | 'time';

export class ScanBudget {
  private readonly startedAt: number;
  private examined = 0;
  private pages = 0;
  stoppedBy: ScanStop | undefined;

  constructor(
    private readonly limits: ScanLimits,
    private readonly clock: () => number,
  ) {
    this.startedAt = clock();
  }

  /** Whether one more record may be examined; false (and `stoppedBy` set) once the budget is spent. */
  take(): boolean {
    if (this.stoppedBy) return false;
    if (this.examined % Math.max(1, this.limits.pageSize) === 0) {
      if (this.pages >= this.limits.maxPages) this.stoppedBy = 'pages';
      else if (this.clock() - this.startedAt >= this.limits.maxRunMs) this.stoppedBy = 'time';
      if (this.stoppedBy) return false;
      this.pages++;
    }
    this.examined++;
    return true;
  }

  get pagesRead(): number {
    return this.pages;
  }
}
