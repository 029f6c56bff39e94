import { PipelineError } from '../../shared/errors';
import { withoutPublishingStorage } from '../../shared/settings/publishing-storage';
import { readEndpoints } from '../local/runtime/endpoints-file';

/**
 * The connection settings of the local pipeline that `azl-rebuilder start` runs (its `endpoints.json`), over
 * the environment; catch-up stays off unless the environment says on. `command` names the error code.
 */
export function localPipelineEnv(dataDir: string, command: 'bridge' | 'worker'): NodeJS.ProcessEnv {
  const endpoints = readEndpoints(dataDir);
  if (!endpoints) {
    throw PipelineError.permanent(
      `${command}.no-local-pipeline`,
      `no running local pipeline: ${dataDir}/endpoints.json is missing (run azl-rebuilder start first)`,
      { dataDir },
    );
  }
  return {
    AZL_FEDORA_CATCH_UP: 'off',
    ...process.env,
    // The local pipeline keeps its repositories in its one Azurite account (see local-runtime.ts).
    ...withoutPublishingStorage(),
    AzureWebJobsStorage: endpoints.storageConnectionString,
    ServiceBusConnection: endpoints.serviceBusConnectionString,
  };
}
