// Where cloud builds run (AZL_BUILDER=container-apps-job): a container registry for the builder image, a
// Container Apps environment on the Consumption profile (scales to zero; logs through Azure Monitor diagnostic
// settings, so no workspace key is handed out), and the manually triggered builder job. The dispatcher starts
// one execution per build with a start template carrying the image, container name, resources and settings
// (infra/builders/container-apps/start-execution.ts), so the job's own template is the default a manual
// start from the portal would use.
//
// Roles, each on the one resource it concerns: AcrPull on the registry (image pulls with the identity, no
// admin user), and on the job a custom role holding exactly what the dispatcher calls: read the job, start an
// execution, read an execution's status. The built-in Container Apps Jobs Operator would also allow stopping
// executions and every other job action.

@description('Registry name (5-50 letters and digits, globally unique).')
@minLength(5)
@maxLength(50)
param registryName string

@description('Container Apps environment name.')
param environmentName string

@description('Job name (lower-case letters, digits and -, at most 32 characters).')
@minLength(2)
@maxLength(32)
param jobName string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Name of the user-assigned identity every client uses (in this resource group).')
param identityName string

@description('Repository and tag of the builder image in the registry, e.g. azl-rebuilder-builder:latest.')
param imageName string

@description('Name of the build container (the dispatcher\'s AZL_CONTAINER_APPS_JOB_CONTAINER).')
param containerName string

@description('CPU cores of one build (Consumption profile: memory is twice the cores in GiB).')
@allowed([1, 2, 4])
param cpuCores int

@description('Longest a build may run, in seconds, before Container Apps stops it.')
@minValue(600)
@maxValue(86400)
param replicaTimeoutSeconds int

@description('Log Analytics workspace for the environment\'s console and system logs.')
param workspaceId string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

var placeholderImage = 'mcr.microsoft.com/k8se/quickstart-jobs:latest'

// Built-in role (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var acrPull = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' = {
  name: registryName
  location: location
  tags: tags
  sku: {
    name: 'Basic'
  }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
  }
}

resource pull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, identity.id, acrPull)
  scope: registry
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPull)
  }
}

resource environment 'Microsoft.App/managedEnvironments@2025-07-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
  }
}

// 2021-05-01-preview is the newest diagnosticSettings version, and the first with category groups ('allLogs'
// follows new log categories); the linter's alternative, 2016-09-01, has no categoryGroup.
#disable-next-line use-recent-api-versions
resource environmentDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: environment
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

resource job 'Microsoft.App/jobs@2025-07-01' = {
  name: jobName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: 'Consumption'
    configuration: {
      triggerType: 'Manual'
      manualTriggerConfig: {
        parallelism: 1
        replicaCompletionCount: 1
      }
      // The pipeline retries a failed build itself (Service Bus redelivery), so Container Apps does not.
      replicaRetryLimit: 0
      replicaTimeout: replicaTimeoutSeconds
      registries: [
        {
          server: registry.properties.loginServer
          identity: identity.id
        }
      ]
    }
    // The template's image is a public placeholder: on the first `azd provision` the registry is still empty
    // (the postprovision hook pushes the builder image), and every execution the dispatcher starts names the
    // real image itself (AZL_CONTAINER_APPS_JOB_IMAGE), replacing this container.
    template: {
      containers: [
        {
          name: containerName
          image: placeholderImage
          resources: {
            cpu: cpuCores
            memory: '${cpuCores * 2}Gi'
          }
        }
      ]
    }
  }
  dependsOn: [
    pull
  ]
}

resource starterRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, jobName, 'build-starter')
  properties: {
    roleName: 'Build starter for ${jobName} (${resourceGroup().name})'
    description: 'Read the builder job, start an execution of it and read its executions; nothing else.'
    type: 'CustomRole'
    assignableScopes: [
      resourceGroup().id
    ]
    permissions: [
      {
        actions: [
          'Microsoft.App/jobs/read'
          'Microsoft.App/jobs/start/action'
          'Microsoft.App/jobs/executions/read'
        ]
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
  }
}

resource starter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(job.id, identity.id, starterRole.id)
  scope: job
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: starterRole.id
  }
}

output registryName string = registry.name
output registryLoginServer string = registry.properties.loginServer
output jobId string = job.id
output image string = '${registry.properties.loginServer}/${imageName}'
output memory string = '${cpuCores * 2}Gi'
output environmentId string = environment.id
