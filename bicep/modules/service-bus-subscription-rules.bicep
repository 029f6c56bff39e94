// The rules of one topic subscription. A rule named $Default replaces the true filter every subscription
// starts with (ARM cannot delete that rule), so a subscription that wants only some messages names its rule so.

@description('The namespace that holds the topic.')
param namespaceName string

@description('The topic the subscription belongs to.')
param topicName string

@description('The subscription the rules belong to.')
param subscriptionName string

@description('The rules, as generated/service-bus-entities.json lists them: name and ARM properties.')
param rules array

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' existing = {
  name: namespaceName
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2026-01-01' existing = {
  parent: namespace
  name: topicName
}

resource subscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2026-01-01' existing = {
  parent: topic
  name: subscriptionName
}

resource rule 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2026-01-01' = [
  for entry in rules: {
    parent: subscription
    name: entry.name
    properties: entry.properties
  }
]
