import type { CustomEventDefinition, MetricDefinition } from '../../shared/telemetry/catalogue';

/**
 * What a KQL query over Application Insights' classic tables names of the pipeline's telemetry: the tables it
 * reads (`customMetrics`, `customEvents`), the metric or event names it compares `name` with, and the
 * `customDimensions` it reads. Used to hold the portal workbook and the log alerts to
 * shared/telemetry/catalogue.ts.
 *
 * The extraction is deliberately strict rather than clever: a form it cannot read a name from (`name has 'x'`,
 * `customDimensions[column]`, `bag_unpack(customDimensions)`) is reported as `unreadable`, and the checks below
 * fail on it, so a query cannot slip a name past the check by spelling it differently. Write the queries with
 * `name == '…'` / `name in ('…', …)` and `customDimensions.x` / `customDimensions['x']`.
 */
export interface KqlTelemetryNames {
  readonly tables: ReadonlySet<'customMetrics' | 'customEvents'>;
  /** Every string `name` is compared with (==, =~, !=, !~, in, in~, !in, !in~). */
  readonly names: ReadonlySet<string>;
  /** Every customDimensions property read by name. */
  readonly dimensions: ReadonlySet<string>;
  /** The fragments no name could be read from, as written. */
  readonly unreadable: readonly string[];
}

const STRING = /(['"])((?:(?!\1).)*)\1/g;

/** Removes `// …` comments (outside string literals) so a commented-out filter does not count. */
function withoutComments(query: string): string {
  return query
    .split('\n')
    .map((line) => {
      let quote: string | undefined;
      for (let i = 0; i < line.length; i += 1) {
        const char = line[i];
        if (quote !== undefined) {
          if (char === quote) quote = undefined;
        } else if (char === "'" || char === '"') quote = char;
        else if (char === '/' && line[i + 1] === '/') return line.slice(0, i);
      }
      return line;
    })
    .join('\n');
}

// `name` as a column: not part of `operation_Name`, `cloud_RoleName` or `x.name`.
const NAME = String.raw`(?<![\w.])name`;
const NAME_EQUALS = new RegExp(String.raw`${NAME}\s*(?:==|=~|!=|!~)\s*(['"])((?:(?!\1).)*)\1`, 'g');
const NAME_EQUALS_OTHER = new RegExp(String.raw`${NAME}\s*(?:==|=~|!=|!~)(?!\s*['"])[^|\n]*`, 'g');
const NAME_IN = new RegExp(String.raw`${NAME}\s*!?in~?\s*\(([^)]*)\)`, 'g');
const NAME_OTHER = new RegExp(
  String.raw`${NAME}\s*(?:!?(?:has|contains|startswith|endswith|hasprefix|hassuffix|has_any|has_all)(?:_cs)?|matches\s+regex)\b[^|\n]*`,
  'gi',
);
const DIMENSION_DOT = /customDimensions\s*\.\s*([A-Za-z_]\w*)/g;
const DIMENSION_INDEX = /customDimensions\s*\.?\s*\[\s*(['"])((?:(?!\1).)*)\1\s*\]/g;
const DIMENSION_INDEX_OTHER = /customDimensions\s*\.?\s*\[\s*(?!['"])[^\]]*\]/g;
const DIMENSION_UNPACK = /bag_unpack\s*\(\s*customDimensions[^)]*\)/g;

export function kqlTelemetryNames(query: string): KqlTelemetryNames {
  const text = withoutComments(query);
  const tables = new Set<'customMetrics' | 'customEvents'>();
  for (const match of text.matchAll(/\b(customMetrics|customEvents)\b/g)) {
    tables.add(match[1] as 'customMetrics' | 'customEvents');
  }
  const names = new Set<string>();
  const unreadable: string[] = [];
  for (const match of text.matchAll(NAME_EQUALS)) names.add(match[2] as string);
  for (const match of text.matchAll(NAME_EQUALS_OTHER)) unreadable.push(match[0].trim());
  for (const match of text.matchAll(NAME_IN)) {
    const list = match[1] as string;
    const literals = [...list.matchAll(STRING)].map((literal) => literal[2] as string);
    const rest = list.replace(STRING, '').replace(/[\s,]/g, '');
    if (rest !== '' || literals.length === 0) unreadable.push(match[0].trim());
    for (const literal of literals) names.add(literal);
  }
  for (const match of text.matchAll(NAME_OTHER)) unreadable.push(match[0].trim());
  const dimensions = new Set<string>();
  for (const match of text.matchAll(DIMENSION_DOT)) dimensions.add(match[1] as string);
  for (const match of text.matchAll(DIMENSION_INDEX)) dimensions.add(match[2] as string);
  for (const match of text.matchAll(DIMENSION_INDEX_OTHER)) unreadable.push(match[0].trim());
  for (const match of text.matchAll(DIMENSION_UNPACK)) unreadable.push(match[0].trim());
  return { tables, names, dimensions, unreadable };
}

/** One comparison of a customDimensions property with literal values (`== 'x'`, `in ('x', 'y')`, …). */
export interface DimensionComparison {
  readonly dimension: string;
  readonly values: readonly string[];
}

const DIMENSION_REF = String.raw`(?:tostring\(\s*)?customDimensions\s*(?:\.\s*([A-Za-z_]\w*)|\.?\s*\[\s*['"]([^'"]+)['"]\s*\])(?:\s*\))?`;
const ALIAS = new RegExp(String.raw`\b([A-Za-z_]\w*)\s*=\s*${DIMENSION_REF}`, 'g');

/**
 * The literal values a query compares each customDimensions property with, read directly
 * (`tostring(customDimensions.source) == 'amqp-bridge'`) or through a column the query made from it
 * (`extend outcome = tostring(customDimensions.outcome) | … outcome in ('failed', 'overlay-drift')`).
 */
export function dimensionComparisons(query: string): DimensionComparison[] {
  const text = withoutComments(query);
  const subjects: { pattern: string; dimension: (match: RegExpMatchArray) => string }[] = [
    { pattern: DIMENSION_REF, dimension: (m) => (m[1] ?? m[2]) as string },
  ];
  for (const match of text.matchAll(ALIAS)) {
    const alias = match[1] as string;
    const dimension = (match[2] ?? match[3]) as string;
    subjects.push({ pattern: String.raw`(?<![\w.])${alias}(?![\w(])`, dimension: () => dimension });
  }
  const comparisons: DimensionComparison[] = [];
  for (const { pattern, dimension } of subjects) {
    const equals = new RegExp(
      String.raw`${pattern}\s*(?:==|=~|!=|!~)\s*(?<quote>['"])((?:(?!\k<quote>).)*)\k<quote>`,
      'g',
    );
    const within = new RegExp(String.raw`${pattern}\s*!?in~?\s*\(([^)]*)\)`, 'g');
    for (const match of text.matchAll(equals)) {
      const literal = match.at(-1) as string;
      comparisons.push({ dimension: dimension(match), values: [literal] });
    }
    for (const match of text.matchAll(within)) {
      const list = match.at(-1) as string;
      comparisons.push({
        dimension: dimension(match),
        values: [...list.matchAll(STRING)].map((literal) => literal[2] as string),
      });
    }
  }
  return comparisons;
}

export interface TelemetryCatalogue {
  readonly metrics: readonly MetricDefinition[];
  readonly events: readonly CustomEventDefinition[];
}

/** A query with where it comes from, for the messages (`workbook item "builds-by-outcome"`). */
export interface LabelledQuery {
  readonly label: string;
  readonly query: string;
}

/**
 * Every way `queries` disagree with the catalogue, one line each naming the query and the name: a metric or
 * event the catalogue does not define (or a metric name in a query over customEvents only, and the reverse),
 * a customDimensions property that none of the metrics and events the query names carries, dimensions read
 * without naming any metric or event, and forms the extraction cannot read.
 */
export function catalogueProblems(
  queries: readonly LabelledQuery[],
  catalogue: TelemetryCatalogue,
): string[] {
  const metrics = new Map(catalogue.metrics.map((m) => [m.name, m.dimensions]));
  const events = new Map(catalogue.events.map((e) => [e.name, e.properties]));
  const problems: string[] = [];
  for (const { label, query } of queries) {
    const found = kqlTelemetryNames(query);
    for (const fragment of found.unreadable) {
      problems.push(`${label}: cannot read a telemetry name from "${fragment}"`);
    }
    if (found.tables.size === 0) {
      // A query over requests, exceptions or the resources' own tables names no pipeline telemetry.
      for (const dimension of found.dimensions) {
        problems.push(`${label}: reads customDimensions.${dimension} outside customMetrics/customEvents`);
      }
      continue;
    }
    const allowed = new Set<string>();
    for (const name of found.names) {
      const dimensions =
        (found.tables.has('customMetrics') ? metrics.get(name) : undefined) ??
        (found.tables.has('customEvents') ? events.get(name) : undefined);
      if (dimensions === undefined) {
        const table = [...found.tables].join('/');
        problems.push(`${label}: "${name}" is not a ${table} name in shared/telemetry/catalogue.ts`);
      } else for (const dimension of dimensions) allowed.add(dimension);
    }
    if (found.names.size === 0) {
      problems.push(`${label}: reads ${[...found.tables].join('/')} without naming a metric or event`);
    }
    for (const { dimension, values } of dimensionComparisons(query)) {
      const known = [...found.names].flatMap((name) => {
        const metric = catalogue.metrics.find((m) => m.name === name);
        return metric?.values?.[dimension] ?? [];
      });
      if (known.length === 0) continue;
      for (const value of values.filter((v) => !known.includes(v))) {
        problems.push(
          `${label}: customDimensions.${dimension} is compared with "${value}", which the code never emits (${known.join(', ')})`,
        );
      }
    }
    for (const dimension of found.dimensions) {
      if (!allowed.has(dimension)) {
        problems.push(
          `${label}: customDimensions.${dimension} is not a dimension of ${[...found.names].join(', ') || 'anything it names'} in shared/telemetry/catalogue.ts`,
        );
      }
    }
  }
  return problems;
}

/** The catalogue's metrics and events that none of `queries` names. */
export function uncoveredCatalogueNames(
  queries: readonly LabelledQuery[],
  catalogue: TelemetryCatalogue,
): string[] {
  const named = new Set(
    queries.flatMap(({ query }) => {
      const found = kqlTelemetryNames(query);
      return found.tables.size > 0 ? [...found.names] : [];
    }),
  );
  return [...catalogue.metrics, ...catalogue.events]
    .map((item) => item.name)
    .filter((name) => !named.has(name));
}
