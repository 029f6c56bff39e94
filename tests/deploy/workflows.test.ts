import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
// `yaml` is not a direct dependency: it is installed for @azure/monitor-opentelemetry (through
// @opentelemetry/configuration) and vite. Its v2 API (`parse`, strict YAML 1.2) is stable; add it to
// devDependencies if that chain ever drops it.
import { parse } from 'yaml';

/** The GitHub Actions workflows, parsed as YAML and checked for what CI and the OIDC deploy need. */
const ROOT = join(__dirname, '..', '..');

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
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
