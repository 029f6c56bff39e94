import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { serviceBusEntities } from '../../scripts/deployment-entities';
import { sampleReference } from '../../testing/arm/deployment-samples';
import {
  compileBicep,
  deployedResources,
  deploymentContext,
  ofType,
  propertiesOf,
  valueIn,
} from '../../testing/arm/template';
import type { ArmTemplate } from '../../testing/arm/template';

/** The subscription rules of shared/messaging/entities.ts, as the compiled bicep/main.bicep deploys them. */
const ROOT = join(__dirname, '..', '..');
let template: ArmTemplate;

beforeAll(() => {
  ({ template } = compileBicep(join(ROOT, 'bicep', 'main.bicep')));
}, 60_000);

describe('the compiled deployment', () => {
  it('creates every declared subscription rule under its subscription, with its ARM properties', () => {
    const resources = deployedResources(
      template,
      deploymentContext(template, { environmentName: 'azl' }, sampleReference),
    );
    const rules = ofType(resources, 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules');
    const declared = serviceBusEntities().topics.flatMap((topic) =>
      topic.subscriptions.flatMap((s) =>
        s.rules.map((rule) => ({
          path: `${topic.name}/${s.name}/${rule.name}`,
          properties: rule.properties,
        })),
      ),
    );
    expect(declared.map((r) => r.path)).toEqual(['events/images/$Default']);
    expect(
      rules.map((rule) => ({
        path: String(valueIn(rule, rule.resource.name)).split('/').slice(-3).join('/'),
        properties: propertiesOf(rule),
      })),
    ).toEqual(declared);
  });
});
