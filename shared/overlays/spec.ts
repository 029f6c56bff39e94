/**
 * azldev's line-based view of a spec (DEV `internal/rpm/spec/spec.go`): no macro expansion, no `%if`
 * evaluation, no `\` continuation joining. Everything before the first section header is the preamble
 * (name "" and package ""). Section names are kept as written; overlays compare them case-sensitively.
 */
const SECTION_KEYWORDS = new Set(
  (
    '%package %prep %conf %build %install %check %clean %generate_buildrequires %pre %post %preun %postun ' +
    '%pretrans %posttrans %preuntrans %postuntrans %verify %triggerin %triggerun %triggerprein ' +
    '%triggerpostun %filetriggerin %filetriggerun %filetriggerpostun %transfiletriggerin ' +
    '%transfiletriggerun %transfiletriggerpostun %description %files %changelog %patchlist %sourcelist'
  ).split(' '),
);
const UNQUALIFIED = new Set(['%changelog', '%patchlist', '%sourcelist']);
const FLAGS_WITH_ARGUMENT = new Set(['-f', '-p', '-l', '-P']);

export interface SpecSection {
  /** The header token as written (`%files`), or "" for the preamble. */
  readonly name: string;
  /** The package qualifier: `-n NAME` → NAME, `%files devel` → devel, otherwise "". */
  readonly package: string;
  /** Index of the header line; -1 for the preamble. */
  readonly header: number;
  /** First line after the header (the body). */
  readonly start: number;
  /** One past the last line of the body: the next header, or the end of the file. */
  readonly end: number;
}

/** The section header a line opens, or undefined. A line starting with `#` in column 0 is a comment. */
export function parseHeader(line: string): { name: string; package: string } | undefined {
  if (line.startsWith('#')) return undefined;
  const tokens = line.trim().split(/\s+/);
  const name = tokens[0] ?? '';
  if (!SECTION_KEYWORDS.has(name.toLowerCase())) return undefined;
  if (UNQUALIFIED.has(name.toLowerCase())) return { name, package: '' };
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (token === '--') break;
    if (token === '-n') return { name, package: tokens[i + 1] ?? '' };
    if (FLAGS_WITH_ARGUMENT.has(token)) i++;
    else if (!token.startsWith('-')) return { name, package: token };
  }
  return { name, package: '' };
}

/** The sections of a spec, in file order, the preamble first. */
export function parseSections(lines: readonly string[]): SpecSection[] {
  const sections: SpecSection[] = [];
  let current = { name: '', package: '', header: -1, start: 0 };
  lines.forEach((line, index) => {
    const header = parseHeader(line);
    if (!header) return;
    sections.push({ ...current, end: index });
    current = { ...header, header: index, start: index + 1 };
  });
  sections.push({ ...current, end: lines.length });
  return sections;
}

/** Sections that hold tags: the preamble and `%package` sections. */
export const isPackageSection = (section: SpecSection): boolean =>
  section.name === '' || section.name.toLowerCase() === '%package';

/** The tag a line carries, if it is a tag line (the caller checks that it sits in a package section). */
export function parseTag(line: string): { tag: string; value: string } | undefined {
  if (line.startsWith('#')) return undefined;
  const match = /^([^\s:]+):\s*(.*?)\s*$/.exec(line.trim());
  if (!match) return undefined;
  return { tag: match[1] ?? '', value: match[2] ?? '' };
}

/** Splits a spec into lines; a trailing newline does not make an extra line. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export const joinLines = (lines: readonly string[]): string =>
  lines.length === 0 ? '' : `${lines.join('\n')}\n`;

/** `%if`-family openers and `%endif`, for conditional depth counting (`#` lines ignored). */
export function conditionalKind(line: string): 'open' | 'else' | 'close' | undefined {
  if (line.startsWith('#')) return undefined;
  const token = (line.trim().split(/\s+/)[0] ?? '').toLowerCase();
  if (['%if', '%ifarch', '%ifnarch', '%ifos', '%ifnos'].includes(token)) return 'open';
  if (token === '%else' || token === '%elif' || token === '%elifarch' || token === '%elifos') return 'else';
  if (token === '%endif') return 'close';
  return undefined;
}
