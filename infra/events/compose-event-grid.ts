import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import type { Services } from '../../shared/services';
import type { Settings } from '../../shared/settings/load-settings';
import { EventGridPublisher } from './event-grid-publisher';
import type { EventGridSendOptions } from './event-grid-publisher';

export interface EventGridComposition {
  /** The credential of a user-assigned client id (undefined: the default chain); default DefaultAzureCredential. */
  readonly credential?: (clientId: string | undefined) => TokenCredential;
  readonly retry?: EventGridSendOptions;
}

/**
 * The `eventGrid` port from settings: a publisher to `AZL_EVENTGRID_TOPIC_ENDPOINT`, or undefined when it is
 * not set. The topic takes Microsoft Entra tokens only, so the credential is always an identity: the
 * user-assigned one the Service Bus connection names (`ServiceBusConnection__clientId`), else the storage
 * connection's (`AzureWebJobsStorage__clientId`; the deployment sets both to the same identity), else the
 * default chain (the system-assigned identity, or a developer login locally). Construction touches no network.
 */
export function composeEventGrid(
  settings: Pick<Settings, 'webhooks' | 'serviceBus' | 'storage'>,
  composition: EventGridComposition = {},
): Services['eventGrid'] {
  const endpoint = settings.webhooks.eventGridTopicEndpoint;
  if (endpoint === undefined) return undefined;
  const credential = (composition.credential ?? identityCredential)(identityClientId(settings));
  return new EventGridPublisher(endpoint, credential, composition.retry);
}

/** The user-assigned identity the other Azure clients use, if the settings name one. */
export function identityClientId(settings: Pick<Settings, 'serviceBus' | 'storage'>): string | undefined {
  const serviceBus = settings.serviceBus.kind === 'identity' ? settings.serviceBus.clientId : undefined;
  const storage = settings.storage.kind === 'identity' ? settings.storage.clientId : undefined;
  return serviceBus ?? storage;
}

function identityCredential(clientId: string | undefined): TokenCredential {
  return new DefaultAzureCredential(clientId === undefined ? {} : { managedIdentityClientId: clientId });
}
