// The Azure deployment, resource-group scope (`azd up` creates the group). Issue 15 builds it out module by
// module: so far the identity every client uses and the Service Bus namespace with its entities.
targetScope = 'resourceGroup'

@description('Short name used to derive resource names.')
@minLength(3)
@maxLength(20)
param environmentName string

@description('Azure region for every resource; defaults to the resource group location.')
param location string = resourceGroup().location

// Unique per subscription, group and environment, so global names (the namespace) do not collide.
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))

var tags = {
  'azd-env-name': environmentName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: 'id-${environmentName}'
  location: location
  tags: tags
}

module serviceBus 'modules/service-bus.bicep' = {
  name: 'service-bus'
  params: {
    name: 'sb-${environmentName}-${resourceToken}'
    location: location
    tags: tags
    identityName: identity.name
  }
}

var storageEntities = loadJsonContent('generated/storage-entities.json')

// Built-in roles (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

// The private account: the Functions host (deployment package, leases), the pipeline's state, plans and
// artifacts, and every table. No container on it is anonymous.
module stateStorage 'modules/storage-account.bicep' = {
  name: 'state-storage'
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    identityName: identity.name
    containers: filter(storageEntities.containers, container => container.publicAccess == 'None')
    tables: storageEntities.tables
    roleIds: [storageBlobDataOwner, storageTableDataContributor]
  }
}

// The publishing account: only the containers anonymous clients read (dnf, image downloads), blob by blob.
module publishingStorage 'modules/storage-account.bicep' = {
  name: 'publishing-storage'
  params: {
    name: 'stpub${resourceToken}'
    location: location
    tags: tags
    identityName: identity.name
    containers: filter(storageEntities.containers, container => container.publicAccess == 'Blob')
    roleIds: [storageBlobDataContributor]
  }
}

output AZURE_IDENTITY_ID string = identity.id
output AZURE_IDENTITY_CLIENT_ID string = identity.properties.clientId
output AZURE_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output AZURE_STORAGE_ACCOUNT string = stateStorage.outputs.name
output REPOSITORY_BASE_URL string = '${publishingStorage.outputs.blobEndpoint}repos'
