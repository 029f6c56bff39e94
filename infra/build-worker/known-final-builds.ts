import type { BuildRecord } from '../../shared/build-worker';

/** What is kept of a final build: what the wave gate asks of a path dependency (`DependencyOutcome`). */
export type FinalOutcome = Pick<BuildRecord, 'buildId' | 'state' | 'error'>;

/**
 * Builds this instance has written or read in a final state. A final record is never written over (the
 * worker answers `already-final` to any later message for it), so "final" read once stays true, and so does
 * how it ended: the wave checks that run after every build (`TablePlanProgress`) skip the point read of a
 * build this instance finished or already saw finished, and the wave gate the read of a path dependency's
 * outcome; only builds it has no word of are read. Bounded: past `limit` keys the oldest is forgotten, which
 * costs a read again, never a wrong answer.
 */
export class KnownFinalBuilds {
  /** Key → the outcome, when known (a build seen final through a port that gives no record has none). */
  private readonly builds = new Map<string, FinalOutcome | undefined>();

  constructor(private readonly limit = 50_000) {}

  has(component: string, fingerprint: string): boolean {
    return this.builds.has(keyOf(component, fingerprint));
  }

  outcomeOf(component: string, fingerprint: string): FinalOutcome | undefined {
    return this.builds.get(keyOf(component, fingerprint));
  }

  add(component: string, fingerprint: string, outcome?: FinalOutcome): void {
    const key = keyOf(component, fingerprint);
    if (this.builds.get(key) !== undefined) return;
    this.builds.set(key, outcome);
    if (this.builds.size > this.limit) this.builds.delete(this.builds.keys().next().value as string);
  }
}

function keyOf(component: string, fingerprint: string): string {
  return `${component}\n${fingerprint}`;
}
