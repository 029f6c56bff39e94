// Minimal resource-group-scoped template (issue 15). The full deployment template replaces this later.
targetScope = 'resourceGroup'

@description('Short name used to derive resource names.')
@minLength(3)
@maxLength(20)
param environmentName string

@description('Azure region for every resource; defaults to the resource group location.')
param location string = resourceGroup().location

var tags = {
  'azd-env-name': environmentName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: 'id-${environmentName}'
  location: location
  tags: tags
}

output AZURE_IDENTITY_ID string = identity.id
output AZURE_IDENTITY_CLIENT_ID string = identity.properties.clientId
output AZURE_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
