import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../shared/settings/load-settings';
import { SAMPLE_IDENTITY, SAMPLE_MODULE_OUTPUTS } from '../../testing/arm/deployment-samples';
import { evaluateTemplateValue } from '../../testing/arm/expression';
import { useMainTemplate } from '../../testing/arm/main-template';
import type { ArmValue } from '../../testing/arm/expression';
import { moduleTemplate, ofType, propertiesOf, valueIn } from '../../testing/arm/template';
import type { DeployedResource } from '../../testing/arm/template';

/**
 * The optional Event Grid topic of bicep/main.bicep (`eventGridTopic`, `EVENT_GRID_TOPIC` in azd), compiled by
 * the real CLI and evaluated as a deployment would with the samples of testing/arm/deployment-samples.ts.
 */
const ROOT = join(__dirname, '..', '..');
const EVENTGRID_DATA_SENDER = 'd5a91429-5739-47e2-a06b-3470a27159e7';
const TOPIC = 'Microsoft.EventGrid/topics';

const main = useMainTemplate();
const { contextFor, deploy, appSettingsFor } = main;
const lastSegment = (name: ArmValue): string => String(name).split('/').pop() ?? '';

function roleAssignments(resources: readonly DeployedResource[]) {
  return ofType(resources, 'Microsoft.Authorization/roleAssignments').map((a) => {
    const properties = propertiesOf(a);
    return {
      scope: String(valueIn(a, a.resource.scope)),
      role: lastSegment(properties['roleDefinitionId'] ?? ''),
      principalId: properties['principalId'],
      principalType: properties['principalType'],
    };
  });
}

describe('the Event Grid topic', () => {
  it('is deployed only when eventGridTopic is on', () => {
    expect(ofType(deploy(), TOPIC)).toEqual([]);
    expect(main.template().parameters?.['eventGridTopic']).toMatchObject({
      type: 'bool',
      defaultValue: false,
    });
    const topics = ofType(deploy({ eventGridTopic: true }), TOPIC);
    expect(topics.map((t) => t.path)).toEqual(['main/event-grid']);
  });

  it('takes CloudEvents 1.0 and Entra tokens only, tagged like the rest of the environment', () => {
    const [topic] = ofType(deploy({ eventGridTopic: true }), TOPIC) as [DeployedResource];
    expect(propertiesOf(topic)).toMatchObject({
      inputSchema: 'CloudEventSchemaV1_0',
      disableLocalAuth: true,
      minimumTlsVersionAllowed: '1.2',
    });
    expect(valueIn(topic, topic.resource.name)).toMatch(/^evgt-azl-[a-z0-9]+$/);
    expect(valueIn(topic, topic.resource.tags)).toEqual({ 'azd-env-name': 'azl' });
  });

  it("gives the pipeline's identity EventGrid Data Sender on the topic, and no other new role", () => {
    const off = roleAssignments(deploy());
    const on = roleAssignments(deploy({ eventGridTopic: true }));
    const [topic] = ofType(deploy({ eventGridTopic: true }), TOPIC) as [DeployedResource];
    const topicId = String(
      valueIn(topic, `[resourceId('${TOPIC}', '${String(valueIn(topic, topic.resource.name))}')]`),
    );

    const added = on.filter((a) => !off.some((b) => b.scope === a.scope && b.role === a.role));
    expect(added).toEqual([
      {
        scope: topicId,
        role: EVENTGRID_DATA_SENDER,
        principalId: SAMPLE_IDENTITY.principalId,
        principalType: 'ServicePrincipal',
      },
    ]);
    expect(on).toHaveLength(off.length + 1);
  });

  it("sends the topic's logs and metrics to the workspace", () => {
    const settings = ofType(deploy({ eventGridTopic: true }), 'Microsoft.Insights/diagnosticSettings').filter(
      (d) => d.path === 'main/event-grid',
    );
    expect(settings).toHaveLength(1);
    expect(propertiesOf(settings[0] as DeployedResource)['workspaceId']).toContain('/workspaces/log-azl');
  });
});

describe('AZL_EVENTGRID_TOPIC_ENDPOINT', () => {
  it("is the topic's endpoint when on, and what the pipeline reads as its Event Grid topic", () => {
    const endpoint = SAMPLE_MODULE_OUTPUTS['event-grid']?.['endpoint'];
    const settings = appSettingsFor({ eventGridTopic: true });
    expect(settings['AZL_EVENTGRID_TOPIC_ENDPOINT']).toBe(endpoint);
    expect(loadSettings(settings).webhooks.eventGridTopicEndpoint).toBe(endpoint);
    // The module's output is the topic's own endpoint property.
    const output = moduleTemplate(main.template(), 'event-grid').outputs?.['endpoint']?.value;
    expect(String(output)).toMatch(
      /^\[reference\(resourceId\('Microsoft\.EventGrid\/topics'.*\)\.endpoint\]$/,
    );
  });

  it('is empty when off, which the pipeline reads as no topic', () => {
    const settings = appSettingsFor({});
    expect(settings['AZL_EVENTGRID_TOPIC_ENDPOINT']).toBe('');
    expect(loadSettings(settings).webhooks.eventGridTopicEndpoint).toBeUndefined();
  });
});

describe('the EVENT_GRID_TOPIC_ID output', () => {
  const outputWith = (parameters: Record<string, ArmValue>): ArmValue =>
    evaluateTemplateValue(main.template().outputs?.['EVENT_GRID_TOPIC_ID']?.value, contextFor(parameters));

  it("is the topic's resource id when on (to subscribe to it), empty when off", () => {
    expect(outputWith({ eventGridTopic: true })).toBe(SAMPLE_MODULE_OUTPUTS['event-grid']?.['id']);
    expect(outputWith({})).toBe('');
  });
});

describe('bicep/main.bicepparam', () => {
  const eventGridTopicWith = (extra: Record<string, string>): unknown => {
    const run = spawnSync(
      'bash',
      [join(ROOT, 'scripts', 'bicep.sh'), 'build-params', 'bicep/main.bicepparam', '--stdout'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AZURE_ENV_NAME: 'azl-test',
          AZURE_LOCATION: 'westeurope',
          ...extra,
        },
      },
    );
    expect(run.stderr).toBe('');
    const compiled = JSON.parse(run.stdout) as { parametersJson: string };
    const parameters = JSON.parse(compiled.parametersJson) as {
      parameters: Record<string, { value: unknown }>;
    };
    return parameters.parameters['eventGridTopic']?.value;
  };

  it('switches the topic on with the azd value EVENT_GRID_TOPIC, off by default', () => {
    expect(eventGridTopicWith({})).toBe(false);
    expect(eventGridTopicWith({ EVENT_GRID_TOPIC: 'true' })).toBe(true);
  }, 30_000);
});
