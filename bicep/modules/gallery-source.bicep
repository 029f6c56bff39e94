// The identity's right to name the publishing account as the source of a gallery image version. Creating a
// version from a VHD in a storage account requires the caller to hold
// Microsoft.Storage/storageAccounts/listKeys/action on that account ("or Storage Account Contributor";
// learn.microsoft.com/azure/virtual-machines/shared-image-galleries, "RBAC permissions required to create an
// ACG image", VHD as source). Nothing in the pipeline lists keys (the account has shared keys off): the gallery
// service checks the permission on the caller. So the role holds that one action and nothing more, on the
// publishing account alone; the built-in roles that have it also regenerate keys (Storage Account Key
// Operator) or change the account (Storage Account Contributor).

@description('Name of the publishing storage account (in this resource group), which holds the `images` container.')
param storageAccountName string

@description('Name of the user-assigned identity every client uses (in this resource group).')
param identityName string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource sourceRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, storageAccountName, 'gallery-vhd-source')
  properties: {
    roleName: 'Gallery VHD source for ${storageAccountName} (${resourceGroup().name})'
    description: 'Name this storage account as the VHD source of an Azure Compute Gallery image version; nothing else.'
    type: 'CustomRole'
    assignableScopes: [
      resourceGroup().id
    ]
    permissions: [
      {
        actions: [
          'Microsoft.Storage/storageAccounts/listKeys/action'
        ]
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
  }
}

resource source 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, identity.id, sourceRole.id)
  scope: account
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: sourceRole.id
  }
}
