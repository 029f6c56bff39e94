// The subscriptions of one topic (a nested loop over topics and their subscriptions needs a module).

@description('The namespace that holds the topic.')
param namespaceName string

@description('The topic the subscriptions belong to.')
param topicName string

@description('The subscriptions, as generated/service-bus-entities.json lists them: name, ARM properties, rules.')
param subscriptions array

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' existing = {
  name: namespaceName
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2026-01-01' existing = {
  parent: namespace
  name: topicName
}

resource subscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2026-01-01' = [
  for entry in subscriptions: {
    parent: topic
    name: entry.name
    properties: entry.properties
  }
]

// Each subscription's rules (a loop over rules inside the loop over subscriptions needs a module).
module rules 'service-bus-subscription-rules.bicep' = [
  for (entry, i) in subscriptions: {
    name: 'rules-${topicName}-${entry.name}'
    params: {
      namespaceName: namespaceName
      topicName: topicName
      subscriptionName: subscription[i].name
      rules: entry.rules
    }
  }
]
