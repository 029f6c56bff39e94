import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTelemetryTable, tableIn } from '../../scripts/telemetry-table';
import { allCustomEvents, allMetrics, METRICS } from '../../shared/telemetry/catalogue';

const README = join(__dirname, '..', '..', 'README.md');

describe("the README's telemetry table", () => {
  it('is what the catalogue generates (npm run docs:telemetry rewrites it)', async () => {
    const table = await renderTelemetryTable(README);
    expect(tableIn(readFileSync(README, 'utf8'))).toBe(table);
  });

  it('has one row per metric and per custom event, with its unit and dimensions', async () => {
    const lines = (await renderTelemetryTable(README)).split('\n');
    const metricRows = lines.filter((l) => l.startsWith('| `azl.'));
    const eventRows = lines.filter((l) => /^\| `[A-Z]/.test(l));
    expect(metricRows).toHaveLength(allMetrics().length);
    expect(eventRows).toHaveLength(allCustomEvents().length);
    const queueWait = metricRows.find((l) => l.startsWith(`| \`${METRICS.queueWait.name}\``));
    expect(
      queueWait
        ?.split('|')
        .slice(2, 5)
        .map((c) => c.trim()),
    ).toEqual(['histogram', '`ms`', '`queue`']);
  });
});
