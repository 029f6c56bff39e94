import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';

/**
 * The credential the ARM client asks for `https://management.azure.com/.default` tokens: in Azure the
 * Function app's managed identity (the user-assigned one named by `AZURE_CLIENT_ID`, else the system-assigned
 * one), on a developer machine an Azure CLI or VS Code login. The identity needs the right to start the job
 * (`Microsoft.App/jobs/start/action`) and read its executions.
 */
export function createArmCredential(clientId?: string): TokenCredential {
  return new DefaultAzureCredential(clientId === undefined ? {} : { managedIdentityClientId: clientId });
}
