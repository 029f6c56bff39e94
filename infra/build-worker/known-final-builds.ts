/**
 * Builds this instance has written or read in a final state. A final record is never written over (the
 * worker answers `already-final` to any later message for it), so "final" read once stays true: the wave
 * checks that run after every build (`TablePlanProgress`) skip the point read of a build this instance
 * finished or already saw finished, and read only those it has no word of. Bounded: past `limit` keys the
 * oldest is forgotten, which costs a read again, never a wrong answer.
 */
export class KnownFinalBuilds {
  private readonly keys = new Set<string>();

  constructor(private readonly limit = 50_000) {}

  has(component: string, fingerprint: string): boolean {
    return this.keys.has(keyOf(component, fingerprint));
  }

  add(component: string, fingerprint: string): void {
    const key = keyOf(component, fingerprint);
    if (this.keys.has(key)) return;
    this.keys.add(key);
    if (this.keys.size > this.limit) this.keys.delete(this.keys.values().next().value as string);
  }
}

function keyOf(component: string, fingerprint: string): string {
  return `${component}\n${fingerprint}`;
}
