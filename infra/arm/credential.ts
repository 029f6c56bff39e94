import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';

/**
 * The credential the ARM SDK clients ask for `<ARM endpoint>/.default` tokens: in Azure the Function app's
 * managed identity (the user-assigned one named by `AZURE_CLIENT_ID`, else the system-assigned one), on a
 * developer machine an Azure CLI or VS Code login. Each adapter documents the role its calls need.
 */
export function createArmCredential(clientId?: string): TokenCredential {
  return new DefaultAzureCredential(clientId === undefined ? {} : { managedIdentityClientId: clientId });
}
