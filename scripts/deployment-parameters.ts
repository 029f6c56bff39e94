import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { galleryId } from '../shared/settings/gallery';

/**
 * `npm run bicep:params` (the azd `preprovision` hook, scripts/preprovision.sh): compiles
 * `bicep/main.bicepparam` with the azd environment's values and checks every parameter against the template's
 * own constraints (`@allowed`, `@minValue`/`@maxValue`, `@minLength`/`@maxLength`) plus the naming rule below,
 * so a bad value stops `azd provision` on this machine, naming the parameter, instead of failing in Azure.
 * The compiler already refuses literal values out of range; values computed from an environment variable
 * (`int(readEnvironmentVariable(...))`) reach the template unchecked, which is why this check exists.
 */

export interface ParameterDefinition {
  readonly type: string;
  readonly allowedValues?: readonly unknown[];
  readonly minValue?: number;
  readonly maxValue?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
}

/**
 * Resource names are built from the environment name, and the strictest of them (Container Apps jobs,
 * Service Bus namespaces) take lower-case letters, digits and hyphens, starting with a letter and not
 * ending with a hyphen.
 */
const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]*[a-z0-9]$/;

const shown = (value: unknown): string => JSON.stringify(value);

/** Every problem with `values` against `definitions`, one line each, naming the parameter and the rule. */
export function parameterProblems(
  definitions: Readonly<Record<string, ParameterDefinition>>,
  values: Readonly<Record<string, unknown>>,
): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const definition = definitions[name];
    if (!definition) {
      problems.push(`${name}: the template has no such parameter`);
      continue;
    }
    const { allowedValues, minValue, maxValue, minLength, maxLength } = definition;
    if (allowedValues && !allowedValues.some((allowed) => shown(allowed) === shown(value))) {
      problems.push(
        `${name}: ${shown(value)} is not allowed (@allowed: ${allowedValues.map(shown).join(', ')})`,
      );
    }
    if (typeof value === 'number') {
      if (minValue !== undefined && value < minValue)
        problems.push(`${name}: ${value} is below the minimum ${minValue} (@minValue)`);
      if (maxValue !== undefined && value > maxValue)
        problems.push(`${name}: ${value} is above the maximum ${maxValue} (@maxValue)`);
    }
    if (typeof value === 'string' || Array.isArray(value)) {
      if (minLength !== undefined && value.length < minLength)
        problems.push(`${name}: ${shown(value)} is shorter than ${minLength} (@minLength)`);
      if (maxLength !== undefined && value.length > maxLength)
        problems.push(`${name}: ${shown(value)} is longer than ${maxLength} (@maxLength)`);
    }
  }
  const environmentName = values['environmentName'];
  if (typeof environmentName === 'string' && !ENVIRONMENT_NAME.test(environmentName)) {
    problems.push(
      `environmentName: ${shown(environmentName)} must be lower-case letters, digits and hyphens, start with a letter and not end with a hyphen (it is part of resource names)`,
    );
  }
  problems.push(...galleryProblems(values));
  return problems;
}

/**
 * The gallery parameters, which the template cannot check itself: `galleryId` must be a gallery's resource id
 * (the same rule AZL_GALLERY_ID is read with), and it names an existing gallery, so `createGallery` with it
 * would be two answers to one question.
 */
function galleryProblems(values: Readonly<Record<string, unknown>>): string[] {
  const id = values['galleryId'];
  if (typeof id !== 'string' || id === '') return [];
  const problems: string[] = [];
  const parsed = galleryId.safeParse(id);
  if (!parsed.success) {
    problems.push(`galleryId: ${shown(id)} ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  if (values['createGallery'] === true) {
    problems.push(
      'createGallery: true together with galleryId: use an existing gallery (galleryId) or create one (createGallery), not both',
    );
  }
  return problems;
}

export interface ParameterCheck {
  /** The compiler's diagnostics, when it refused the file. */
  readonly compileErrors?: string;
  readonly problems: readonly string[];
}

/** Compiles `paramsFile` with the project's Bicep CLI (scripts/bicep.sh) and checks the result. */
export function checkParameterFile(
  root: string,
  paramsFile: string,
  env: NodeJS.ProcessEnv = process.env,
): ParameterCheck {
  const run = spawnSync('bash', [join(root, 'scripts', 'bicep.sh'), 'build-params', paramsFile, '--stdout'], {
    cwd: root,
    encoding: 'utf8',
    env,
  });
  if (run.status !== 0 || run.stderr.trim() !== '') {
    return { compileErrors: run.stderr.trim() || `bicep exited with ${String(run.status)}`, problems: [] };
  }
  const compiled = JSON.parse(run.stdout) as { parametersJson: string; templateJson: string };
  const template = JSON.parse(compiled.templateJson) as { parameters?: Record<string, ParameterDefinition> };
  const parameters = JSON.parse(compiled.parametersJson) as {
    parameters: Record<string, { value: unknown }>;
  };
  const values = Object.fromEntries(
    Object.entries(parameters.parameters).map(([k, { value }]) => [k, value]),
  );
  return { problems: parameterProblems(template.parameters ?? {}, values) };
}

function main(): number {
  const root = join(__dirname, '..', '..');
  const file = process.argv[2] ?? 'bicep/main.bicepparam';
  const check = checkParameterFile(root, file);
  if (check.compileErrors !== undefined) {
    process.stderr.write(`${file} does not compile with these values:\n${check.compileErrors}\n`);
    return 1;
  }
  if (check.problems.length > 0) {
    process.stderr.write(
      `${file}: ${check.problems.length} parameter problem(s):\n${check.problems.map((p) => `  ${p}\n`).join('')}`,
    );
    return 1;
  }
  process.stdout.write(`${file}: parameters are valid\n`);
  return 0;
}

if (require.main === module) process.exitCode = main();
