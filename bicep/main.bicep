// The Azure deployment of azl-rebuilder, at resource-group scope: `azd up` creates the group (rg-<environment>)
// and deploys this file into it, so one environment is one group and `azd down` removes all of it. Modules per
// concern; every client (the function app, the builder job, the bridge) is the one user-assigned identity, with
// data-plane roles only, each on the resource it needs. No key, connection string with a key, or SAS is created,
// read or output: storage has shared keys off, Service Bus SAS off, Application Insights and Log Analytics
// local auth off.
targetScope = 'resourceGroup'

@description('Short name of the environment (azd sets it): lower-case letters, digits and -, used in resource names.')
@minLength(3)
@maxLength(20)
param environmentName string

@description('Azure region for every resource; defaults to the resource group location.')
param location string = resourceGroup().location

@description('Memory of each function instance, in MB: the sizes Flex Consumption offers.')
@allowed([512, 2048, 4096])
param functionInstanceMemoryMB int = 2048

@description('Most function instances the app scales out to (Flex Consumption allows 40 to 1000).')
@minValue(40)
@maxValue(1000)
param functionMaximumInstances int = 100

@description('CPU cores of one cloud build; its memory is twice that in GiB (Consumption profile: at most 4 cores).')
@allowed([1, 2, 4])
param builderCpuCores int = 2

@description('Longest one cloud build may run, in seconds, before Container Apps stops it.')
@minValue(600)
@maxValue(86400)
param builderTimeoutSeconds int = 14400

@description('Build preview VM images in the cloud: a second Container Apps job running kiwi-ng (AZL_IMAGE_BUILDER=container-apps-job). Off: images are not built in Azure.')
param imageBuilds bool = false

@description('CPU cores of one cloud image build; its memory is twice that in GiB (Consumption profile: at most 4 cores).')
@allowed([1, 2, 4])
param imageBuilderCpuCores int = 4

@description('Longest one cloud image build may run, in seconds, before Container Apps stops it.')
@minValue(600)
@maxValue(86400)
param imageBuilderTimeoutSeconds int = 7200

@description('Create an Azure Compute Gallery in this resource group and register every published preview image in it (AZL_GALLERY_ID). Off, with no galleryId: images are published as VHDs only.')
param createGallery bool = false

@description('Register preview images in this existing Azure Compute Gallery instead: its resource id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Compute/galleries/<name>), in any group of a subscription the deployer may assign roles in, in this deployment\'s region. Empty: none. Not together with createGallery.')
param galleryId string = ''

@description('Days from registration to a preview image version\'s end-of-life date (AZL_GALLERY_EOL_DAYS).')
@minValue(1)
@maxValue(3650)
param galleryEndOfLifeDays int = 30

@description('Publisher of the image definitions\' identifiers (AZL_GALLERY_PUBLISHER): letters, digits, -, . or _.')
@minLength(1)
@maxLength(64)
param galleryPublisher string = 'azl-rebuilder'

@description('Offer of the image definitions\' identifiers (AZL_GALLERY_OFFER); the SKU is the definition\'s name.')
@minLength(1)
@maxLength(64)
param galleryOffer string = 'azurelinux-preview'

@description('Tag of the builder image (azl-rebuilder-builder) in the registry; the deploy workflow pushes latest and the commit.')
@minLength(1)
@maxLength(128)
param builderImageTag string = 'latest'

@description('The distribution tree inside the deployment package and the builder image (AZL_DISTRO_DIR); relative to the app root.')
@minLength(1)
param distroDir string = 'distro'

@description('Datagrepper catch-up of missed Fedora messages (AZL_FEDORA_CATCH_UP).')
@allowed(['on', 'off'])
param fedoraCatchUp string = 'on'

@description('Run the Fedora Messaging bridge (AMQP consumer) as an always-on container app: events within seconds instead of at the next catch-up. Costs one small replica around the clock.')
param fedoraBridge bool = false

@description('Also publish every pipeline event to an Event Grid topic (CloudEvents 1.0, Entra auth only), for Logic Apps, Functions or any Event Grid subscriber; sets AZL_EVENTGRID_TOPIC_ENDPOINT. Billed per operation.')
param eventGridTopic bool = false

@description('The Fedora release Rawhide currently is (AZL_RAWHIDE_RELEASE); 0 leaves it unset.')
@minValue(0)
@maxValue(999)
param rawhideRelease int = 0

@description('Fedora binary repodata (rpm-md folder URL) for reverse build dependencies (AZL_DEPS_REPODATA); empty: dependents are not planned.')
param dependencyRepodata string = ''

@description('Fedora source repodata URL (AZL_DEPS_SOURCE_REPODATA); set together with dependencyRepodata.')
param dependencySourceRepodata string = ''

@description('Koji tags whose repo regeneration refreshes the dependency index (AZL_DEPS_TRACKED_TAGS), comma-separated.')
param dependencyTrackedTags string = ''

@description('Log level of the pipeline\'s own logs (AZL_LOG_LEVEL).')
@allowed(['debug', 'info', 'warn', 'error'])
param logLevel string = 'info'

@description('How many days Log Analytics keeps logs (30 is included in the ingestion price).')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Days a build\'s files (RPMs, SRPMs, logs in the artifacts container) are kept after they are written; the publisher has copied what it publishes by then. 0 keeps them for ever.')
@minValue(0)
@maxValue(3650)
param artifactRetentionDays int = 30

@description('Days a rejected Fedora message stays in the quarantine container for an operator to read or replay. 0 keeps them for ever.')
@minValue(0)
@maxValue(3650)
param quarantineRetentionDays int = 90

@description('E-mail addresses the alerts notify (ALERT_EMAILS, comma-separated); with none and no webhook, alerts fire without notifying anyone.')
param alertEmails array = []

@description('A webhook the alerts call with the common alert schema (ALERT_WEBHOOK_URL); empty for none.')
@secure()
param alertWebhookUrl string = ''

@description('Alert when a message on builds or publish waited longer than this before the pipeline took it, in minutes.')
@minValue(1)
@maxValue(2880)
param backlogAgeMinutes int = 60

@description('Alert when more invocations of one function than this failed in 15 minutes.')
@minValue(0)
@maxValue(10000)
param functionFailuresThreshold int = 5

@description('Alert when more than this percentage of the builds finished in an hour failed or timed out.')
@minValue(1)
@maxValue(100)
param buildFailureRatePercent int = 25

@description('With the bridge on: alert when it handed no Fedora message to ingest for this long, in minutes.')
@minValue(15)
@maxValue(2880)
param fedoraSilenceMinutes int = 60

// Unique per subscription, group and environment, so global names (namespace, accounts, registry, site) do
// not collide.
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))

var tags = {
  'azd-env-name': environmentName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: 'id-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: 'log-${environmentName}-${resourceToken}'
    applicationInsightsName: 'appi-${environmentName}-${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionDays
    identityName: identity.name
  }
}

module serviceBus 'modules/service-bus.bicep' = {
  name: 'service-bus'
  params: {
    name: 'sb-${environmentName}-${resourceToken}'
    location: location
    tags: tags
    identityName: identity.name
    workspaceId: monitoring.outputs.workspaceId
  }
}

var storageEntities = loadJsonContent('generated/storage-entities.json')

// Built-in roles (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

// Flex Consumption reads the deployment package from this container on the private account.
var deploymentContainerName = 'app-package'

// The private account: the Functions host (deployment package, leases, keys), the pipeline's state, plans and
// artifacts, and every table. No container on it is anonymous. Blob Data Owner is the documented minimum for
// the host's identity-based AzureWebJobsStorage.
module stateStorage 'modules/storage-account.bicep' = {
  name: 'state-storage'
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    identityName: identity.name
    containers: concat(filter(storageEntities.containers, container => container.publicAccess == 'None'), [
      { name: deploymentContainerName, publicAccess: 'None' }
    ])
    tables: storageEntities.tables
    expiryRules: [
      {
        name: 'expire-artifacts'
        days: artifactRetentionDays
        containers: map(
          filter(storageEntities.containers, container => container.expiresAfter == 'artifactRetentionDays'),
          container => container.name
        )
      }
      {
        name: 'expire-quarantine'
        days: quarantineRetentionDays
        containers: map(
          filter(storageEntities.containers, container => container.expiresAfter == 'quarantineRetentionDays'),
          container => container.name
        )
      }
    ]
    roleIds: [storageBlobDataOwner, storageTableDataContributor]
    workspaceId: monitoring.outputs.workspaceId
  }
}

// The publishing account: only the containers anonymous clients read (dnf, image downloads), blob by blob.
var publishingAccountName = 'stpub${resourceToken}'

module publishingStorage 'modules/storage-account.bicep' = {
  name: 'publishing-storage'
  params: {
    name: publishingAccountName
    location: location
    tags: tags
    identityName: identity.name
    containers: filter(storageEntities.containers, container => container.publicAccess == 'Blob')
    roleIds: [storageBlobDataContributor]
    workspaceId: monitoring.outputs.workspaceId
  }
}

var builderContainerName = 'builder'

module buildJob 'modules/build-job.bicep' = {
  name: 'build-job'
  params: {
    registryName: 'cr${resourceToken}'
    environmentName: 'cae-${environmentName}-${resourceToken}'
    jobName: 'caj-build-${environmentName}'
    location: location
    tags: tags
    identityName: identity.name
    imageName: 'azl-rebuilder-builder:${builderImageTag}'
    containerName: builderContainerName
    cpuCores: builderCpuCores
    replicaTimeoutSeconds: builderTimeoutSeconds
    workspaceId: monitoring.outputs.workspaceId
  }
}

var imageBuilderContainerName = 'image-builder'

// Preview VM image builds, when asked: a job of their own in the builder's environment and registry.
module imageBuildJob 'modules/image-build-job.bicep' = if (imageBuilds) {
  name: 'image-build-job'
  params: {
    jobName: 'caj-image-${environmentName}'
    location: location
    tags: tags
    identityName: identity.name
    environmentId: buildJob.outputs.environmentId
    registryLoginServer: buildJob.outputs.registryLoginServer
    imageName: 'azl-rebuilder-image-builder:${builderImageTag}'
    containerName: imageBuilderContainerName
    cpuCores: imageBuilderCpuCores
    replicaTimeoutSeconds: imageBuilderTimeoutSeconds
  }
}

// Preview images registered in Azure Compute Gallery, when asked: a gallery created here, or an existing one by
// id (galleryId wins when both are given; the preprovision check refuses that). The registering identity is
// the one user-assigned identity, which both the function app (local image builds) and the image builder
// job's executions (`worker image`) run as, so one principal gets both roles.
var galleryEnabled = createGallery || !empty(galleryId)
var createsGallery = createGallery && empty(galleryId)
// The existing gallery's id in parts, or one in this group as a placeholder, so the parts always exist:
// /subscriptions/<1>/resourceGroups/<2>/providers/Microsoft.Compute/galleries/<3> after the split.
var galleryIdParts = split(
  empty(galleryId)
    ? '/subscriptions/${subscription().subscriptionId}/resourceGroups/${resourceGroup().name}/providers/Microsoft.Compute/galleries/none'
    : galleryId,
  '/'
)

// Gallery names take letters, digits, dots and underscores only.
var createdGalleryName = 'gal_${replace(environmentName, '-', '_')}_${resourceToken}'

module gallery 'modules/compute-gallery.bicep' = if (createsGallery) {
  name: 'compute-gallery'
  params: {
    name: createdGalleryName
    location: location
    tags: tags
  }
}

var galleryResourceId = createsGallery ? gallery!.outputs.id : galleryId

// In the gallery's own group: this one for a created gallery, the existing gallery's otherwise.
module galleryPublisherRole 'modules/gallery-publisher.bicep' = if (galleryEnabled) {
  name: 'gallery-publisher'
  scope: resourceGroup(galleryIdParts[2], galleryIdParts[4])
  params: {
    galleryName: createsGallery ? createdGalleryName : galleryIdParts[8]
    identitySubscriptionId: subscription().subscriptionId
    identityResourceGroup: resourceGroup().name
    identityName: identity.name
  }
  dependsOn: [gallery]
}

module gallerySource 'modules/gallery-source.bicep' = if (galleryEnabled) {
  name: 'gallery-source'
  params: {
    storageAccountName: publishingAccountName
    identityName: identity.name
  }
  dependsOn: [publishingStorage]
}

// Every pipeline event, also as a CloudEvent on an Event Grid topic, when asked (eventGridForward sends them).
module eventGrid 'modules/event-grid.bicep' = if (eventGridTopic) {
  name: 'event-grid'
  params: {
    name: 'evgt-${environmentName}-${resourceToken}'
    location: location
    tags: tags
    identityName: identity.name
    workspaceId: monitoring.outputs.workspaceId
  }
}

// How every client reaches storage, Service Bus and Application Insights: identity-based settings in the
// forms shared/settings reads (and the Functions host reads for its own storage and triggers). The same
// identity everywhere, so one client id.
var clientId = identity.properties.clientId
var connectionSettings = {
  AzureWebJobsStorage__accountName: stateStorage.outputs.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: clientId
  ServiceBusConnection__fullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: clientId
  AZL_PUBLISHING_STORAGE__accountName: publishingStorage.outputs.name
  AZL_PUBLISHING_STORAGE__credential: 'managedidentity'
  AZL_PUBLISHING_STORAGE__clientId: clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${clientId}'
}

// What the pipeline does with them: plan from the packaged distribution tree, build in the job, follow Fedora.
// An optional setting left empty counts as unset (shared/settings reads a blank value as absent), so this
// stays one literal object a test can read setting by setting.
var pipelineSettings = {
  AZL_DISTRO_DIR: distroDir
  AZL_BUILDER: 'container-apps-job'
  // The identity that starts the job's executions through ARM.
  AZURE_CLIENT_ID: clientId
  AZL_CONTAINER_APPS_JOB_ID: buildJob.outputs.jobId
  AZL_CONTAINER_APPS_JOB_IMAGE: buildJob.outputs.image
  AZL_CONTAINER_APPS_JOB_CONTAINER: builderContainerName
  AZL_CONTAINER_APPS_JOB_CPU: string(builderCpuCores)
  AZL_CONTAINER_APPS_JOB_MEMORY: buildJob.outputs.memory
  AZL_IMAGE_BUILDER: imageBuilds ? 'container-apps-job' : 'off'
  AZL_IMAGE_BUILDER_JOB_ID: imageBuilds ? imageBuildJob!.outputs.jobId : ''
  AZL_IMAGE_BUILDER_IMAGE: imageBuilds ? imageBuildJob!.outputs.image : ''
  AZL_IMAGE_BUILDER_CONTAINER: imageBuilds ? imageBuilderContainerName : ''
  AZL_IMAGE_BUILDER_CPU: imageBuilds ? string(imageBuilderCpuCores) : ''
  AZL_IMAGE_BUILDER_MEMORY: imageBuilds ? imageBuildJob!.outputs.memory : ''
  AZL_FEDORA_CATCH_UP: fedoraCatchUp
  AZL_LOG_LEVEL: logLevel
  AZL_RAWHIDE_RELEASE: rawhideRelease > 0 ? string(rawhideRelease) : ''
  AZL_DEPS_REPODATA: dependencyRepodata
  AZL_DEPS_SOURCE_REPODATA: dependencySourceRepodata
  AZL_DEPS_TRACKED_TAGS: dependencyTrackedTags
  AZL_EVENTGRID_TOPIC_ENDPOINT: eventGridTopic ? eventGrid!.outputs.endpoint : ''
  // The VHD a version is made from lives in the publishing account's `images` container.
  AZL_GALLERY_ID: galleryEnabled ? galleryResourceId : ''
  AZL_GALLERY_STORAGE_ACCOUNT_ID: galleryEnabled ? publishingStorage.outputs.id : ''
  AZL_GALLERY_EOL_DAYS: galleryEnabled ? string(galleryEndOfLifeDays) : ''
  AZL_GALLERY_PUBLISHER: galleryEnabled ? galleryPublisher : ''
  AZL_GALLERY_OFFER: galleryEnabled ? galleryOffer : ''
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  params: {
    name: 'func-${environmentName}-${resourceToken}'
    planName: 'plan-${environmentName}-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.id
    deploymentBlobEndpoint: stateStorage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    instanceMemoryMB: functionInstanceMemoryMB
    maximumInstanceCount: functionMaximumInstances
    appSettings: union(connectionSettings, pipelineSettings)
    workspaceId: monitoring.outputs.workspaceId
  }
}

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  params: {
    location: location
    tags: tags
    displayName: 'azl-rebuilder pipeline (${environmentName})'
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    serviceBusNamespaceId: serviceBus.outputs.id
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    environmentName: environmentName
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    serviceBusNamespaceId: serviceBus.outputs.id
    alertEmails: alertEmails
    alertWebhookUrl: alertWebhookUrl
    backlogAgeMinutes: backlogAgeMinutes
    functionFailuresThreshold: functionFailuresThreshold
    buildFailureRatePercent: buildFailureRatePercent
    fedoraBridge: fedoraBridge
    fedoraSilenceMinutes: fedoraSilenceMinutes
  }
}

// The bridge only ingests: the connections, and what the catch-up after each reconnect needs.
var bridgeSettings = {
  AZL_FEDORA_CATCH_UP: fedoraCatchUp
  AZL_LOG_LEVEL: logLevel
  AZL_RAWHIDE_RELEASE: pipelineSettings.AZL_RAWHIDE_RELEASE
}

module bridge 'modules/fedora-bridge.bicep' = if (fedoraBridge) {
  name: 'fedora-bridge'
  params: {
    name: 'ca-bridge-${environmentName}'
    location: location
    tags: tags
    identityId: identity.id
    environmentId: buildJob.outputs.environmentId
    registryServer: buildJob.outputs.registryLoginServer
    image: buildJob.outputs.image
    settings: union(connectionSettings, bridgeSettings)
  }
}

output AZURE_LOCATION string = location
output AZURE_IDENTITY_ID string = identity.id
output AZURE_IDENTITY_CLIENT_ID string = clientId
output AZURE_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
@description('Base URL of the HTTP API (status, ingest, catch-up, health).')
output API_BASE_URL string = 'https://${functionApp.outputs.defaultHostName}/api'
@description('dnf reads a repository at <this>/<repository>, e.g. dnf --repofrompath=azl,<this>/base/x86_64.')
output REPOSITORY_BASE_URL string = '${publishingStorage.outputs.blobEndpoint}repos'
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output AZURE_STORAGE_ACCOUNT string = stateStorage.outputs.name
output AZURE_PUBLISHING_STORAGE_ACCOUNT string = publishingStorage.outputs.name
output AZURE_CONTAINER_REGISTRY_NAME string = buildJob.outputs.registryName
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = buildJob.outputs.registryLoginServer
output BUILDER_JOB_ID string = buildJob.outputs.jobId
output BUILDER_IMAGE string = buildJob.outputs.image
@description('With eventGridTopic on: the topic\'s resource id, the --source-resource-id of `az eventgrid event-subscription create`; else empty.')
output EVENT_GRID_TOPIC_ID string = eventGridTopic ? eventGrid!.outputs.id : ''
@description('With createGallery or galleryId: the gallery preview images are registered in (AZL_GALLERY_ID); else empty.')
output GALLERY_ID string = galleryEnabled ? galleryResourceId : ''
