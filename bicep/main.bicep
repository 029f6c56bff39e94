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

output AZURE_IDENTITY_ID string = identity.id
output AZURE_IDENTITY_CLIENT_ID string = identity.properties.clientId
output AZURE_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
