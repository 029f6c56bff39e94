import { U32Vec } from '../deps/columns';
import type { PlannedItem, Reason } from './types';

/**
 * A planned item as it is built: its wave is set once the waves are known. Its reasons array may be shared
 * with other items (dependents behind the same path): only `Candidates.addReasons` adds to it, copying first.
 */
export type Draft = { -readonly [K in keyof PlannedItem]: PlannedItem[K] };

/**
 * The planned items by graph id, and their ids in the order they were added. Items are kept by graph id:
 * a root package's plan holds every component, and integer keys and typed arrays are the cheap ones.
 */
export class Candidates {
  private readonly order = new U32Vec(256);
  private readonly byId: (Draft | undefined)[];
  /** The ids whose reasons array is their own (copied once on the first added cause), to push into. */
  private readonly ownReasons = new Set<number>();

  /** For ids below `size` (more are taken, more slowly). */
  constructor(size: number) {
    this.byId = new Array<Draft | undefined>(size);
  }

  /** The ids, in the order they were added. */
  get ids(): Uint32Array {
    return this.order.view();
  }

  get(id: number): Draft | undefined {
    return this.byId[id];
  }

  /** The item of an id that `ids` holds. */
  at(id: number): Draft {
    return this.byId[id] as Draft;
  }

  set(id: number, item: Draft): void {
    // A walk can meet sources beyond the ids known when the plan started.
    while (this.byId.length <= id) this.byId.push(undefined);
    if (this.byId[id] === undefined) this.order.push(id);
    this.byId[id] = item;
    this.ownReasons.delete(id);
  }

  /** Adds `reasons` to the item of `id`, which `ids` holds. */
  addReasons(id: number, reasons: readonly Reason[]): void {
    const item = this.at(id);
    if (this.ownReasons.has(id)) {
      const own = item.reasons as Reason[];
      for (const reason of reasons) own.push(reason);
      return;
    }
    item.reasons = item.reasons.concat(reasons);
    this.ownReasons.add(id);
  }
}
