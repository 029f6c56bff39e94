import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { allCustomEvents, allMetrics } from '../shared/telemetry/catalogue';

/**
 * The README's table of the metrics and custom events the pipeline emits, generated from the telemetry
 * catalogue (`shared/telemetry/catalogue.ts`) and kept between two marker comments, as the error table is.
 * `npm run docs:telemetry` rewrites it; `tests/scripts/telemetry-table.test.ts` fails while the README's copy
 * differs from what the catalogue gives.
 */
export const START_MARKER =
  '<!-- telemetry:start (generated from shared/telemetry/catalogue.ts: npm run docs:telemetry) -->';
export const END_MARKER = '<!-- telemetry:end -->';

const code = (text: string): string => `\`${text}\``;
const list = (names: readonly string[]): string => names.map(code).join(', ');
/** A description as one table cell: pipes escaped (none today, but a cell must not split). */
const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** Both tables, in catalogue order, formatted as prettier formats the README. */
export async function renderTelemetryTable(readmePath: string): Promise<string> {
  const metrics = [
    '| Metric (`customMetrics`) | Kind | Unit | Dimensions | Meaning |',
    '| --- | --- | --- | --- | --- |',
    ...allMetrics().map(
      (m) =>
        `| ${code(m.name)} | ${m.kind} | ${code(m.unit)} | ${list(m.dimensions)} | ${cell(m.description)} |`,
    ),
  ];
  const events = [
    '| Custom event (`customEvents`) | Properties | Meaning |',
    '| --- | --- | --- |',
    ...allCustomEvents().map((e) => `| ${code(e.name)} | ${list(e.properties)} | ${cell(e.description)} |`),
  ];
  const options = await resolveConfig(readmePath);
  return (await format([...metrics, '', ...events].join('\n'), { ...options, parser: 'markdown' })).trimEnd();
}

/** The text between the markers (without them), or undefined when the README lacks them. */
export function tableIn(readme: string): string | undefined {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + START_MARKER.length, end).trim();
}

/** Rewrites the tables in the README at `readmePath`; says whether they changed. */
export async function writeTelemetryTable(readmePath: string): Promise<boolean> {
  const readme = readFileSync(readmePath, 'utf8');
  const current = tableIn(readme);
  if (current === undefined) throw new Error(`${readmePath} has no ${START_MARKER} … ${END_MARKER}`);
  const table = await renderTelemetryTable(readmePath);
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
  writeTelemetryTable(readmePath).then(
    (changed) => console.log(`${readmePath}: telemetry table ${changed ? 'rewritten' : 'up to date'}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
