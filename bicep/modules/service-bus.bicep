// The Service Bus namespace with every queue, topic and subscription the pipeline uses, read from
// generated/service-bus-entities.json (written from shared/messaging/entities.ts by `npm run bicep:entities`),
// and the identity's data-plane roles on it. Local (SAS) authentication is off: clients use Entra ID only.

@description('Namespace name (globally unique, 6-50 characters).')
@minLength(6)
@maxLength(50)
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Name of the user-assigned identity every client uses (in this resource group).')
param identityName string

@description('Log Analytics workspace for the namespace\'s diagnostic logs and metrics.')
param workspaceId string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

var entities = loadJsonContent('../generated/service-bus-entities.json')

// Built-in roles (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var dataOwnerRoleId = '090c5cfd-751d-490a-894a-3ce6f1109419'

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queues 'Microsoft.ServiceBus/namespaces/queues@2026-01-01' = [
  for queue in entities.queues: {
    parent: namespace
    name: queue.name
    properties: queue.properties
  }
]

resource topics 'Microsoft.ServiceBus/namespaces/topics@2026-01-01' = [
  for topic in entities.topics: {
    parent: namespace
    name: topic.name
    properties: topic.properties
  }
]

module subscriptions 'service-bus-subscriptions.bicep' = [
  for (topic, i) in entities.topics: {
    name: 'subscriptions-${topic.name}'
    params: {
      namespaceName: namespace.name
      topicName: topics[i].name
      subscriptions: topic.subscriptions
    }
  }
]

// Data Owner rather than Data Sender + Data Receiver: the health check and the dashboard read every entity's
// backlog through the management API (ServiceBusAdministrationClient), which needs the Manage right, and no
// narrower built-in role carries it.
resource owner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace.id, identity.id, dataOwnerRoleId)
  scope: namespace
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataOwnerRoleId)
  }
}

// 2021-05-01-preview is the newest diagnosticSettings version, and the first with category groups ('allLogs'
// follows new log categories); the linter's alternative, 2016-09-01, has no categoryGroup.
#disable-next-line use-recent-api-versions
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
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

@description('The namespace host name, for ServiceBusConnection__fullyQualifiedNamespace.')
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
output id string = namespace.id
