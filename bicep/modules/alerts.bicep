// The pipeline's alerts and who hears them. Metric alerts read the Service Bus namespace's own metrics; log
// alerts read the Application Insights component (the classic tables: requests, customMetrics, customEvents),
// and name only the metrics and events of shared/telemetry/catalogue.ts (tests/bicep/portal-monitoring.test.ts
// holds them to it).
//
// Receivers are parameters. With none (no address, no webhook) no action group is created and the alerts have
// no action: they still fire, and show in the portal's Alerts view and the resource group's alert list.

@description('Short name of the environment, in the alerts\' names.')
param environmentName string

@description('Azure region of the log alerts (metric alerts and the action group are global).')
param location string

@description('Tags for every resource.')
param tags object

@description('Resource id of the Application Insights component the log alerts query.')
param applicationInsightsId string

@description('Resource id of the Service Bus namespace whose dead-letter queues are watched.')
param serviceBusNamespaceId string

@description('E-mail addresses to notify; with no address and no webhook, no action group is created.')
param alertEmails array

@description('A webhook to call with the common alert schema (a chat channel, an incident tool); empty for none. Secure: such URLs often carry a token.')
@secure()
param alertWebhookUrl string

@description('Alert when a message on builds or publish waited longer than this before the pipeline took it, in minutes.')
@minValue(1)
@maxValue(2880)
param backlogAgeMinutes int

@description('Alert when more function invocations than this failed in 15 minutes (per function).')
@minValue(0)
param functionFailuresThreshold int

@description('Alert when more than this percentage of the builds finished in an hour failed (a failed build, timed-out ones included, or an overlay that no longer applies).')
@minValue(1)
@maxValue(100)
param buildFailureRatePercent int

@description('Whether the Fedora Messaging bridge is deployed: the silence alert exists only then.')
param fedoraBridge bool

@description('Alert when the bridge handed no Fedora message to ingest for this long, in minutes.')
@minValue(15)
@maxValue(2880)
param fedoraSilenceMinutes int

var entities = loadJsonContent('../generated/service-bus-entities.json')

// The queues whose age matters to a person waiting for a rebuild: the builds and the publishes they cause.
var backlogQueues = ['builds', 'publish']

// A failure rate over fewer builds than this says little (one failure of one build is 100 %).
var buildFailureRateMinimumBuilds = 5

var hasReceivers = !empty(alertEmails) || !empty(alertWebhookUrl)

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (hasReceivers) {
  name: 'ag-${environmentName}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'azl-rebuild'
    enabled: true
    emailReceivers: [
      for (address, i) in alertEmails: {
        name: 'email-${i}'
        emailAddress: address
        useCommonAlertSchema: true
      }
    ]
    webhookReceivers: empty(alertWebhookUrl)
      ? []
      : [
          {
            name: 'webhook'
            serviceUri: alertWebhookUrl
            useCommonAlertSchema: true
          }
        ]
  }
}

var metricAlertActions = hasReceivers ? [{ actionGroupId: actionGroup.id }] : []
var logAlertActions = { actionGroups: hasReceivers ? [actionGroup.id] : [] }

// Every queue, and every topic (Service Bus reports a topic's DeadletteredMessages summed over its
// subscriptions, under the topic's EntityName).
var deadLetterEntities = concat(map(entities.queues, queue => queue.name), map(entities.topics, topic => topic.name))

// DeadletteredMessages counts what sits in an entity's dead-letter queues: above zero means a message the
// pipeline gave up on waits for a person (a replay, or a look at the reason). Resolves itself once the
// dead-letter queue is drained.
resource deadLetters 'Microsoft.Insights/metricAlerts@2026-01-01' = [
  for entity in deadLetterEntities: {
    name: 'alert-dead-letters-${entity}-${environmentName}'
    location: 'global'
    tags: tags
    properties: {
      description: 'Messages in the dead-letter queue of ${entity}.'
      severity: 2
      enabled: true
      scopes: [serviceBusNamespaceId]
      evaluationFrequency: 'PT5M'
      windowSize: 'PT5M'
      autoMitigate: true
      criteria: {
        'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
        allOf: [
          {
            name: 'dead-lettered'
            criterionType: 'StaticThresholdCriterion'
            metricNamespace: 'Microsoft.ServiceBus/namespaces'
            metricName: 'DeadletteredMessages'
            dimensions: [
              {
                name: 'EntityName'
                operator: 'Include'
                values: [entity]
              }
            ]
            operator: 'GreaterThan'
            threshold: 0
            timeAggregation: 'Maximum'
          }
        ]
      }
      actions: metricAlertActions
    }
  }
]

// The age of the messages the pipeline takes from builds and publish: azl.queue.wait is recorded when
// processing starts, from the message's enqueued (or scheduled) time, so its largest value in the window is the
// oldest message taken. Service Bus has no age metric (ActiveMessages is a count). A queue nobody takes from
// records no wait: the function failures alert, and the backlog chart of the workbook, show that case.
resource backlogAge 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: 'alert-backlog-age-${environmentName}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Backlog on builds or publish older than ${backlogAgeMinutes} minutes (${environmentName})'
    description: 'A message on builds or publish waited longer than the threshold before the pipeline took it (azl.queue.wait).'
    severity: 2
    enabled: true
    scopes: [applicationInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: format(
            '''customMetrics
| where name == 'azl.queue.wait'
| extend queue = tostring(customDimensions.queue)
| where queue in ('{0}')
| summarize oldest_wait_minutes = max(valueMax) / 60000.0 by queue''',
            join(backlogQueues, '\', \'')
          )
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'oldest_wait_minutes'
          dimensions: [
            {
              name: 'queue'
              operator: 'Include'
              values: ['*']
            }
          ]
          operator: 'GreaterThan'
          threshold: backlogAgeMinutes
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: logAlertActions
  }
}

// Failed function invocations, per function: a request the Functions host recorded as unsuccessful. Requests,
// not exceptions: one failed invocation is one request, but may carry several exceptions.
resource functionFailures 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: 'alert-function-failures-${environmentName}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Function failures (${environmentName})'
    description: 'More function invocations failed in 15 minutes than the threshold, per function.'
    severity: 2
    enabled: true
    scopes: [applicationInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: '''requests
| where success == false
| summarize failures = count() by operation_Name'''
          timeAggregation: 'Total'
          metricMeasureColumn: 'failures'
          dimensions: [
            {
              name: 'operation_Name'
              operator: 'Include'
              values: ['*']
            }
          ]
          operator: 'GreaterThan'
          threshold: functionFailuresThreshold
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: logAlertActions
  }
}

// The share of finished builds that failed (state failed, which includes time-outs, or overlay-drift) in the last hour (azl.builds by outcome; cancelled
// builds are a person's choice, not a failure).
resource buildFailureRate 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: 'alert-build-failure-rate-${environmentName}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Build failure rate above ${buildFailureRatePercent} % (${environmentName})'
    description: 'More than the threshold percentage of the builds finished in the last hour failed or met overlay drift (azl.builds).'
    severity: 3
    enabled: true
    scopes: [applicationInsightsId]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: format(
            '''customMetrics
| where name == 'azl.builds'
| extend outcome = tostring(customDimensions.outcome)
| summarize builds = sum(valueSum), failed = sumif(valueSum, outcome in ('failed', 'overlay-drift'))
| where builds >= {0}
| extend failure_rate_percent = 100.0 * failed / builds''',
            buildFailureRateMinimumBuilds
          )
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'failure_rate_percent'
          operator: 'GreaterThan'
          threshold: buildFailureRatePercent
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: logAlertActions
  }
}

// The bus went silent: the bridge handed nothing to ingest for the whole window. Fedora's bus carries messages
// every minute, so silence means the bridge is down, disconnected, or the broker stopped delivering. With no
// group-by, summarize over no rows still returns one row, and sum() of nothing is 0, so an empty window fires.
resource fedoraSilence 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = if (fedoraBridge) {
  name: 'alert-fedora-silence-${environmentName}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'No Fedora message from the bridge for ${fedoraSilenceMinutes} minutes (${environmentName})'
    description: 'The Fedora Messaging bridge handed no message to ingest in the window (azl.ingest.messages, source bridge).'
    severity: 2
    enabled: true
    scopes: [applicationInsightsId]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT${fedoraSilenceMinutes}M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: '''customMetrics
| where name == 'azl.ingest.messages'
| where tostring(customDimensions.source) == 'amqp-bridge'
| summarize messages = sum(valueSum)'''
          timeAggregation: 'Minimum'
          metricMeasureColumn: 'messages'
          operator: 'LessThan'
          threshold: 1
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: logAlertActions
  }
}

// A webhook endpoint was disabled (WebhookEndpointDisabled): it answered 410 Gone, or failed every attempt for
// the configured period. Its subscriber gets no more events until someone re-enables it (PATCH
// /api/webhooks/{id}), so an operator should know, and tell them. Severity 3 (informational): the pipeline
// itself is fine. One alert per endpoint and reason, which the notification names; any one event fires it. The
// window is longer than the frequency so an event that reaches the component late is still counted; the alert
// stays fired while events keep arriving and resolves itself after a window without one.
resource webhookEndpointDisabled 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: 'alert-webhook-endpoint-disabled-${environmentName}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Webhook endpoint disabled (${environmentName})'
    description: 'The pipeline disabled a webhook endpoint (WebhookEndpointDisabled): it answered 410 Gone (gone) or failed every attempt for too long (failing). Its subscriber gets no events until it is re-enabled.'
    severity: 3
    enabled: true
    scopes: [applicationInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: '''customEvents
| where name == 'WebhookEndpointDisabled'
| extend endpoint_id = tostring(customDimensions.endpoint_id), reason = tostring(customDimensions.reason)
| summarize disabled = count() by endpoint_id, reason'''
          timeAggregation: 'Total'
          metricMeasureColumn: 'disabled'
          dimensions: [
            {
              name: 'endpoint_id'
              operator: 'Include'
              values: ['*']
            }
            {
              name: 'reason'
              operator: 'Include'
              values: ['*']
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: logAlertActions
  }
}
