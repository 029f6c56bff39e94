// The Event Grid topic every pipeline event is also handed to (the `eventGridForward` function, issue 17), so
// Logic Apps, Functions or any Event Grid subscriber can take them without code here. It takes CloudEvents 1.0
// as they are (the input schema the pipeline sends: the same id, source, type, subject and data as the
// webhooks), and Entra tokens only: local (key and SAS) authentication is off, and the identity has the
// "EventGrid Data Sender" role on this topic and nothing more. Subscriptions to it are the users' own.

@description('Topic name (3-50 letters, digits and -).')
@minLength(3)
@maxLength(50)
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Name of the user-assigned identity every client uses (in this resource group).')
param identityName string

@description('Log Analytics workspace for the topic\'s diagnostic logs (publish and delivery failures) and metrics.')
param workspaceId string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

// Built-in role (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var dataSenderRoleId = 'd5a91429-5739-47e2-a06b-3470a27159e7'

resource topic 'Microsoft.EventGrid/topics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    inputSchema: 'CloudEventSchemaV1_0'
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
    minimumTlsVersionAllowed: '1.2'
  }
}

resource sender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(topic.id, identity.id, dataSenderRoleId)
  scope: topic
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataSenderRoleId)
  }
}

// 2021-05-01-preview is the newest diagnosticSettings version, and the first with category groups ('allLogs'
// follows new log categories); the linter's alternative, 2016-09-01, has no categoryGroup.
#disable-next-line use-recent-api-versions
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: topic
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
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

@description('The topic\'s publish endpoint (https://<topic>.<region>-1.eventgrid.azure.net/api/events), for AZL_EVENTGRID_TOPIC_ENDPOINT.')
output endpoint string = topic.properties.endpoint
output id string = topic.id
