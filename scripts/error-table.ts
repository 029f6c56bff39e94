import { formatLikeReadme, runSectionWriter, sectionIn, writeSection } from './readme-section';
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
  return formatLikeReadme(readmePath, table);
}

const SECTION = { start: START_MARKER, end: END_MARKER };

/** The text between the markers (without them), or undefined when the README lacks them. */
export const tableIn = (readme: string): string | undefined => sectionIn(readme, SECTION);

/** Rewrites the table in the README at `readmePath`; says whether it changed. */
export async function writeErrorTable(readmePath: string): Promise<boolean> {
  return writeSection(readmePath, SECTION, await renderErrorTable(readmePath));
}

if (require.main === module) runSectionWriter('error table', writeErrorTable);
