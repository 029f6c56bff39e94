// Where cloud image builds run (AZL_IMAGE_BUILDER=container-apps-job, main.bicep's imageBuilds): a manually
// triggered Container Apps job in the package builder's environment, pulling from its registry with the same
// identity (build-job.bicep gives that identity AcrPull there). The image dispatcher starts one execution per
// image build with a start template carrying the image builder's image, container, resources and the request
// (infra/images/container-apps-image-dispatcher.ts), so the job's own template is only the default.
//
// Its role, on the job alone: a custom role holding exactly what the dispatcher calls (read the job, start an
// execution, read an execution's status), as build-job.bicep's for the package builder.

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

@description('The Container Apps environment the package builder job runs in.')
param environmentId string

@description('Login server of the registry holding the image builder image (build-job.bicep\'s).')
param registryLoginServer string

@description('Repository and tag of the image builder image in the registry, e.g. azl-rebuilder-image-builder:latest.')
param imageName string

@description('Name of the image build container (the dispatcher\'s AZL_IMAGE_BUILDER_CONTAINER).')
param containerName string

@description('CPU cores of one image build (Consumption profile: memory is twice the cores in GiB).')
@allowed([1, 2, 4])
param cpuCores int

@description('Longest an image build may run, in seconds, before Container Apps stops it.')
@minValue(600)
@maxValue(86400)
param replicaTimeoutSeconds int

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

var placeholderImage = 'mcr.microsoft.com/k8se/quickstart-jobs:latest'

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
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      triggerType: 'Manual'
      manualTriggerConfig: {
        parallelism: 1
        replicaCompletionCount: 1
      }
      // The pipeline decides whether an image build is retried (image.build-execution-stopped is, a failed
      // build is not), so Container Apps does not.
      replicaRetryLimit: 0
      replicaTimeout: replicaTimeoutSeconds
      registries: [
        {
          server: registryLoginServer
          identity: identity.id
        }
      ]
    }
    // A public placeholder until the image builder image is pushed; every execution names the real image
    // (AZL_IMAGE_BUILDER_IMAGE), replacing this container.
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
}

resource starterRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, jobName, 'image-build-starter')
  properties: {
    roleName: 'Image build starter for ${jobName} (${resourceGroup().name})'
    description: 'Read the image builder job, start an execution of it and read its executions; nothing else.'
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

output jobId string = job.id
output image string = '${registryLoginServer}/${imageName}'
output memory string = '${cpuCores * 2}Gi'
