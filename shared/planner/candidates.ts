import { U32Vec } from '../deps/columns';
import type { PlannedItem, Reason } from './types';

/**
 * A planned item as it is built: its wave is set once the waves are known, and a later cause replaces its
 * reasons with a longer array (never pushes into it: dependents behind the same path share one array).
 */
export type Draft = { -readonly [K in keyof PlannedItem]: PlannedItem[K] };

/**
 * The planned items by graph id, and their ids in the order they were added. Items are kept by graph id:
 * a root package's plan holds every component, and integer keys and typed arrays are the cheap ones.
 */
export class Candidates {
  private readonly order = new U32Vec(256);
  private readonly byId: (Draft | undefined)[];

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
  }

  /** Adds `reasons` to the item of `id`, which `ids` holds. */
  addReasons(id: number, reasons: readonly Reason[]): void {
    const item = this.at(id);
    item.reasons = item.reasons.concat(reasons);
  }
}
