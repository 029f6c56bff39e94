/**
 * Where a plan's earliest unfinished build is, remembered between checks. Builds only move towards a final
 * state, so the items before the cursor stay final: each check resumes there instead of re-reading the
 * earlier waves, and a plan's items are read about once per instance rather than once per waiting build (a
 * wave-19 build of a 7,000-item plan would otherwise read the 6,650 items before it on every re-check).
 */
export interface WaveItem {
  readonly component: string;
  readonly fingerprint: string;
}

export interface WaveSource<Item extends WaveItem> {
  /** The plan's items of one wave, in a stable order (read once per wave and instance). */
  itemsOf(planId: string, wave: number): Promise<readonly Item[]>;
  isFinal(item: Item): Promise<boolean>;
}

/** By default at most this many unfinished components are named (the record's "waiting for …" detail)… */
export const NAMED_UNFINISHED = 5;
/** …looking at most this many items past the first one. */
const LOOK_AHEAD = 8;
/** Plans remembered; the oldest is forgotten first (it is only re-read, never answered wrong). */
const PLANS = 64;

export class WaveCursor<Item extends WaveItem> {
  private readonly cursors = new Map<string, { wave: number; index: number; items?: readonly Item[] }>();
  /**
   * Per plan, the check in progress: checks of one plan run one after another. The cursor is shared and each
   * check moves it across awaits; two at once could advance one wave's position with another wave's items and
   * pass over a wave none of whose builds ran (seen with 32 build sessions at once: a whole wave skipped).
   */
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(private readonly source: WaveSource<Item>) {}

  /**
   * Up to `atMost` unfinished components of the earliest unfinished wave before `wave`; none when all are
   * final. Naming more than the first costs a read per item looked at, so a caller that only asks whether
   * anything is unfinished (the wave release, after every build) passes 1.
   */
  unfinishedBefore(planId: string, wave: number, atMost = NAMED_UNFINISHED): Promise<string[]> {
    const previous = this.running.get(planId) ?? Promise.resolve();
    const check = previous.catch(() => undefined).then(() => this.check(planId, wave, atMost));
    this.running.set(planId, check);
    const forget = (): void => {
      if (this.running.get(planId) === check) this.running.delete(planId);
    };
    check.then(forget, forget);
    return check;
  }

  private async check(planId: string, wave: number, atMost: number): Promise<string[]> {
    const cursor = this.cursors.get(planId) ?? { wave: 0, index: 0 };
    this.cursors.delete(planId);
    this.cursors.set(planId, cursor);
    if (this.cursors.size > PLANS) this.cursors.delete(this.cursors.keys().next().value as string);
    while (cursor.wave < wave) {
      const items = (cursor.items ??= await this.source.itemsOf(planId, cursor.wave));
      while (cursor.index < items.length && (await this.source.isFinal(items[cursor.index] as Item)))
        cursor.index++;
      if (cursor.index < items.length) return this.named(items, cursor.index, atMost);
      cursor.wave++;
      cursor.index = 0;
      cursor.items = undefined;
    }
    return [];
  }

  private async named(items: readonly Item[], from: number, atMost: number): Promise<string[]> {
    const names = [(items[from] as Item).component];
    for (let i = from + 1; i < Math.min(items.length, from + LOOK_AHEAD) && names.length < atMost; i++)
      if (!(await this.source.isFinal(items[i] as Item))) names.push((items[i] as Item).component);
    return names.sort();
  }
}
