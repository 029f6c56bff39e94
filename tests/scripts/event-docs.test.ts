import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventTableIn, renderEventTable, renderSchemaFile, SCHEMA_FILE } from '../../scripts/event-docs';
import { eventCatalogue, eventTypes } from '../../shared/events';

const ROOT = join(__dirname, '..', '..');
const README = join(ROOT, 'README.md');

describe("the README's event table and docs/events.schema.json", () => {
  it('the table is what the catalogue generates (npm run docs:events rewrites it)', async () => {
    expect(eventTableIn(readFileSync(README, 'utf8'))).toBe(await renderEventTable(README));
  });

  it('the committed JSON Schema is what the catalogue generates', async () => {
    const path = join(ROOT, SCHEMA_FILE);
    expect(readFileSync(path, 'utf8')).toBe(await renderSchemaFile(path));
  });

  it('has one row per event type with its version, and one schema per type under $defs', async () => {
    const rows = (await renderEventTable(README)).split('\n').filter((l) => /^\| `[a-z]/.test(l));
    expect(rows.map((r) => r.split('|')[1]?.trim())).toEqual(eventTypes.map((t) => `\`${t}\``));
    expect(rows.map((r) => Number(r.split('|')[2]))).toEqual(
      eventTypes.map((t) => eventCatalogue[t].version),
    );

    const schema = JSON.parse(readFileSync(join(ROOT, SCHEMA_FILE), 'utf8')) as {
      oneOf: { $ref: string }[];
      $defs: Record<string, { properties: { type: { const: string }; data: { required?: string[] } } }>;
    };
    expect(schema.oneOf.map((o) => o.$ref)).toEqual(eventTypes.map((t) => `#/$defs/${t}`));
    expect(schema.$defs['build.overlay-drift']?.properties.type.const).toBe(
      'com.azurelinux.rebuilder.build.overlay-drift',
    );
    expect(schema.$defs['build.overlay-drift']?.properties.data.required).toContain('error');
  });
});
