import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceBusEntities, storageEntities } from '../../scripts/deployment-entities';

/**
 * What Azure would receive: bicep/main.bicep compiled by the real CLI (scripts/bicep.sh, which fails on any
 * warning), read as ARM JSON.
 */
const ROOT = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'azl-deploy-template-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface ArmResource {
  readonly type: string;
  readonly name?: string;
  readonly scope?: string;
  readonly copy?: { readonly count: string };
  readonly properties?: Record<string, unknown> & { template?: ArmTemplate };
}
interface ArmTemplate {
  readonly variables?: Record<string, unknown>;
  readonly resources: ArmResource[] | Record<string, ArmResource>;
}

let text: string;
let template: ArmTemplate;
const resourcesOf = (t: ArmTemplate): ArmResource[] => Object.values(t.resources);
const nested = (t: ArmTemplate, name: string): ArmTemplate => {
  const deployment = resourcesOf(t).find(
    (r) => r.type === 'Microsoft.Resources/deployments' && r.name === name,
  );
  if (!deployment?.properties?.template) throw new Error(`no nested deployment ${name}`);
  return deployment.properties.template;
};

beforeAll(() => {
  const run = spawnSync(
    'bash',
    [join(ROOT, 'scripts', 'bicep.sh'), 'build', join(ROOT, 'bicep', 'main.bicep'), '--outdir', work],
    { cwd: ROOT, encoding: 'utf8' },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  text = readFileSync(join(work, 'main.json'), 'utf8');
  template = JSON.parse(text) as ArmTemplate;
}, 60_000);

describe('the compiled deployment', () => {
  it('creates the Service Bus entities shared/messaging/entities.ts defines, as they are generated', () => {
    const bus = nested(template, 'service-bus');
    const loaded = Object.values(bus.variables ?? {}).find(
      (value) => typeof value === 'object' && value !== null && 'queues' in value,
    );
    expect(loaded).toEqual(serviceBusEntities());
    const byType = (type: string) => resourcesOf(bus).filter((r) => r.type === type);
    const [queues] = byType('Microsoft.ServiceBus/namespaces/queues');
    expect(queues?.copy?.count).toBe("[length(variables('entities').queues)]");
    expect(queues?.properties).toBe("[variables('entities').queues[copyIndex()].properties]");
    const [topics] = byType('Microsoft.ServiceBus/namespaces/topics');
    expect(topics?.properties).toBe("[variables('entities').topics[copyIndex()].properties]");
    const [subscriptions] = byType('Microsoft.Resources/deployments');
    expect(subscriptions?.copy?.count).toBe("[length(variables('entities').topics)]");
    expect(subscriptions?.properties?.['parameters']).toMatchObject({
      subscriptions: { value: "[variables('entities').topics[copyIndex()].subscriptions]" },
    });
  });

  it('turns SAS keys off on Service Bus and gives the identity sender and receiver roles on the namespace', () => {
    const bus = nested(template, 'service-bus');
    const [namespace] = resourcesOf(bus).filter((r) => r.type === 'Microsoft.ServiceBus/namespaces');
    expect(namespace?.properties).toMatchObject({ disableLocalAuth: true, minimumTlsVersion: '1.2' });
    const roleIdOf = (expression: string): string => {
      const variable = /variables\('(\w+)'\)/.exec(expression)?.[1];
      return String(variable === undefined ? expression : bus.variables?.[variable]);
    };
    const roles = resourcesOf(bus)
      .filter((r) => r.type === 'Microsoft.Authorization/roleAssignments')
      .map((r) => ({ scope: r.scope, role: roleIdOf(String(r.properties?.['roleDefinitionId'])) }));
    const sender = '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39';
    const receiver = '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0';
    expect(roles.map((r) => r.role).sort()).toEqual([receiver, sender].sort());
    for (const role of roles) expect(role.scope).toContain('Microsoft.ServiceBus/namespaces');
  });

  it('keeps state private and lets anonymous clients read only the publishing containers', () => {
    const loaded = Object.values(template.variables ?? {}).find(
      (value) => typeof value === 'object' && value !== null && 'tables' in value,
    );
    expect(loaded).toEqual(storageEntities());
    const accounts = ['state-storage', 'publishing-storage'].map((name) => {
      const module = resourcesOf(template).find((r) => r.name === name);
      const inner = nested(template, name);
      const [account] = resourcesOf(inner).filter((r) => r.type === 'Microsoft.Storage/storageAccounts');
      const containers = resourcesOf(inner).find(
        (r) => r.type === 'Microsoft.Storage/storageAccounts/blobServices/containers',
      );
      return { name, parameters: module?.properties?.['parameters'], account, containers };
    });
    for (const { account } of accounts) {
      expect(account?.properties).toMatchObject({
        allowSharedKeyAccess: false,
        minimumTlsVersion: 'TLS1_2',
        supportsHttpsTrafficOnly: true,
      });
      // Anonymous read only where a container needs it, and each container with its own catalogue level.
      expect(account?.properties?.['allowBlobPublicAccess']).toBe(
        "[not(empty(variables('anonymousContainers')))]",
      );
    }
    for (const { containers } of accounts)
      expect(containers?.properties).toEqual({
        publicAccess: "[parameters('containers')[copyIndex()].publicAccess]",
      });
    const [state, publishing] = accounts;
    expect(JSON.stringify(state?.parameters)).toContain(
      "equals(lambdaVariables('container').publicAccess, 'None')",
    );
    expect(JSON.stringify(publishing?.parameters)).toContain(
      "equals(lambdaVariables('container').publicAccess, 'Blob')",
    );
    expect(JSON.stringify(publishing?.parameters)).not.toContain('tables');
    // Least privilege: the host and the state need blob owner and table data; publishing only blob data.
    const roleIds = (parameters: unknown) =>
      String((parameters as { roleIds: { value: string } }).roleIds.value).match(/variables\('(\w+)'\)/g);
    expect(roleIds(state?.parameters)).toEqual([
      "variables('storageBlobDataOwner')",
      "variables('storageTableDataContributor')",
    ]);
    expect(roleIds(publishing?.parameters)).toEqual(["variables('storageBlobDataContributor')"]);
  });

  it('holds no secret: no listKeys call, no connection string, no shared access key', () => {
    expect(text).not.toMatch(/listKeys|listConnectionStrings|SharedAccessKey|AccountKey=/i);
  });
});
