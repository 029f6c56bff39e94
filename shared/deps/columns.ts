/** A growable Uint32Array: 4 bytes per entry instead of a JS array's boxed or 8-byte slots. */
export class U32Vec {
  private data: Uint32Array;
  length = 0;

  constructor(initial: Uint32Array | number = 1024) {
    if (typeof initial === 'number') this.data = new Uint32Array(initial);
    else {
      this.data = initial;
      this.length = initial.length;
    }
  }

  push(value: number): number {
    if (this.length === this.data.length) {
      const next = new Uint32Array(Math.max(16, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = value;
    return this.length++;
  }

  get(i: number): number {
    return this.data[i] ?? 0;
  }

  set(i: number, value: number): void {
    this.data[i] = value;
  }

  /** The used part, shared with the vector (no copy). */
  view(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * Groups entries by a key as a compressed sparse row table: `offsets[k]..offsets[k+1]` index into `items`.
 * Built in two counting passes, so a million entries cost two Uint32Arrays and no per-key arrays.
 */
export function groupBy(keys: Uint32Array, keyCount: number, keep: (i: number) => boolean): Csr {
  const offsets = new Uint32Array(keyCount + 1);
  for (let i = 0; i < keys.length; i++) if (keep(i)) offsets[(keys[i] ?? 0) + 1]!++;
  for (let k = 0; k < keyCount; k++) offsets[k + 1]! += offsets[k]!;
  const cursor = offsets.slice(0, keyCount);
  const items = new Uint32Array(offsets[keyCount] ?? 0);
  for (let i = 0; i < keys.length; i++) if (keep(i)) items[cursor[keys[i] ?? 0]!++] = i;
  return { offsets, items };
}

export interface Csr {
  offsets: Uint32Array;
  items: Uint32Array;
}

export function rowOf(csr: Csr, key: number): Uint32Array {
  const start = csr.offsets[key];
  const end = csr.offsets[key + 1];
  return start === undefined || end === undefined ? new Uint32Array(0) : csr.items.subarray(start, end);
}
