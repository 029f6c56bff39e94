import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE, renderOpenApiFile, writeOpenApiFile } from '../../scripts/openapi-docs';
import { tempDirForTest } from '../../testing/temp-dirs';

const ROOT = join(__dirname, '..', '..');

describe('docs/openapi.json', () => {
  it('is what the function table and the API description generate (npm run docs:openapi rewrites it)', async () => {
    const path = join(ROOT, OPENAPI_FILE);
    expect(readFileSync(path, 'utf8')).toBe(await renderOpenApiFile(path));
  });

  it('is written where missing or different, and left alone when up to date', async () => {
    const root = tempDirForTest('azl-openapi-');
    mkdirSync(join(root, 'docs'));
    expect(await writeOpenApiFile(root)).toBe(true);
    const written = JSON.parse(readFileSync(join(root, OPENAPI_FILE), 'utf8')) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(written.openapi).toBe('3.1.0');
    expect(Object.keys(written.paths)).toContain('/openapi.json');
    expect(await writeOpenApiFile(root)).toBe(false);
  });
});
