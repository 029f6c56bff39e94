import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { serviceBusEntities } from '../../scripts/deployment-entities';
import { allCustomEvents, allMetrics, CUSTOM_EVENTS, METRICS } from '../../shared/telemetry/catalogue';
import { SAMPLE_MODULE_OUTPUTS, sampleReference } from '../../testing/arm/deployment-samples';
import type { ArmValue } from '../../testing/arm/expression';
import {
  compileBicep,
  deployedResources,
  deploymentContext,
  ofType,
  propertiesOf,
  valueIn,
} from '../../testing/arm/template';
import type { ArmTemplate, DeployedResource } from '../../testing/arm/template';
import {
  catalogueProblems,
  kqlTelemetryNames,
  uncoveredCatalogueNames,
} from '../../testing/telemetry/kql-telemetry-names';
import type { LabelledQuery } from '../../testing/telemetry/kql-telemetry-names';

/**
 * The portal side of the telemetry: the workbook (bicep/workbook/pipeline.workbook.json, deployed by
 * bicep/modules/workbook.bicep) and the alerts (bicep/modules/alerts.bicep), held to
 * shared/telemetry/catalogue.ts and read from bicep/main.bicep as the real CLI compiles it.
 */
const ROOT = join(__dirname, '..', '..');
const WORKBOOK_FILE = join(ROOT, 'bicep', 'workbook', 'pipeline.workbook.json');
const CATALOGUE = { metrics: allMetrics(), events: allCustomEvents() };
const APPLICATION_INSIGHTS_ID = String(SAMPLE_MODULE_OUTPUTS['monitoring']?.['applicationInsightsId']);
const NAMESPACE_ID = String(SAMPLE_MODULE_OUTPUTS['service-bus']?.['id']);

let template: ArmTemplate;

beforeAll(() => {
  ({ template } = compileBicep(join(ROOT, 'bicep', 'main.bicep')));
}, 60_000);

const deploy = (parameters: Record<string, ArmValue> = {}): DeployedResource[] =>
  deployedResources(
    template,
    deploymentContext(template, { environmentName: 'azl', ...parameters }, sampleReference),
  );
const value = valueIn;
const nameOf = (deployed: DeployedResource): string => String(value(deployed, deployed.resource.name));

interface WorkbookItem {
  readonly type: number;
  readonly name: string;
  readonly content: Record<string, unknown> & { items?: WorkbookItem[] };
}
interface Workbook {
  readonly version: string;
  readonly items: WorkbookItem[];
  readonly fallbackResourceIds: string[];
}

/** Every item of a workbook, groups (type 12) opened. */
const itemsOf = (items: readonly WorkbookItem[]): WorkbookItem[] =>
  items.flatMap((item) => [item, ...(item.type === 12 ? itemsOf(item.content.items ?? []) : [])]);

/** The KQL of every query item (type 3), labelled with the item's name. */
const queriesOf = (workbook: Workbook): LabelledQuery[] =>
  itemsOf(workbook.items)
    .filter((item) => item.type === 3)
    .map((item) => ({ label: `workbook item "${item.name}"`, query: String(item.content['query']) }));

const workbookFile = (): Workbook => JSON.parse(readFileSync(WORKBOOK_FILE, 'utf8')) as Workbook;

describe('the workbook', () => {
  it('queries only the metrics, events and dimensions the catalogue defines', () => {
    const queries = queriesOf(workbookFile());
    expect(queries.length).toBeGreaterThan(10);
    expect(catalogueProblems(queries, CATALOGUE)).toEqual([]);
  });

  it('shows every metric and custom event of the catalogue', () => {
    expect(uncoveredCatalogueNames(queriesOf(workbookFile()), CATALOGUE)).toEqual([]);
  });

  it('would fail on a name the code does not emit, and on a metric it stopped showing', () => {
    // The same checks on an edited copy: a misspelled metric, a dimension the metric lacks, one metric gone.
    const edited = queriesOf(workbookFile()).map(({ label, query }) => ({
      label,
      query: query
        .replace("'azl.builds'", "'azl.build.count'")
        .replace('customDimensions.repository', 'customDimensions.repo'),
    }));
    const problems = catalogueProblems(edited, CATALOGUE);
    expect(problems).toContain(
      'workbook item "builds-by-outcome": "azl.build.count" is not a customMetrics name in shared/telemetry/catalogue.ts',
    );
    expect(problems).toContainEqual(expect.stringMatching(/customDimensions\.repo is not a dimension of/));
    expect(uncoveredCatalogueNames(edited, CATALOGUE)).toEqual([METRICS.builds.name]);
  });

  it('gathers the webhook telemetry in one group, with the endpoints disabled and why', () => {
    const group = workbookFile().items.find((item) => item.name === 'webhooks');
    expect(group?.type).toBe(12);
    const queries = queriesOf({ ...workbookFile(), items: group?.content.items ?? [] });
    const named = new Set(queries.flatMap(({ query }) => [...kqlTelemetryNames(query).names]));
    expect(named).toEqual(
      new Set([
        METRICS.webhookAttempts.name,
        METRICS.webhookAttemptDuration.name,
        CUSTOM_EVENTS.webhookEndpointDisabled.name,
      ]),
    );
    const disabled = queries.find(({ label }) => label.includes('"webhook-endpoints-disabled"'));
    expect(disabled?.query).toMatch(/\n\| project timestamp, /);
    expect(kqlTelemetryNames(disabled?.query ?? '').dimensions).toEqual(
      new Set(CUSTOM_EVENTS.webhookEndpointDisabled.properties),
    );
  });

  it('reads the Application Insights component and charts the namespace per queue', () => {
    const workbook = workbookFile();
    expect(workbook.version).toBe('Notebook/1.0');
    const items = itemsOf(workbook.items);
    for (const item of items.filter((i) => i.type === 3)) {
      expect(item.content, item.name).toMatchObject({
        queryType: 0,
        resourceType: 'microsoft.insights/components',
        crossComponentResources: ['__APPLICATION_INSIGHTS_ID__'],
        timeContextFromParameter: 'TimeRange',
      });
    }
    const serviceBusCharts = items
      .filter((i) => i.type === 10)
      .map((i) => ({ resources: i.content['resourceIds'], metrics: i.content['metrics'] }));
    expect(serviceBusCharts).toEqual(
      ['ActiveMessages', 'DeadletteredMessages'].map((metric) => ({
        resources: ['__SERVICE_BUS_NAMESPACE_ID__'],
        metrics: [
          expect.objectContaining({
            namespace: 'microsoft.servicebus/namespaces',
            metric: `microsoft.servicebus/namespaces--${metric}`,
            splitBy: ['EntityName'],
          }),
        ],
      })),
    );
    const names = items.map((i) => i.name);
    expect(new Set(names).size, 'item names are unique').toBe(names.length);
  });

  it('is deployed as a shared workbook of the component, with the real resource ids in place', () => {
    const [deployed, ...others] = ofType(deploy(), 'Microsoft.Insights/workbooks');
    expect(others).toEqual([]);
    const workbook = deployed as DeployedResource;
    expect(workbook.resource.kind).toBe('shared');
    expect(String(workbook.resource.name)).toMatch(/^\[guid\(/);
    expect(nameOf(workbook)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const properties = propertiesOf(workbook);
    expect(properties).toMatchObject({
      category: 'workbook',
      sourceId: APPLICATION_INSIGHTS_ID,
      displayName: 'azl-rebuilder pipeline (azl)',
    });
    const serialized = String(properties['serializedData']);
    expect(serialized).not.toMatch(/__[A-Z_]+_ID__/);
    const expected = JSON.stringify(workbookFile())
      .replaceAll('__APPLICATION_INSIGHTS_ID__', APPLICATION_INSIGHTS_ID)
      .replaceAll('__SERVICE_BUS_NAMESPACE_ID__', NAMESPACE_ID);
    expect(JSON.parse(serialized)).toEqual(JSON.parse(expected));
  });
});

const LOG_ALERT = 'Microsoft.Insights/scheduledQueryRules';
const METRIC_ALERT = 'Microsoft.Insights/metricAlerts';
const ACTION_GROUP = 'Microsoft.Insights/actionGroups';

interface LogCriterion {
  query: string;
  metricMeasureColumn: string;
  operator: string;
  threshold: number;
  timeAggregation: string;
  dimensions?: { name: string; operator: string; values: string[] }[];
}
const logAlerts = (resources: DeployedResource[]) =>
  ofType(resources, LOG_ALERT).map((alert) => {
    const properties = propertiesOf(alert);
    const criteria = properties['criteria'] as unknown as { allOf: LogCriterion[] };
    expect(criteria.allOf, nameOf(alert)).toHaveLength(1);
    return {
      name: nameOf(alert),
      kind: alert.resource.kind,
      properties,
      criterion: criteria.allOf[0] as LogCriterion,
    };
  });
const logAlert = (resources: DeployedResource[], name: string) => {
  const found = logAlerts(resources).find((alert) => alert.name === name);
  if (!found) throw new Error(`no log alert ${name}`);
  return found;
};

describe('the alerts', () => {
  it('watch the dead-letter queue of every queue and topic entities.ts defines', () => {
    const alerts = ofType(deploy(), METRIC_ALERT).map((alert) => ({
      name: nameOf(alert),
      properties: propertiesOf(alert),
    }));
    const { queues: definedQueues, topics } = serviceBusEntities();
    expect(definedQueues.length).toBeGreaterThan(0);
    // A topic's DeadletteredMessages is its subscriptions' dead letters, under the topic's name.
    const queues = [...definedQueues, ...topics].map((entity) => entity.name);
    expect(alerts.map((alert) => alert.name)).toEqual(
      queues.map((queue) => `alert-dead-letters-${queue}-azl`),
    );
    alerts.forEach((alert, i) => {
      expect(alert.properties).toMatchObject({
        scopes: [NAMESPACE_ID],
        enabled: true,
        criteria: {
          'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria',
          allOf: [
            {
              metricNamespace: 'Microsoft.ServiceBus/namespaces',
              metricName: 'DeadletteredMessages',
              dimensions: [{ name: 'EntityName', operator: 'Include', values: [queues[i]] }],
              operator: 'GreaterThan',
              threshold: 0,
            },
          ],
        },
      });
    });
  });

  it('query only catalogue metrics and events, and each the one it is about', () => {
    const alerts = logAlerts(deploy({ fedoraBridge: true }));
    expect(alerts.map((alert) => alert.name).sort()).toEqual(
      [
        'alert-backlog-age-azl',
        'alert-build-failure-rate-azl',
        'alert-fedora-silence-azl',
        'alert-function-failures-azl',
        'alert-webhook-endpoint-disabled-azl',
      ].sort(),
    );
    const queries = alerts.map((alert) => ({ label: alert.name, query: alert.criterion.query }));
    expect(catalogueProblems(queries, CATALOGUE)).toEqual([]);
    const named = Object.fromEntries(
      alerts.map((alert) => [alert.name, [...kqlTelemetryNames(alert.criterion.query).names]]),
    );
    expect(named).toEqual({
      'alert-backlog-age-azl': [METRICS.queueWait.name],
      'alert-build-failure-rate-azl': [METRICS.builds.name],
      'alert-fedora-silence-azl': [METRICS.ingestMessages.name],
      'alert-function-failures-azl': [],
      'alert-webhook-endpoint-disabled-azl': [CUSTOM_EVENTS.webhookEndpointDisabled.name],
    });
    for (const alert of alerts) {
      expect(alert.kind).toBe('LogAlert');
      expect(alert.properties['scopes']).toEqual([APPLICATION_INSIGHTS_ID]);
      expect(alert.criterion.query, alert.name).toContain(alert.criterion.metricMeasureColumn);
    }
    const failures = alerts.find((alert) => alert.name === 'alert-function-failures-azl');
    expect(failures?.criterion.query).toMatch(/^requests\n\| where success == false\n/);
    expect(failures?.criterion.dimensions).toEqual([
      { name: 'operation_Name', operator: 'Include', values: ['*'] },
    ]);
  });

  it('watch the age of builds and publish, queues entities.ts defines', () => {
    const { criterion } = logAlert(deploy(), 'alert-backlog-age-azl');
    const queues = /queue in \(([^)]*)\)/.exec(criterion.query)?.[1];
    expect(queues).toBe("'builds', 'publish'");
    const defined = serviceBusEntities().queues.map((queue) => queue.name);
    expect(defined).toEqual(expect.arrayContaining(['builds', 'publish']));
    expect(criterion.dimensions).toEqual([{ name: 'queue', operator: 'Include', values: ['*'] }]);
  });

  it('take their thresholds from the parameters', () => {
    const defaults = deploy({ fedoraBridge: true });
    const thresholds = (resources: DeployedResource[]) =>
      Object.fromEntries(
        logAlerts(resources).map((alert) => [
          alert.name,
          {
            operator: alert.criterion.operator,
            threshold: alert.criterion.threshold,
            window: alert.properties['windowSize'],
          },
        ]),
      );
    expect(thresholds(defaults)).toEqual({
      'alert-backlog-age-azl': { operator: 'GreaterThan', threshold: 60, window: 'PT15M' },
      'alert-function-failures-azl': { operator: 'GreaterThan', threshold: 5, window: 'PT15M' },
      'alert-build-failure-rate-azl': { operator: 'GreaterThan', threshold: 25, window: 'PT1H' },
      'alert-fedora-silence-azl': { operator: 'LessThan', threshold: 1, window: 'PT60M' },
      'alert-webhook-endpoint-disabled-azl': { operator: 'GreaterThan', threshold: 0, window: 'PT15M' },
    });
    const chosen = deploy({
      fedoraBridge: true,
      backlogAgeMinutes: 45,
      functionFailuresThreshold: 0,
      buildFailureRatePercent: 10,
      fedoraSilenceMinutes: 240,
    });
    expect(thresholds(chosen)).toEqual({
      'alert-backlog-age-azl': { operator: 'GreaterThan', threshold: 45, window: 'PT15M' },
      'alert-function-failures-azl': { operator: 'GreaterThan', threshold: 0, window: 'PT15M' },
      'alert-build-failure-rate-azl': { operator: 'GreaterThan', threshold: 10, window: 'PT1H' },
      'alert-fedora-silence-azl': { operator: 'LessThan', threshold: 1, window: 'PT240M' },
      'alert-webhook-endpoint-disabled-azl': { operator: 'GreaterThan', threshold: 0, window: 'PT15M' },
    });
    const parameters = template.parameters ?? {};
    expect(parameters['backlogAgeMinutes']).toMatchObject({ minValue: 1, maxValue: 2880 });
    expect(parameters['buildFailureRatePercent']).toMatchObject({ minValue: 1, maxValue: 100 });
    // A log alert's window is at most two days.
    expect(parameters['fedoraSilenceMinutes']).toMatchObject({ minValue: 15, maxValue: 2880 });
  });

  it('tell an operator of every webhook endpoint the pipeline disabled, naming it and why', () => {
    const { properties, criterion } = logAlert(deploy(), 'alert-webhook-endpoint-disabled-azl');
    expect(criterion.query).toMatch(/^customEvents\n\| where name == 'WebhookEndpointDisabled'\n/);
    // One row per endpoint and reason, counted: a single event is above the threshold.
    expect(criterion.query).toMatch(/\| summarize disabled = count\(\) by endpoint_id, reason$/);
    expect(criterion).toMatchObject({
      metricMeasureColumn: 'disabled',
      timeAggregation: 'Total',
      operator: 'GreaterThan',
      threshold: 0,
      failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
    });
    expect(criterion.dimensions).toEqual(
      ['endpoint_id', 'reason'].map((name) => ({ name, operator: 'Include', values: ['*'] })),
    );
    // Both dimensions are properties the event carries.
    expect(CUSTOM_EVENTS.webhookEndpointDisabled.properties).toEqual(
      expect.arrayContaining(['endpoint_id', 'reason']),
    );
    expect(properties).toMatchObject({
      severity: 3,
      enabled: true,
      evaluationFrequency: 'PT5M',
      windowSize: 'PT15M',
      autoMitigate: true,
    });
  });

  it('watch for a silent Fedora bus only when the bridge is deployed', () => {
    const names = (resources: DeployedResource[]) => logAlerts(resources).map((alert) => alert.name);
    expect(names(deploy())).not.toContain('alert-fedora-silence-azl');
    const { criterion } = logAlert(deploy({ fedoraBridge: true }), 'alert-fedora-silence-azl');
    expect(criterion.query).toContain("tostring(customDimensions.source) == 'amqp-bridge'");
    // No group-by: an empty window still yields one row (sum 0), so silence fires rather than finding nothing.
    expect(criterion.query).toMatch(/\| summarize messages = sum\(valueSum\)$/);
    expect(criterion).toMatchObject({ metricMeasureColumn: 'messages', operator: 'LessThan', threshold: 1 });
  });

  it('notify no one and create no action group when no receiver is given', () => {
    const resources = deploy({ fedoraBridge: true });
    expect(ofType(resources, ACTION_GROUP)).toEqual([]);
    for (const alert of ofType(resources, METRIC_ALERT)) expect(propertiesOf(alert)['actions']).toEqual([]);
    for (const alert of logAlerts(resources))
      expect(alert.properties['actions']).toEqual({ actionGroups: [] });
  });

  it('notify the e-mail addresses and the webhook of the parameters, from every alert', () => {
    const resources = deploy({
      fedoraBridge: true,
      alertEmails: ['ops@example.org', 'oncall@example.org'],
      alertWebhookUrl: 'https://hooks.example.org/services/T0/B0/token',
    });
    const [group, ...others] = ofType(resources, ACTION_GROUP);
    expect(others).toEqual([]);
    const properties = propertiesOf(group as DeployedResource);
    expect(properties['emailReceivers']).toEqual([
      { name: 'email-0', emailAddress: 'ops@example.org', useCommonAlertSchema: true },
      { name: 'email-1', emailAddress: 'oncall@example.org', useCommonAlertSchema: true },
    ]);
    expect(properties['webhookReceivers']).toEqual([
      {
        name: 'webhook',
        serviceUri: 'https://hooks.example.org/services/T0/B0/token',
        useCommonAlertSchema: true,
      },
    ]);
    expect(String(properties['groupShortName']).length).toBeLessThanOrEqual(12);
    const groupId = String(
      value(
        group as DeployedResource,
        `[resourceId('${ACTION_GROUP}', '${nameOf(group as DeployedResource)}')]`,
      ),
    );
    const metricAlerts = ofType(resources, METRIC_ALERT);
    const { queues, topics } = serviceBusEntities();
    expect(metricAlerts.length).toBe(queues.length + topics.length);
    for (const alert of metricAlerts)
      expect(propertiesOf(alert)['actions']).toEqual([{ actionGroupId: groupId }]);
    const alerts = logAlerts(resources);
    expect(alerts).toHaveLength(5);
    for (const alert of alerts) expect(alert.properties['actions']).toEqual({ actionGroups: [groupId] });

    const webhookOnly = propertiesOf(
      ofType(deploy({ alertWebhookUrl: 'https://hooks.example.org/x' }), ACTION_GROUP)[0] as DeployedResource,
    );
    expect(webhookOnly['emailReceivers']).toEqual([]);
    expect(webhookOnly['webhookReceivers']).toHaveLength(1);
  });

  it('keep the webhook URL secure: a secure parameter, passed on, never output', () => {
    expect(template.parameters?.['alertWebhookUrl']).toEqual({
      type: 'securestring',
      defaultValue: '',
      metadata: expect.anything(),
    });
    expect(template.parameters?.['alertEmails']).toMatchObject({ type: 'array', defaultValue: [] });
    expect(JSON.stringify(template.outputs)).not.toMatch(/alertWebhookUrl/);
  });
});
