import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { formatLikeReadme, runSectionWriter, sectionIn, writeSection } from './readme-section';
import { describeEventTypes, eventsJsonSchemaText } from '../shared/events';

/**
 * What is generated from the event catalogue (`shared/events/catalogue.ts`): the README's table of event types,
 * between two marker comments as the error and telemetry tables are, and the JSON Schema file
 * `docs/events.schema.json`. `npm run docs:events` rewrites both; `tests/scripts/event-docs.test.ts` fails while
 * either differs from what the catalogue gives.
 */
export const START_MARKER =
  '<!-- events:start (generated from shared/events/catalogue.ts: npm run docs:events) -->';
export const END_MARKER = '<!-- events:end -->';

/** The committed JSON Schema, relative to the repository root. */
export const SCHEMA_FILE = join('docs', 'events.schema.json');

const code = (text: string): string => `\`${text}\``;
/** A description as one table cell: pipes escaped (a cell must not split). */
const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The JSON Schema file's text as prettier formats it at `schemaPath` (so `prettier --check` passes it). */
export async function renderSchemaFile(schemaPath: string): Promise<string> {
  const options = await resolveConfig(schemaPath);
  return format(eventsJsonSchemaText(), { ...options, parser: 'json' });
}

/** The table, in catalogue order, formatted as prettier formats the README. */
export async function renderEventTable(readmePath: string): Promise<string> {
  const rows = [
    '| Event type | Version | Subject | Meaning |',
    '| --- | --- | --- | --- |',
    ...describeEventTypes().map(
      (e) =>
        `| ${code(e.type)} | ${e.version} | ${e.subject} | ${cell(e.description)}${e.producedLater ? ' (defined; nothing sends it yet)' : ''} |`,
    ),
  ];
  return formatLikeReadme(readmePath, rows.join('\n'));
}

const SECTION = { start: START_MARKER, end: END_MARKER };

/** The text between the markers (without them), or undefined when the README lacks them. */
export const eventTableIn = (readme: string): string | undefined => sectionIn(readme, SECTION);

/** Rewrites the README's table and the schema file next to it; says whether either changed. */
export async function writeEventDocs(readmePath: string): Promise<boolean> {
  const tableChanged = writeSection(readmePath, SECTION, await renderEventTable(readmePath));
  const schemaPath = join(readmePath, '..', SCHEMA_FILE);
  const text = await renderSchemaFile(schemaPath);
  let current: string | undefined;
  try {
    current = readFileSync(schemaPath, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== text) writeFileSync(schemaPath, text);
  return tableChanged || current !== text;
}

if (require.main === module) runSectionWriter(`event table and ${SCHEMA_FILE}`, writeEventDocs);
