import { U32Vec } from './columns';

/** Strings per packed chunk. */
const CHUNK = 4096;

/**
 * Interned strings: each distinct string is stored once and named by a small integer; id 0 is "". At Fedora
 * scale that is 200,000 strings, and a JavaScript string and a Map entry each would be 200,000 objects and
 * 800,000 slots that every full garbage collection traces, in every process holding the index. So they are
 * packed: every `CHUNK` strings are joined into one string and found by offset, and ids are looked up in
 * an open-addressing table of integers. `at` slices the string out again (a short-lived copy).
 */
export class StringTable {
  private readonly chunks: string[] = [];
  /** Per id: where its string ends in its chunk (it starts where the id before it in the chunk ends). */
  private readonly ends = new U32Vec(1024);
  /** The strings of the chunk being filled, ids `chunks.length * CHUNK` onwards. */
  private pending: string[] = [];
  private readonly hashes = new U32Vec(1024);
  /** Open addressing: id + 1 per slot, 0 for an empty one; at most half full. */
  private slots = new Int32Array(1024);

  constructor(strings: readonly string[] = ['']) {
    for (const s of strings) this.intern(s);
  }

  /** How many strings it holds (ids are `0..size-1`). */
  get size(): number {
    return this.ends.length;
  }

  intern(value: string): number {
    const hash = hashOf(value);
    const found = this.find(value, hash);
    if (found >= 0) return found;
    const id = this.ends.length;
    const chunkEnd = id % CHUNK === 0 ? 0 : this.ends.get(id - 1);
    this.ends.push(chunkEnd + value.length);
    this.hashes.push(hash);
    this.pending.push(value);
    if (this.pending.length === CHUNK) {
      this.chunks.push(this.pending.join(''));
      this.pending = [];
    }
    if (this.ends.length * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id, hash);
    return id;
  }

  /** The id of a string already present, or undefined (queries must not grow the table). */
  lookup(value: string): number | undefined {
    const found = this.find(value, hashOf(value));
    return found >= 0 ? found : undefined;
  }

  at(id: number): string {
    if (!(id >= 0 && id < this.ends.length)) return '';
    const chunk = Math.floor(id / CHUNK);
    if (chunk === this.chunks.length) return this.pending[id - chunk * CHUNK] ?? '';
    const start = id % CHUNK === 0 ? 0 : this.ends.get(id - 1);
    return (this.chunks[chunk] as string).slice(start, this.ends.get(id));
  }

  /** Every string, by id (for serializing). */
  toArray(): string[] {
    return Array.from({ length: this.size }, (_, id) => this.at(id));
  }

  private find(value: string, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = (this.slots[slot] as number) - 1;
      if (id < 0) return -1;
      if (this.hashes.get(id) === hash && this.holds(id, value)) return id;
    }
  }

  private holds(id: number, value: string): boolean {
    const chunk = Math.floor(id / CHUNK);
    if (chunk === this.chunks.length) return this.pending[id - chunk * CHUNK] === value;
    const start = id % CHUNK === 0 ? 0 : this.ends.get(id - 1);
    return (
      this.ends.get(id) - start === value.length && (this.chunks[chunk] as string).startsWith(value, start)
    );
  }

  private place(id: number, hash: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = id + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let id = 0; id < this.ends.length; id++) this.place(id, this.hashes.get(id));
  }
}

/** FNV-1a over the UTF-16 code units. */
function hashOf(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
