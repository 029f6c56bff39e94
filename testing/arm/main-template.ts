import { join } from 'node:path';
import { beforeAll } from 'vitest';
import { projectRoot } from '../../infra/os/project-paths';
import { sampleReference } from './deployment-samples';
import { evaluateTemplateValue } from './expression';
import type { ArmValue } from './expression';
import { compileBicep, deployedResources, deploymentContext, moduleParameters } from './template';
import type { ArmTemplate, DeployedResource } from './template';

type Parameters = Readonly<Record<string, ArmValue>>;

/** bicep/main.bicep compiled once for a test file, and what a deployment of it with some parameters gives. */
export interface MainTemplate {
  template(): ArmTemplate;
  contextFor(parameters?: Parameters): ReturnType<typeof deploymentContext>;
  /** Every resource a deployment makes (modules expanded), with the samples of deployment-samples.ts. */
  deploy(parameters?: Parameters): DeployedResource[];
  /** The function app's app settings as the deployment sets them. */
  appSettingsFor(parameters?: Parameters): Record<string, string>;
  /** The template's outputs, evaluated. */
  outputsFor(parameters?: Parameters): Record<string, ArmValue>;
}

/**
 * Compiles bicep/main.bicep with the real Bicep CLI before the file's tests (`beforeAll`) and evaluates
 * deployments of it with `environmentName` and the given parameters.
 */
export function useMainTemplate(environmentName = 'azl'): MainTemplate {
  let compiled: ArmTemplate | undefined;
  beforeAll(() => {
    compiled = compileBicep(join(projectRoot(), 'bicep', 'main.bicep')).template;
  }, 60_000);
  const template = (): ArmTemplate => {
    if (!compiled) throw new Error('bicep/main.bicep is compiled in beforeAll: use it inside a test');
    return compiled;
  };
  const contextFor = (parameters: Parameters = {}) =>
    deploymentContext(template(), { environmentName, ...parameters }, sampleReference);
  return {
    template,
    contextFor,
    deploy: (parameters = {}) => deployedResources(template(), contextFor(parameters)),
    appSettingsFor: (parameters = {}) =>
      moduleParameters(template(), 'function-app', contextFor(parameters))['appSettings'] as Record<
        string,
        string
      >,
    outputsFor: (parameters = {}) =>
      Object.fromEntries(
        Object.entries(template().outputs ?? {}).map(([name, output]) => [
          name,
          evaluateTemplateValue(output.value, contextFor(parameters)),
        ]),
      ),
  };
}
