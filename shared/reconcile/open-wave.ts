import { isFinalBuildState } from '../build';
import type { BuildRecord } from '../build-worker';

/**
 * Where a scan of one plan's items (in wave order, as the planner writes them) stands: the plan's earliest
 * unfinished wave, and since when that wave has been due. Since a plan's later waves are sent only when the
 * wave before them ends (the build worker's `WaveRelease`), an item with no build record is lost work only
 * in the open wave, and only once the wave has been due for the staleness limit: its release was sent when
 * the last build of the wave before it ended (or, for the first wave, when the plan was written). Items of
 * later waves have not been sent yet, by design, and are left alone.
 *
 * This is what makes a lost release good: a worker that died between a wave's last final record and its
 * release is made good by the message's redelivery; a release whose message was dead-lettered is made good
 * here, item by item, from the plan record.
 */
export interface OpenWaveState {
  /** The earliest wave with an item not final; undefined until the scan has met one. */
  readonly open?: number;
  /** The wave the scan is in, and the latest finish among the items of the waves before it. */
  readonly wave: number;
  readonly dueAt: string;
  /** The latest finish among the scanned items of `wave` (the next wave is due from it). */
  readonly lastFinishInWave?: string;
}

export type ItemVerdict = 'not-sent-yet' | 'in-hand' | 'lost' | 'waiting-to-be-stale';

export class OpenWave {
  private state: OpenWaveState;

  /** A scan from a plan's first item (`createdAt`: when its first wave was sent), or resumed where one stopped. */
  constructor(createdAt: string, resumed?: OpenWaveState) {
    this.state = resumed ?? { wave: 0, dueAt: createdAt };
  }

  /** Whether an item of `wave` needs its build record read (false: after the open wave, not sent yet). */
  reaches(wave: number): boolean {
    return this.state.open === undefined || wave <= this.state.open;
  }

  /**
   * Takes the item's record into account and says what the item is: `lost` when it has no record and its
   * wave has been due since before `staleBefore` (send it again); `waiting-to-be-stale` when it has no
   * record yet but its wave became due recently; `in-hand` when a record exists.
   */
  see(wave: number, record: BuildRecord | undefined, staleBefore: Date): ItemVerdict {
    if (!this.reaches(wave)) return 'not-sent-yet';
    this.enter(wave);
    if (record && isFinalBuildState(record.state)) {
      const finished = record.finishedAt ?? record.history.at(-1)?.at ?? this.state.dueAt;
      const last = this.state.lastFinishInWave;
      if (last === undefined || finished > last) this.state = { ...this.state, lastFinishInWave: finished };
      return 'in-hand';
    }
    if (this.state.open === undefined) this.state = { ...this.state, open: wave };
    if (record) return 'in-hand';
    return Date.parse(this.state.dueAt) < staleBefore.getTime() ? 'lost' : 'waiting-to-be-stale';
  }

  /** What a checkpoint keeps, to resume the scan of this plan. */
  snapshot(): OpenWaveState {
    return this.state;
  }

  /** Moving to a later wave: it became due when the last item of the waves before it finished. */
  private enter(wave: number): void {
    if (wave <= this.state.wave) return;
    const { dueAt, lastFinishInWave } = this.state;
    const due = lastFinishInWave !== undefined && lastFinishInWave > dueAt ? lastFinishInWave : dueAt;
    this.state = { ...(this.state.open === undefined ? {} : { open: this.state.open }), wave, dueAt: due };
  }
}
