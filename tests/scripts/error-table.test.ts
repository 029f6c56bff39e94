import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderErrorTable, tableIn } from '../../scripts/error-table';
import { errorCodes } from '../../shared/error-codes';

const README = join(__dirname, '..', '..', 'README.md');

describe("the README's error code table", () => {
  it('is what the catalogue generates (npm run docs:errors rewrites it)', async () => {
    const table = await renderErrorTable(README);
    expect(tableIn(readFileSync(README, 'utf8'))).toBe(table);
  });

  it('has one row per code, with its retryability and HTTP status', async () => {
    const rows = (await renderErrorTable(README)).split('\n').slice(2);
    expect(rows).toHaveLength(Object.keys(errorCodes).length);
    const cells = (code: string) =>
      rows
        .find((row) => row.startsWith(`| \`${code}\``))
        ?.split('|')
        .slice(2, 4)
        .map((cell) => cell.trim());
    expect(cells('status.invalid-query')).toEqual(['no', '400']);
    expect(cells('storage.unavailable')).toEqual(['yes', '503']);
    expect(cells('servicebus.failed')).toEqual(['as the failure says', '503 when retryable']);
    expect(cells('overlay.drift')).toEqual(['no', '']);
  });
});
