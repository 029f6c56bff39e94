import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { errorCodes } from '../shared/error-codes';
import type { ErrorCodeInfo } from '../shared/error-codes';

/**
 * The README's "Error codes" table, generated from the catalogue (`shared/error-codes.ts`) and kept between two
 * marker comments. `npm run docs:errors` rewrites it; `tests/scripts/error-table.test.ts` fails while the
 * README's copy differs from what the catalogue gives, so the docs cannot drift.
 */
export const START_MARKER =
  '<!-- error-codes:start (generated from shared/error-codes.ts: npm run docs:errors) -->';
export const END_MARKER = '<!-- error-codes:end -->';

const RETRYABLE = { true: 'yes', false: 'no', either: 'as the failure says' } as const;

function row(code: string, info: ErrorCodeInfo): string {
  const http = info.httpStatus ?? (info.retryable === 'either' ? '503 when retryable' : '');
  return `| \`${code}\` | ${RETRYABLE[`${info.retryable}`]} | ${http} | ${info.meaning} |`;
}

/** The table, one row per code in code order, formatted as prettier formats the README. */
export async function renderErrorTable(readmePath: string): Promise<string> {
  const entries: [string, ErrorCodeInfo][] = Object.entries(errorCodes);
  const rows = entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([code, info]) => row(code, info));
  const table = ['| Code | Retryable | HTTP | Meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
  const options = await resolveConfig(readmePath);
  return (await format(table, { ...options, parser: 'markdown' })).trimEnd();
}

/** The text between the markers (without them), or undefined when the README lacks them. */
export function tableIn(readme: string): string | undefined {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + START_MARKER.length, end).trim();
}

/** Rewrites the table in the README at `readmePath`; says whether it changed. */
export async function writeErrorTable(readmePath: string): Promise<boolean> {
  const readme = readFileSync(readmePath, 'utf8');
  const current = tableIn(readme);
  if (current === undefined) throw new Error(`${readmePath} has no ${START_MARKER} … ${END_MARKER}`);
  const table = await renderErrorTable(readmePath);
  if (current === table) return false;
  const start = readme.indexOf(START_MARKER) + START_MARKER.length;
  writeFileSync(
    readmePath,
    `${readme.slice(0, start)}\n\n${table}\n\n${readme.slice(readme.indexOf(END_MARKER))}`,
  );
  return true;
}

if (require.main === module) {
  const readmePath = process.argv[2] ?? 'README.md';
  writeErrorTable(readmePath).then(
    (changed) => console.log(`${readmePath}: error table ${changed ? 'rewritten' : 'up to date'}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
