import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
// `yaml` is not a direct dependency: it is installed for @azure/monitor-opentelemetry (through
// @opentelemetry/configuration) and vite. Its v2 API (`parse`, strict YAML 1.2) is stable; add it to
// devDependencies if that chain ever drops it.
import { parse } from 'yaml';
import { DISTRO_FOLDER } from '../../scripts/distro-source';

/** The GitHub Actions workflows, parsed as YAML and checked for what CI and the OIDC deploy need. */
const ROOT = join(__dirname, '..', '..');

interface Step {
  readonly name?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly 'runs-on'?: string;
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly steps?: readonly Step[];
}
interface Workflow {
  readonly on?: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly jobs?: Record<string, Job>;
}

function load(name: string): Workflow {
  const text = readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8');
  const parsed: unknown = parse(text, { strict: true, uniqueKeys: true });
  expect(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed), `${name} is a map`).toBe(
    true,
  );
  return parsed as Workflow;
}

const steps = (workflow: Workflow): Step[] =>
  Object.values(workflow.jobs ?? {}).flatMap((j) => j.steps ?? []);
const runs = (workflow: Workflow): string[] => steps(workflow).flatMap((s) => (s.run ? [s.run] : []));
/** The Node major a setup-node step installs (the version input, as written). */
const nodeVersions = (workflow: Workflow): string[] =>
  steps(workflow)
    .filter((s) => s.uses?.startsWith('actions/setup-node@'))
    .map((s) => String(s.with?.['node-version']));

describe('ci.yml', () => {
  const ci = load('ci.yml');

  test('runs the README test command (.ci/run) on ubuntu-latest with Node 20', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const command = 'bash scripts/setup.sh && npm run check';
    expect(readme).toContain(command);
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toContain(command);
    const jobs = Object.values(ci.jobs ?? {});
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) expect(job['runs-on']).toBe('ubuntu-latest');
    expect(runs(ci).some((run) => run.trim() === '.ci/run' || run.includes(command))).toBe(true);
    expect(nodeVersions(ci)).toEqual(['20']);
    expect(steps(ci)[0]?.uses).toMatch(/^actions\/checkout@/);
  });

  test('runs on pushes and pull requests with read-only contents', () => {
    expect(Object.keys(ci.on ?? {})).toEqual(expect.arrayContaining(['push', 'pull_request']));
    expect(ci.permissions).toEqual({ contents: 'read' });
  });
});

describe('deploy.yml', () => {
  const deploy = load('deploy.yml');

  test('runs on push to main and by hand', () => {
    expect(deploy.on?.['push']).toEqual({ branches: ['main'] });
    expect(Object.keys(deploy.on ?? {})).toContain('workflow_dispatch');
  });

  test('may request an OIDC token and only read the repository', () => {
    expect(deploy.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    for (const job of Object.values(deploy.jobs ?? {})) expect(job.permissions).toBeUndefined();
  });

  test('signs in with azure/login by federated credential from repository variables, with no secret', () => {
    const logins = steps(deploy).filter((s) => s.uses?.toLowerCase().startsWith('azure/login@'));
    expect(logins).toHaveLength(1);
    expect(logins[0]?.with).toEqual({
      'client-id': '${{ vars.AZURE_CLIENT_ID }}',
      'tenant-id': '${{ vars.AZURE_TENANT_ID }}',
      'subscription-id': '${{ vars.AZURE_SUBSCRIPTION_ID }}',
    });
    const text = readFileSync(join(ROOT, '.github', 'workflows', 'deploy.yml'), 'utf8');
    expect(text).not.toMatch(/client-secret|creds:|secrets\./);
  });

  test('installs azd, signs it in by OIDC and runs azd provision then azd deploy without prompts', () => {
    const all = steps(deploy);
    const setup = all.findIndex((s) => s.uses?.startsWith('Azure/setup-azd@'));
    const at = (pattern: RegExp) => all.findIndex((s) => pattern.test(s.run ?? ''));
    const login = at(/azd auth login .*--federated-credential-provider github/s);
    const provision = at(/^azd provision --no-prompt$/);
    const deployStep = at(/^azd deploy --no-prompt$/);
    expect(setup, 'Azure/setup-azd').toBeGreaterThanOrEqual(0);
    expect(login, 'azd auth login after setup-azd').toBeGreaterThan(setup);
    expect(provision, 'azd provision after the login').toBeGreaterThan(login);
    expect(deployStep, 'azd deploy after azd provision').toBeGreaterThan(provision);
  });

  test('checks the distribution tree out into distro/ from DISTRO_REPOSITORY at DISTRO_REF, before anything uses it', () => {
    const all = steps(deploy);
    const checkouts = all.filter((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkouts).toHaveLength(2);
    expect(all[0]).toBe(checkouts[0]); // this repository, first
    const distro = all.findIndex((s) => s.with?.['repository'] !== undefined);
    expect(all[distro]?.uses).toMatch(/^actions\/checkout@/);
    expect(all[distro]?.with).toEqual({
      repository: '${{ vars.DISTRO_REPOSITORY }}',
      ref: '${{ vars.DISTRO_REF }}',
      path: DISTRO_FOLDER, // AZL_DISTRO_SOURCE's default: what npm run package and builder/Dockerfile copy
      'persist-credentials': false,
    });
    // An unset DISTRO_REPOSITORY would check this repository out again: a step before it stops the run.
    const guard = all.findIndex((s) => s.if === "vars.DISTRO_REPOSITORY == ''");
    expect(guard, 'the guard step').toBeGreaterThan(0);
    expect(guard).toBeLessThan(distro);
    expect(all[guard]?.run).toMatch(/DISTRO_REPOSITORY[\s\S]*exit 1/);
    const firstUse = all.findIndex((s) =>
      /distro-source|azd provision|az acr build|azd deploy/.test(s.run ?? ''),
    );
    expect(
      firstUse,
      'the tree is fetched before it is validated, built into the image or packaged',
    ).toBeGreaterThan(distro);
  });

  test("validates the tree with the package step's own check before provisioning", () => {
    const all = steps(deploy);
    const validate = all.findIndex((s) => /node dist\/scripts\/distro-source\.js/.test(s.run ?? ''));
    const build = all.findIndex((s) => /npm run build/.test(s.run ?? ''));
    const provision = all.findIndex((s) => /^azd provision/.test(s.run ?? ''));
    expect(existsSync(join(ROOT, 'scripts', 'distro-source.ts'))).toBe(true);
    expect(validate).toBeGreaterThanOrEqual(0);
    expect(build).toBeLessThanOrEqual(validate);
    expect(validate).toBeLessThan(provision);
  });

  test('builds the builder image with ACR Tasks in the provisioned registry, between provision and deploy', () => {
    const all = steps(deploy);
    const at = (pattern: RegExp) => all.findIndex((s) => pattern.test(s.run ?? ''));
    const provision = at(/^azd provision --no-prompt$/);
    const image = at(/az acr build/);
    const deployStep = at(/^azd deploy --no-prompt$/);
    expect(provision).toBeGreaterThanOrEqual(0);
    expect(image, 'the image after azd provision (which makes the registry)').toBeGreaterThan(provision);
    expect(deployStep, 'azd deploy after the image (the builder job runs it)').toBeGreaterThan(image);

    // Built once: the postprovision hook that would build it too is told to skip.
    expect(all[provision]?.env).toEqual({ AZL_SKIP_BUILDER_IMAGE: '1' });
    const script = all[image]?.run ?? '';
    const registry = /(\w+)="\$\(azd env get-value AZURE_CONTAINER_REGISTRY_NAME\)"/.exec(script);
    expect(registry?.[1], 'the registry name comes from the azd environment').toBe(
      'AZURE_CONTAINER_REGISTRY_NAME',
    );
    const command = script
      .slice(script.indexOf('az acr build'))
      .replace(/\s*\\\n\s*/g, ' ')
      .trim();
    expect(command).toBe(
      'az acr build --registry "$AZURE_CONTAINER_REGISTRY_NAME" ' +
        '--image "azl-rebuilder-builder:${{ github.sha }}" --image azl-rebuilder-builder:latest ' +
        '--file builder/Dockerfile .',
    );
    expect(existsSync(join(ROOT, 'builder', 'Dockerfile'))).toBe(true);
  });

  test('takes the azd environment, location and ids from repository variables', () => {
    const [job] = Object.values(deploy.jobs ?? {});
    for (const name of [
      'AZURE_ENV_NAME',
      'AZURE_LOCATION',
      'AZURE_SUBSCRIPTION_ID',
      'AZURE_CLIENT_ID',
      'AZURE_TENANT_ID',
    ]) {
      expect(job?.env?.[name], name).toBe(`\${{ vars.${name} }}`);
    }
    expect(nodeVersions(deploy)).toEqual(['20']);
  });
});
