// One storage account: HTTPS and TLS 1.2 only, no shared key (clients use Entra ID), its blob containers and
// tables, and the identity's data roles on it. Anonymous read is allowed on the account only when one of its
// containers needs it; a container is anonymous only where its catalogue entry says `Blob`.

@description('Account name (3-24 lower-case letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Name of the user-assigned identity every client uses (in this resource group).')
param identityName string

@description('Containers, as generated/storage-entities.json lists them: name and publicAccess (Blob or None).')
param containers array

@description('Tables, as generated/storage-entities.json lists them.')
param tables array = []

@description('Lifecycle rules, each { name, days, containers }: blobs of the containers are deleted days after they were created; a rule with 0 days or no containers is left out.')
param expiryRules array = []

var activeExpiryRules = filter(expiryRules, rule => rule.days > 0 && !empty(rule.containers))

@description('Built-in role definition ids the identity gets on this account.')
param roleIds array

@description('Log Analytics workspace for the account\'s diagnostic logs (blob and table requests) and metrics.')
param workspaceId string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

var anonymousContainers = filter(containers, container => container.publicAccess == 'Blob')

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: !empty(anonymousContainers)
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = [
  for container in containers: {
    parent: blobService
    name: container.name
    properties: {
      publicAccess: container.publicAccess
    }
  }
]

// Lifecycle management runs about once a day and deletes what is older than the rule allows; the pipeline
// does not count on these blobs after their retention period.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-06-01' = if (!empty(activeExpiryRules)) {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: map(activeExpiryRules, rule => {
        name: rule.name
        enabled: true
        type: 'Lifecycle'
        definition: {
          filters: {
            blobTypes: ['blockBlob']
            prefixMatch: map(rule.containers, container => '${container}/')
          }
          actions: {
            baseBlob: {
              delete: {
                daysAfterCreationGreaterThan: rule.days
              }
            }
          }
        }
      })
    }
  }
  dependsOn: [blobContainers]
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-06-01' = if (!empty(tables)) {
  parent: account
  name: 'default'
}

resource storageTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = [
  for table in tables: {
    parent: tableService
    name: table.name
  }
]

resource roles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in roleIds: {
    name: guid(account.id, identity.id, roleId)
    scope: account
    properties: {
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

// 2021-05-01-preview is the newest diagnosticSettings version, and the first with category groups ('allLogs'
// follows new log categories); the linter's alternative, 2016-09-01, has no categoryGroup.
#disable-next-line use-recent-api-versions
resource accountDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: workspaceId
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

// 2021-05-01-preview is the newest diagnosticSettings version, and the first with category groups ('allLogs'
// follows new log categories); the linter's alternative, 2016-09-01, has no categoryGroup.
#disable-next-line use-recent-api-versions
resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

// 2021-05-01-preview is the newest diagnosticSettings version, and the first with category groups ('allLogs'
// follows new log categories); the linter's alternative, 2016-09-01, has no categoryGroup.
#disable-next-line use-recent-api-versions
resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (!empty(tables)) {
  name: 'to-log-analytics'
  scope: tableService
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
@description('The account\'s resource id (a gallery image version names it as its VHD source).')
output id string = account.id
