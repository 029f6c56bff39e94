import { newestFirst } from '../../shared/images/image-build';
import type { ImageBuildRecord } from '../../shared/images/image-build';
import type { ImageBuildRecords } from '../../shared/images/image-build-records';
import { imageBuildsTable } from '../../shared/storage';
import { componentKey } from '../../shared/storage/table-keys';
import { CatalogueTable, ignoreInvalidRow } from '../storage';
import type { InvalidRowHandler, TableOf, TableStore } from '../storage';

/**
 * Image build records in Azure Tables (`imagebuilds`): partition = image, row = version, the whole record as
 * JSON beside the columns a listing shows. Listings skip a row that does not fit its schema (handed to
 * `skipInvalidRow`), so one damaged record does not hide an image's other versions.
 */
export class TableImageBuilds implements ImageBuildRecords {
  private readonly builds: TableOf<typeof imageBuildsTable>;

  constructor(
    tables: TableStore,
    private readonly skipInvalidRow: InvalidRowHandler = ignoreInvalidRow,
    name?: string,
  ) {
    this.builds = new CatalogueTable(tables, imageBuildsTable, name);
  }

  async get(image: string, version: string): Promise<ImageBuildRecord | undefined> {
    await this.builds.ensure();
    return (await this.builds.get(image, version))?.row;
  }

  async put(record: ImageBuildRecord): Promise<void> {
    await this.builds.ensure();
    await this.builds.upsert(record, 'replace');
  }

  async versions(image: string): Promise<ImageBuildRecord[]> {
    await this.builds.ensure();
    const records: ImageBuildRecord[] = [];
    const rows = this.builds.allValid({ partitionKey: componentKey(image) }, this.skipInvalidRow);
    for await (const record of rows) records.push(record);
    return records.sort(newestFirst);
  }

  async latest(): Promise<ImageBuildRecord[]> {
    await this.builds.ensure();
    const newest = new Map<string, ImageBuildRecord>();
    for await (const record of this.builds.allValid({}, this.skipInvalidRow)) {
      const known = newest.get(record.image);
      if (!known || newestFirst(record, known) < 0) newest.set(record.image, record);
    }
    return [...newest.values()].sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
  }
}
