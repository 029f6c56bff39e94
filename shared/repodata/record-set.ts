import type { RepodataRecord } from './package-record';

/**
 * A repository's package records keyed by location, for incremental updates: `add` a package (replacing one
 * at the same location), `remove` by location, then `writeRepodata(set.records(), …)`.
 */
export class RecordSet {
  private readonly byHref = new Map<string, RepodataRecord>();

  constructor(records: Iterable<RepodataRecord> = []) {
    for (const record of records) this.add(record);
  }

  /** Adds or replaces; returns the record it replaced, if any. */
  add(record: RepodataRecord): RepodataRecord | undefined {
    const previous = this.byHref.get(record.locationHref);
    this.byHref.set(record.locationHref, record);
    return previous;
  }

  remove(locationHref: string): RepodataRecord | undefined {
    const previous = this.byHref.get(locationHref);
    this.byHref.delete(locationHref);
    return previous;
  }

  get(locationHref: string): RepodataRecord | undefined {
    return this.byHref.get(locationHref);
  }

  get size(): number {
    return this.byHref.size;
  }

  records(): RepodataRecord[] {
    return [...this.byHref.values()];
  }
}
