import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';

/**
 * A generated part of the README, kept between two marker comments (`<!-- x:start … -->` and
 * `<!-- x:end -->`) so a script can rewrite it and a test can tell when the README's copy is stale: the error
 * table (scripts/error-table.ts) and the telemetry tables (scripts/telemetry-table.ts).
 */
export interface ReadmeSection {
  readonly start: string;
  readonly end: string;
}

/** The text between the markers (without them), or undefined when the README lacks them. */
export function sectionIn(readme: string, section: ReadmeSection): string | undefined {
  const start = readme.indexOf(section.start);
  const end = readme.indexOf(section.end);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + section.start.length, end).trim();
}

/** Markdown as prettier formats the README at `readmePath`, so a generated section compares equal. */
export async function formatLikeReadme(readmePath: string, markdown: string): Promise<string> {
  const options = await resolveConfig(readmePath);
  return (await format(markdown, { ...options, parser: 'markdown' })).trimEnd();
}

/** Rewrites the section in the README at `readmePath` with `content`; says whether it changed. */
export function writeSection(readmePath: string, section: ReadmeSection, content: string): boolean {
  const readme = readFileSync(readmePath, 'utf8');
  const current = sectionIn(readme, section);
  if (current === undefined) throw new Error(`${readmePath} has no ${section.start} … ${section.end}`);
  if (current === content) return false;
  const start = readme.indexOf(section.start) + section.start.length;
  writeFileSync(
    readmePath,
    `${readme.slice(0, start)}\n\n${content}\n\n${readme.slice(readme.indexOf(section.end))}`,
  );
  return true;
}

/** The command-line shell of a section writer: `node <script> [README.md]`. */
export function runSectionWriter(what: string, write: (readmePath: string) => Promise<boolean>): void {
  const readmePath = process.argv[2] ?? 'README.md';
  write(readmePath).then(
    (changed) => console.log(`${readmePath}: ${what} ${changed ? 'rewritten' : 'up to date'}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
