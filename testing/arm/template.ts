import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { RUN_TMPDIR } from '../temp-root-global-setup';
import { evaluateTemplateValue } from './expression';
import type { ArmContext, ArmValue } from './expression';

/** The parts of a compiled ARM template the deployment tests read. */
export interface ArmResource {
  readonly type: string;
  readonly name?: string;
  readonly scope?: string;
  /** A module deployed to another subscription or resource group (`scope: resourceGroup(sub, group)`). */
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  readonly condition?: unknown;
  readonly copy?: { readonly count: string };
  readonly identity?: Record<string, unknown>;
  readonly sku?: Record<string, unknown>;
  readonly kind?: string;
  readonly tags?: unknown;
  readonly properties?: Record<string, unknown> & { template?: ArmTemplate };
}

export interface ArmParameter {
  readonly type: string;
  readonly defaultValue?: unknown;
  readonly allowedValues?: readonly unknown[];
  readonly minValue?: number;
  readonly maxValue?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
}

export interface ArmTemplate {
  readonly parameters?: Record<string, ArmParameter>;
  readonly variables?: Record<string, unknown>;
  readonly resources: ArmResource[] | Record<string, ArmResource>;
  readonly outputs?: Record<string, { readonly type: string; readonly value: unknown }>;
}

const ROOT = join(__dirname, '..', '..');

/**
 * Compiles a Bicep file with the project's pinned CLI through scripts/bicep.sh (which fails on any warning)
 * and returns the ARM JSON as text and parsed. Throws with the CLI's diagnostics when it does not compile
 * cleanly.
 *
 * Within one test run the ARM JSON is kept in the run's folder (testing/temp-root-global-setup.ts) under the
 * hash of everything the compile reads: the CLI, the file, bicepconfig.json and every file below `bicep/`.
 * Seven test files compile main.bicep, about 5 s of CPU each on the 2-core CI machine; the first one
 * compiles, the others read its output. Outside a run (no run folder) every call compiles.
 */
export function compileBicep(file: string): { text: string; template: ArmTemplate } {
  const cached = cachedCompile(file);
  const text = cached ? (readCached(cached) ?? writeCached(cached, runCompile(file))) : runCompile(file);
  return { text, template: JSON.parse(text) as ArmTemplate };
}

function runCompile(file: string): string {
  const out = mkdtempSync(join(tmpdir(), 'azl-bicep-'));
  try {
    const run = spawnSync('bash', [join(ROOT, 'scripts', 'bicep.sh'), 'build', file, '--outdir', out], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (run.status !== 0 || run.stderr !== '') {
      throw new Error(`bicep build ${file} failed (${String(run.status)}):\n${run.stderr}`);
    }
    return readFileSync(join(out, basename(file).replace(/\.bicep$/, '.json')), 'utf8');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Where this run keeps the compile of `file` with today's inputs; undefined outside a test run. */
function cachedCompile(file: string): string | undefined {
  const runFolder = process.env[RUN_TMPDIR];
  if (!runFolder) return undefined;
  const cli = spawnSync('bash', [join(ROOT, 'scripts', 'bicep-path.sh')], { encoding: 'utf8' });
  if (cli.status !== 0) return undefined; // runCompile reports the missing CLI
  const hash = createHash('sha256');
  const cliPath = cli.stdout.trim();
  const cliStat = statSync(cliPath);
  hash.update(`${cliPath}\0${cliStat.size}\0${cliStat.mtimeMs}\0${resolve(file)}\0`);
  const inputs = [
    resolve(file),
    join(ROOT, 'bicepconfig.json'),
    ...readdirSync(join(ROOT, 'bicep'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name)),
  ].sort();
  for (const input of inputs) hash.update(`${input}\0`).update(readFileSync(input)).update('\0');
  return join(runFolder, 'bicep-compiles', `${hash.digest('hex')}.json`);
}

function readCached(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Written whole under another name and renamed, so a concurrent reader sees all of it or nothing. */
function writeCached(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, text);
  renameSync(partial, path);
  return text;
}

export const resourcesOf = (template: ArmTemplate): ArmResource[] => Object.values(template.resources);

/** A module's deployment resource in `template`, by the module's deployment name. */
export function moduleDeployment(template: ArmTemplate, name: string): ArmResource {
  const deployment = resourcesOf(template).find(
    (r) => r.type === 'Microsoft.Resources/deployments' && r.name === name,
  );
  if (!deployment?.properties?.template) throw new Error(`no module deployment named ${name}`);
  return deployment;
}

export const moduleTemplate = (template: ArmTemplate, name: string): ArmTemplate =>
  moduleDeployment(template, name).properties?.template as ArmTemplate;

/** Every resource of a template and of the modules inside it, depth first, with the module path. */
export function allResources(
  template: ArmTemplate,
  path = 'main',
): { path: string; resource: ArmResource }[] {
  return resourcesOf(template).flatMap((resource) => {
    const inner = resource.properties?.template;
    return inner && resource.type === 'Microsoft.Resources/deployments'
      ? allResources(inner, `${path}/${String(resource.name)}`)
      : [{ path, resource }];
  });
}

/** Where a deployment runs: `subscription()` and `resourceGroup()` answer from it (defaults when absent). */
export type DeploymentScope = Pick<ArmContext, 'subscriptionId' | 'resourceGroup' | 'location'>;

/** What a deployment of `template` would see: parameter values (defaults unless given) and runtime reads. */
export function deploymentContext(
  template: ArmTemplate,
  given: Readonly<Record<string, ArmValue>>,
  reference: (resourceId: string) => ArmValue,
  scope: DeploymentScope = {},
): ArmContext {
  const base = { ...scope, variables: template.variables ?? {}, reference, parameters: {} };
  const parameters: Record<string, ArmValue> = {};
  for (const [name, definition] of Object.entries(template.parameters ?? {})) {
    const value =
      given[name] ??
      (definition.defaultValue === undefined
        ? undefined
        : evaluateTemplateValue(definition.defaultValue, { ...base, parameters }));
    if (value !== undefined) parameters[name] = value;
  }
  return { ...base, parameters };
}

/**
 * The parameters a module deployment passes, evaluated. Each is `{ value }`, or one expression that yields
 * `{ value }` (Bicep writes a conditional module parameter as `[if(c, createObject('value', a), …)]`).
 */
function passedParameters(deployment: ArmResource, context: ArmContext): Record<string, ArmValue> {
  const passed = (deployment.properties?.['parameters'] ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(passed).map(([key, entry]) => {
      // An evaluated expression's result is a value already, not a template to evaluate again.
      if (typeof entry === 'string') {
        return [key, (evaluateTemplateValue(entry, context) as { value: ArmValue }).value];
      }
      return [key, evaluateTemplateValue((entry as { value: unknown }).value, context)];
    }),
  );
}

/** A module's parameters as the parent deployment would pass them (`{ name: value }`). */
export function moduleParameters(
  template: ArmTemplate,
  name: string,
  context: ArmContext,
): Record<string, ArmValue> {
  return passedParameters(moduleDeployment(template, name), context);
}

/** One resource as a deployment would create it: where (module path) and with which evaluation context. */
export interface DeployedResource {
  readonly path: string;
  readonly resource: ArmResource;
  readonly context: ArmContext;
}

/**
 * Every resource a deployment of `template` creates, modules expanded with the parameters their parent passes,
 * `copy` loops unrolled (each copy with its `copyIndex()`), and resources whose `condition` is false left out.
 */
export function deployedResources(
  template: ArmTemplate,
  context: ArmContext,
  path = 'main',
): DeployedResource[] {
  return resourcesOf(template).flatMap((resource) => {
    const count = resource.copy ? Number(evaluateTemplateValue(resource.copy.count, context)) : undefined;
    const copies =
      count === undefined
        ? [context]
        : Array.from({ length: count }, (_, i) => ({ ...context, copyIndex: i }));
    return copies.flatMap((copyContext): DeployedResource[] => {
      if (resource.condition !== undefined && evaluateTemplateValue(resource.condition, copyContext) !== true)
        return [];
      const inner = resource.properties?.template;
      if (resource.type !== 'Microsoft.Resources/deployments' || !inner) {
        return [{ path, resource, context: copyContext }];
      }
      const parameters = passedParameters(resource, copyContext);
      const name = String(evaluateTemplateValue(resource.name, copyContext));
      // A module runs where its deployment says, else where its parent runs.
      const scopeValue = (raw: string | undefined, parent: string | undefined): string | undefined =>
        raw === undefined ? parent : String(evaluateTemplateValue(raw, copyContext));
      const scope: DeploymentScope = {
        ...(context.location === undefined ? {} : { location: context.location }),
        ...optional('subscriptionId', scopeValue(resource.subscriptionId, context.subscriptionId)),
        ...optional('resourceGroup', scopeValue(resource.resourceGroup, context.resourceGroup)),
      };
      return deployedResources(
        inner,
        deploymentContext(inner, parameters, context.reference, scope),
        `${path}/${name}`,
      );
    });
  });
}

const optional = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;

/** The resources of one type among `resources`. */
export const ofType = (resources: readonly DeployedResource[], type: string): DeployedResource[] =>
  resources.filter((r) => r.resource.type === type);

/** A template value of a deployed resource, evaluated in that resource's context. */
export const valueIn = (deployed: DeployedResource, raw: unknown): ArmValue =>
  evaluateTemplateValue(raw, deployed.context);

/** A deployed resource's `properties`, evaluated. */
export const propertiesOf = (deployed: DeployedResource): Record<string, ArmValue> =>
  valueIn(deployed, deployed.resource.properties) as Record<string, ArmValue>;
