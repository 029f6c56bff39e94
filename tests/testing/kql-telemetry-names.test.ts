import { describe, expect, it } from 'vitest';
import { allCustomEvents, allMetrics } from '../../shared/telemetry/catalogue';
import {
  catalogueProblems,
  dimensionComparisons,
  kqlTelemetryNames,
  uncoveredCatalogueNames,
} from '../../testing/telemetry/kql-telemetry-names';
import type { TelemetryCatalogue } from '../../testing/telemetry/kql-telemetry-names';

const names = (query: string) => {
  const found = kqlTelemetryNames(query);
  return {
    tables: [...found.tables].sort(),
    names: [...found.names].sort(),
    dimensions: [...found.dimensions].sort(),
    unreadable: found.unreadable,
  };
};

const catalogue: TelemetryCatalogue = {
  metrics: [
    {
      name: 'azl.builds',
      kind: 'counter',
      unit: '{build}',
      description: '',
      dimensions: ['outcome', 'builder'],
    },
    { name: 'azl.queue.wait', kind: 'histogram', unit: 'ms', description: '', dimensions: ['queue'] },
  ],
  events: [{ name: 'BuildFailed', description: '', properties: ['component', 'error_code'] }],
};

describe('reading telemetry names from KQL', () => {
  it('reads == and =~ comparisons with single or double quotes, and the tables read', () => {
    expect(names(`customMetrics | where name == 'azl.builds'`)).toEqual({
      tables: ['customMetrics'],
      names: ['azl.builds'],
      dimensions: [],
      unreadable: [],
    });
    expect(names(`customEvents\n| where name =~ "BuildFailed"`).names).toEqual(['BuildFailed']);
    expect(names(`customMetrics | where name != 'azl.queue.wait'`).names).toEqual(['azl.queue.wait']);
  });

  it('reads every literal of in, in~ and !in lists', () => {
    expect(names(`customMetrics | where name in ('azl.builds', "azl.queue.wait")`).names).toEqual([
      'azl.builds',
      'azl.queue.wait',
    ]);
    expect(names(`customMetrics | where name in~ ('a') or name !in ('b')`).names).toEqual(['a', 'b']);
  });

  it('does not take operation_Name, cloud_RoleName or a property called name for the name column', () => {
    expect(
      names(`requests | where operation_Name == 'ingest' and cloud_RoleName == 'x' and d.name == 'y'`).names,
    ).toEqual([]);
  });

  it('reads customDimensions by property and by quoted index, with or without a dot', () => {
    expect(
      names(
        `customEvents | where name == 'BuildFailed' | extend c = tostring(customDimensions.component), e = customDimensions['error_code'], b = customDimensions.["builder"]`,
      ).dimensions,
    ).toEqual(['builder', 'component', 'error_code']);
  });

  it('ignores what is commented out, but not // inside a string', () => {
    const found = names(
      [
        'customMetrics',
        "| where name == 'azl.builds' // or name == 'azl.old'",
        "// | where name == 'azl.gone'",
        "| extend url = 'https://x//y', q = customDimensions.queue",
      ].join('\n'),
    );
    expect(found.names).toEqual(['azl.builds']);
    expect(found.dimensions).toEqual(['queue']);
  });

  it('reports the forms it cannot read a name from, as written', () => {
    expect(names(`customMetrics | where name startswith 'azl.'`).unreadable).toEqual([
      "name startswith 'azl.'",
    ]);
    expect(names(`customMetrics | where name has_any (wanted)`).unreadable).toEqual([
      'name has_any (wanted)',
    ]);
    expect(names(`customMetrics | where name == wanted`).unreadable).toEqual(['name == wanted']);
    expect(names(`customMetrics | where name in (wanted)`).unreadable).toEqual(['name in (wanted)']);
    expect(names(`customEvents | extend x = customDimensions[key]`).unreadable).toEqual([
      'customDimensions[key]',
    ]);
    expect(names(`customEvents | evaluate bag_unpack(customDimensions)`).unreadable).toEqual([
      'bag_unpack(customDimensions)',
    ]);
  });
});

describe('checking queries against the catalogue', () => {
  const check = (query: string): string[] => catalogueProblems([{ label: 'q', query }], catalogue);

  it('accepts a query naming catalogue metrics and their dimensions', () => {
    expect(
      check(
        `customMetrics | where name in ('azl.builds', 'azl.queue.wait') | extend o = customDimensions.outcome, q = customDimensions.queue`,
      ),
    ).toEqual([]);
    expect(check(`requests | where success == false | summarize count() by operation_Name`)).toEqual([]);
  });

  it('names a metric or event the catalogue does not define, and one read from the wrong table', () => {
    expect(check(`customMetrics | where name == 'azl.buildz'`)).toEqual([
      'q: "azl.buildz" is not a customMetrics name in shared/telemetry/catalogue.ts',
    ]);
    expect(check(`customEvents | where name == 'azl.builds'`)).toEqual([
      'q: "azl.builds" is not a customEvents name in shared/telemetry/catalogue.ts',
    ]);
  });

  it('names a dimension that none of the named metrics and events carries', () => {
    expect(check(`customMetrics | where name == 'azl.builds' | extend q = customDimensions.queue`)).toEqual([
      'q: customDimensions.queue is not a dimension of azl.builds in shared/telemetry/catalogue.ts',
    ]);
    expect(
      check(`customEvents | where name == 'BuildFailed' | extend x = customDimensions['reason']`),
    ).toEqual([
      'q: customDimensions.reason is not a dimension of BuildFailed in shared/telemetry/catalogue.ts',
    ]);
  });

  it('fails a query that reads the tables without naming what, or in a form it cannot read', () => {
    expect(check(`customMetrics | summarize count() by name`)).toEqual([
      'q: reads customMetrics without naming a metric or event',
    ]);
    expect(check(`customMetrics | where name startswith 'azl.'`)).toEqual([
      `q: cannot read a telemetry name from "name startswith 'azl.'"`,
      'q: reads customMetrics without naming a metric or event',
    ]);
  });

  it('lists the catalogue names no query names', () => {
    expect(
      uncoveredCatalogueNames(
        [
          { label: 'a', query: `customMetrics | where name == 'azl.builds'` },
          // A requests query comparing name names no pipeline telemetry.
          { label: 'b', query: `requests | where name == 'BuildFailed'` },
        ],
        catalogue,
      ),
    ).toEqual(['azl.queue.wait', 'BuildFailed']);
  });
});

describe('dimensionComparisons', () => {
  it('reads values compared directly and through a column made from the dimension', () => {
    const query = `customMetrics
| where name == 'azl.builds'
| where tostring(customDimensions.builder) == 'rpmbuild'
| extend outcome = tostring(customDimensions.outcome), src = tostring(customDimensions['source'])
| summarize failed = sumif(valueSum, outcome in ('failed', 'overlay-drift')) by src
| where src != "amqp-bridge"`;
    expect(dimensionComparisons(query)).toEqual([
      { dimension: 'builder', values: ['rpmbuild'] },
      { dimension: 'outcome', values: ['failed', 'overlay-drift'] },
      { dimension: 'source', values: ['amqp-bridge'] },
    ]);
  });

  it('finds nothing where a dimension is only grouped by or shown', () => {
    expect(
      dimensionComparisons(
        `customMetrics | extend outcome = tostring(customDimensions.outcome) | summarize count() by outcome, operation_Name`,
      ),
    ).toEqual([]);
  });

  it('makes catalogueProblems name a value the code never emits', () => {
    const problems = catalogueProblems(
      [
        {
          label: 'q',
          query: `customMetrics | where name == 'azl.ingest.messages' | where tostring(customDimensions.source) == 'bridge'`,
        },
      ],
      { metrics: allMetrics(), events: allCustomEvents() },
    );
    expect(problems).toEqual([
      'q: customDimensions.source is compared with "bridge", which the code never emits (http, datagrepper, amqp-bridge, replay)',
    ]);
  });
});
