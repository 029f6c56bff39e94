// The identity's right to register image versions in a gallery, deployed into the gallery's own resource
// group (main.bicep scopes this module there: an existing gallery may live in another group or subscription).
//
// Compute Gallery Artifacts Publisher is the least built-in role that creates image definitions and versions
// (Microsoft.Compute/galleries/*, without galleries/share/action). It is assigned on the gallery alone, so its
// other actions (virtual machines, disks, deployments) have nothing to act on. Contributor would also do, on
// far more.

@description('Name of the gallery (in the resource group this module is deployed to).')
param galleryName string

// The identity that registers versions: the function app's and the image builder job's (one user-assigned
// identity), named rather than passed as a principal id so What-If can predict the assignment.
@description('Subscription of the user-assigned identity.')
param identitySubscriptionId string

@description('Resource group of the user-assigned identity (the deployment\'s, which may differ from the gallery\'s).')
param identityResourceGroup string

@description('Name of the user-assigned identity every client uses.')
param identityName string

// Built-in role (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/compute#compute-gallery-artifacts-publisher).
var artifactsPublisherRoleId = '85a2d0d9-2eba-4c9c-b355-11c2cc0788ab'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
  scope: resourceGroup(identitySubscriptionId, identityResourceGroup)
}

resource gallery 'Microsoft.Compute/galleries@2025-03-03' existing = {
  name: galleryName
}

resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(gallery.id, identity.id, artifactsPublisherRoleId)
  scope: gallery
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', artifactsPublisherRoleId)
  }
}
