import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { describeApi } from '../functions/api-description';
import { buildFunctionTable, httpRoutesOf } from '../functions/catalog';

/**
 * `docs/openapi.json`: the OpenAPI 3.1 document `GET /api/openapi.json` serves, committed so that people and
 * tools can read the API without a running instance. `npm run docs:openapi` rewrites it;
 * `tests/scripts/openapi-docs.test.ts` fails while it differs from what the function table and the API
 * description (`functions/api-description.ts`) give.
 */
export const OPENAPI_FILE = join('docs', 'openapi.json');

/** The table's routes, without services: building the table reads no settings and calls no service. */
const tableRoutes = () =>
  httpRoutesOf(buildFunctionTable(() => Promise.reject(new Error('the API description needs no services'))));

/** The document's text as prettier formats it at `path` (so `prettier --check` passes it). */
export async function renderOpenApiFile(path: string): Promise<string> {
  const options = await resolveConfig(path);
  return format(`${JSON.stringify(describeApi(tableRoutes()), null, 2)}\n`, { ...options, parser: 'json' });
}

/** Rewrites `docs/openapi.json` below `root`; says whether it changed. */
export async function writeOpenApiFile(root: string): Promise<boolean> {
  const path = join(root, OPENAPI_FILE);
  const text = await renderOpenApiFile(path);
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) return false;
  writeFileSync(path, text);
  return true;
}

if (require.main === module) {
  const root = process.argv[2] ?? '.';
  writeOpenApiFile(root).then(
    (changed) => console.log(`${OPENAPI_FILE}: ${changed ? 'rewritten' : 'up to date'}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
