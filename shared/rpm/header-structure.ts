import { PipelineError } from '../errors';
import { TagType } from './tags';
import type { TagTypeCode } from './tags';

/** `8E AD E8 01`: the magic every header structure (signature and main) starts with. */
const HEADER_MAGIC = 0x8eade801;
export const HEADER_INTRO_BYTES = 16;
const INDEX_ENTRY_BYTES = 16;
/** rpm refuses headers above these sizes (`hdrblob` limits: 256 MiB data, 0xffff entries × 16); so do we. */
const MAX_INDEX_ENTRIES = 0x10000;
const MAX_DATA_BYTES = 256 * 1024 * 1024;

const ELEMENT_BYTES: Partial<Record<number, number>> = {
  [TagType.CHAR]: 1,
  [TagType.INT8]: 1,
  [TagType.INT16]: 2,
  [TagType.INT32]: 4,
  [TagType.INT64]: 8,
  [TagType.BIN]: 1,
};

interface IndexEntry {
  tag: number;
  type: TagTypeCode;
  offset: number;
  count: number;
}

/** A decoded tag value, by the tag's data type. */
export type TagValue =
  | { type: 'null' }
  | { type: 'char' | 'int8' | 'int16' | 'int32'; value: number[] }
  | { type: 'int64'; value: bigint[] }
  | { type: 'string'; value: string }
  | { type: 'bin'; value: Uint8Array }
  | { type: 'string-array' | 'i18nstring'; value: string[] };

export interface HeaderSize {
  indexEntries: number;
  dataBytes: number;
  /** Bytes of the whole structure: intro + index + data store. */
  totalBytes: number;
}

/** Reads the 16-byte intro at `offset` (which must be present) and checks the magic and the limits. */
export function readHeaderSize(bytes: Uint8Array, offset: number, which: string): HeaderSize {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(offset) !== HEADER_MAGIC)
    throw PipelineError.permanent('rpm.bad-magic', `the ${which} header does not start with 8EADE801`, {
      component: 'rpm',
      header: which,
      offset,
    });
  const indexEntries = view.getUint32(offset + 8);
  const dataBytes = view.getUint32(offset + 12);
  if (indexEntries > MAX_INDEX_ENTRIES || dataBytes > MAX_DATA_BYTES)
    throw PipelineError.permanent(
      'rpm.corrupt-header',
      `the ${which} header claims ${indexEntries} entries and ${dataBytes} data bytes, beyond rpm's limits`,
      { component: 'rpm', header: which, offset },
    );
  const totalBytes = HEADER_INTRO_BYTES + indexEntries * INDEX_ENTRY_BYTES + dataBytes;
  return { indexEntries, dataBytes, totalBytes };
}

const decoder = new TextDecoder('utf-8');

/**
 * One header structure (intro, index, data store) over bytes that hold all of it. Entries are checked when
 * read: a value that reaches outside the data store, a string without its NUL, or an unknown type is a
 * permanent `rpm.corrupt-header` naming the header, the tag and the file offset of the entry.
 */
export class HeaderStructure {
  private readonly entries = new Map<number, IndexEntry>();
  private readonly view: DataView;
  private readonly dataStart: number;
  private readonly dataEnd: number;

  constructor(
    private readonly bytes: Uint8Array,
    readonly start: number,
    readonly size: HeaderSize,
    private readonly which: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.dataStart = start + HEADER_INTRO_BYTES + size.indexEntries * INDEX_ENTRY_BYTES;
    this.dataEnd = this.dataStart + size.dataBytes;
    for (let i = 0; i < size.indexEntries; i++) {
      const at = start + HEADER_INTRO_BYTES + i * INDEX_ENTRY_BYTES;
      const entry: IndexEntry = {
        tag: this.view.getUint32(at),
        type: this.view.getUint32(at + 4) as TagTypeCode,
        offset: this.view.getInt32(at + 8),
        count: this.view.getUint32(at + 12),
      };
      if (entry.type > TagType.I18NSTRING) this.corrupt(entry, `unknown data type ${entry.type}`);
      if (entry.offset < 0 || entry.offset > size.dataBytes)
        this.corrupt(entry, 'offset outside the data store');
      if (!this.entries.has(entry.tag)) this.entries.set(entry.tag, entry);
    }
  }

  /** End offset (exclusive) of the structure in the file. */
  get end(): number {
    return this.dataEnd;
  }

  tags(): number[] {
    return [...this.entries.keys()];
  }

  has(tag: number): boolean {
    return this.entries.has(tag);
  }

  /** The value of `tag` decoded by its type, or undefined when absent. */
  value(tag: number): TagValue | undefined {
    const entry = this.entries.get(tag);
    if (!entry) return undefined;
    switch (entry.type) {
      case TagType.NULL:
        return { type: 'null' };
      case TagType.CHAR:
        return { type: 'char', value: this.integers(entry) };
      case TagType.INT8:
        return { type: 'int8', value: this.integers(entry) };
      case TagType.INT16:
        return { type: 'int16', value: this.integers(entry) };
      case TagType.INT32:
        return { type: 'int32', value: this.integers(entry) };
      case TagType.INT64:
        return { type: 'int64', value: this.bigIntegers(entry) };
      case TagType.STRING:
        return { type: 'string', value: this.strings(entry)[0] ?? '' };
      case TagType.BIN: {
        const from = this.dataStart + entry.offset;
        this.within(entry, from + entry.count);
        return { type: 'bin', value: this.bytes.subarray(from, from + entry.count) };
      }
      case TagType.STRING_ARRAY:
        return { type: 'string-array', value: this.strings(entry) };
      case TagType.I18NSTRING:
        return { type: 'i18nstring', value: this.strings(entry) };
    }
  }

  /** A string tag; for string arrays and i18n strings the first element (the C locale). */
  string(tag: number): string | undefined {
    const entry = this.entries.get(tag);
    if (!entry) return undefined;
    this.expect(entry, [TagType.STRING, TagType.STRING_ARRAY, TagType.I18NSTRING]);
    return this.strings(entry, 1)[0];
  }

  stringArray(tag: number): string[] {
    const entry = this.entries.get(tag);
    if (!entry) return [];
    this.expect(entry, [TagType.STRING, TagType.STRING_ARRAY, TagType.I18NSTRING]);
    return this.strings(entry);
  }

  /** Integer array of any integer type; INT64 values beyond 2^53 are refused as corrupt. */
  numbers(tag: number): number[] {
    const entry = this.entries.get(tag);
    if (!entry) return [];
    if (entry.type === TagType.INT64)
      return this.bigIntegers(entry).map((v) => {
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < 0n) this.corrupt(entry, 'a 64-bit value beyond 2^53');
        return Number(v);
      });
    this.expect(entry, [TagType.CHAR, TagType.INT8, TagType.INT16, TagType.INT32]);
    return this.integers(entry);
  }

  number(tag: number): number | undefined {
    return this.entries.has(tag) ? this.numbers(tag)[0] : undefined;
  }

  private integers(entry: IndexEntry): number[] {
    const width = ELEMENT_BYTES[entry.type] ?? 1;
    const from = this.dataStart + entry.offset;
    this.within(entry, from + entry.count * width);
    const out = new Array<number>(entry.count);
    for (let i = 0; i < entry.count; i++) {
      const at = from + i * width;
      out[i] =
        width === 4 ? this.view.getUint32(at) : width === 2 ? this.view.getUint16(at) : (this.bytes[at] ?? 0);
    }
    return out;
  }

  private bigIntegers(entry: IndexEntry): bigint[] {
    const from = this.dataStart + entry.offset;
    this.within(entry, from + entry.count * 8);
    return Array.from({ length: entry.count }, (_, i) => this.view.getBigUint64(from + i * 8));
  }

  private strings(entry: IndexEntry, limit = Infinity): string[] {
    const count = entry.type === TagType.STRING ? 1 : entry.count;
    const out: string[] = [];
    let at = this.dataStart + entry.offset;
    for (let i = 0; i < count && i < limit; i++) {
      const nul = this.bytes.indexOf(0, at);
      if (nul < 0 || nul >= this.dataEnd)
        this.corrupt(entry, 'a string without its NUL inside the data store');
      out.push(decoder.decode(this.bytes.subarray(at, nul)));
      at = nul + 1;
    }
    return out;
  }

  private within(entry: IndexEntry, end: number): void {
    if (end > this.dataEnd) this.corrupt(entry, 'value reaches past the data store');
  }

  private expect(entry: IndexEntry, types: readonly number[]): void {
    if (!types.includes(entry.type)) this.corrupt(entry, `unexpected data type ${entry.type}`);
  }

  private corrupt(entry: IndexEntry, why: string): never {
    throw PipelineError.permanent(
      'rpm.corrupt-header',
      `the ${this.which} header's tag ${entry.tag}: ${why}`,
      {
        component: 'rpm',
        header: this.which,
        tag: entry.tag,
        offset: this.dataStart + Math.max(0, entry.offset),
      },
    );
  }
}
