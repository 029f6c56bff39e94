import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileBicep } from '../../testing/arm/template';

/**
 * azure.yaml, as `azd up` reads it: the infrastructure it provisions, the service it deploys and the hooks
 * it runs must all exist and agree with the Bicep template and package.json.
 */
const ROOT = join(__dirname, '..', '..');

interface Hook {
  readonly shell?: string;
  readonly run?: string;
  readonly continueOnError?: boolean;
}
interface AzureYaml {
  readonly name?: string;
  readonly infra?: { readonly provider?: string; readonly path?: string; readonly module?: string };
  readonly hooks?: Record<string, Hook>;
  readonly services?: Record<
    string,
    {
      project?: string;
      language?: string;
      host?: string;
      dist?: string;
      remoteBuild?: boolean;
      hooks?: Record<string, Hook>;
    }
  >;
}

const azure = parse(readFileSync(join(ROOT, 'azure.yaml'), 'utf8'), {
  strict: true,
  uniqueKeys: true,
}) as AzureYaml;
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

describe('azure.yaml', () => {
  it('provisions bicep/main.bicep with its parameter file', () => {
    expect(azure.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(azure.infra).toEqual({ provider: 'bicep', path: 'bicep', module: 'main' });
    expect(existsSync(join(ROOT, 'bicep', 'main.bicep'))).toBe(true);
    expect(existsSync(join(ROOT, 'bicep', 'main.bicepparam'))).toBe(true);
  });

  it('deploys the package npm run package stages, as it is, to the site tagged with the service name', () => {
    const services = Object.entries(azure.services ?? {});
    expect(services).toHaveLength(1);
    const [[name, service]] = services as [[string, NonNullable<AzureYaml['services']>[string]]];
    const { hooks, ...settings } = service;
    expect(settings).toEqual({
      project: '.',
      language: 'ts',
      host: 'function',
      dist: 'dist/package',
      remoteBuild: false,
    });
    // azd's node packaging only runs `build` (azure-dev framework_service_node.go), so staging dist/package is
    // the prepackage hook's job.
    expect(hooks).toEqual({ prepackage: { shell: 'sh', run: 'npm run package', continueOnError: false } });
    expect(manifest.scripts['build']).toBeDefined();
    expect(manifest.scripts['package']).toMatch(/scripts\/package/);
    const { template } = compileBicep(join(ROOT, 'bicep', 'modules', 'function-app.bicep'));
    const site = Object.values(template.resources).find((r) => r.type === 'Microsoft.Web/sites');
    expect(String(site?.tags)).toContain(`'azd-service-name', '${name}'`);
  }, 30_000);

  it('runs hooks that exist: the parameter check before provisioning, the builder image after', () => {
    expect(Object.keys(azure.hooks ?? {}).sort()).toEqual(['postprovision', 'preprovision']);
    for (const [event, hook] of Object.entries(azure.hooks ?? {})) {
      const script = /^bash (scripts\/[\w-]+\.sh)$/.exec(hook.run ?? '')?.[1];
      expect(script, `${event} runs one script`).toBeDefined();
      accessSync(join(ROOT, script as string), constants.X_OK);
      expect(hook.continueOnError).toBe(false);
    }
    expect(readFileSync(join(ROOT, 'scripts', 'preprovision.sh'), 'utf8')).toContain(
      'npm run --silent bicep:params',
    );
    expect(manifest.scripts['bicep:params']).toMatch(/deployment-parameters/);
    expect(readFileSync(join(ROOT, 'scripts', 'push-builder-image.sh'), 'utf8')).toContain(
      'az acr build --registry "$registry"',
    );
  });
});
