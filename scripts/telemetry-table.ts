import { formatLikeReadme, runSectionWriter, sectionIn, writeSection } from './readme-section';
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
  return formatLikeReadme(readmePath, [...metrics, '', ...events].join('\n'));
}

const SECTION = { start: START_MARKER, end: END_MARKER };

/** The text between the markers (without them), or undefined when the README lacks them. */
export const tableIn = (readme: string): string | undefined => sectionIn(readme, SECTION);

/** Rewrites the table in the README at `readmePath`; says whether it changed. */
export async function writeTelemetryTable(readmePath: string): Promise<boolean> {
  return writeSection(readmePath, SECTION, await renderTelemetryTable(readmePath));
}

if (require.main === module) runSectionWriter('telemetry table', writeTelemetryTable);
