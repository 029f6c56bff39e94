// The Functions app on the Flex Consumption plan (FC1, Linux): Node 20 from functionAppConfig.runtime, the
// deployment package in a blob container read with the user-assigned identity, and the app settings main.bicep
// builds (identity-based connections only). Flex rejects the classic settings (FUNCTIONS_WORKER_RUNTIME,
// FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE, WEBSITE_CONTENT*, WEBSITE_NODE_DEFAULT_VERSION,
// linuxFxVersion, …): none is set here, and a test on the compiled template keeps it that way.

@description('Function app name (globally unique: it is the host name).')
@minLength(2)
@maxLength(60)
param name string

@description('Plan name.')
param planName string

@description('Azure region.')
param location string

@description('Tags for every resource; the site also gets azd-service-name so `azd deploy` finds it.')
param tags object

@description('Resource id of the user-assigned identity every client uses.')
param identityId string

@description('Blob endpoint of the private storage account (https://<account>.blob.core.windows.net/).')
param deploymentBlobEndpoint string

@description('Container on the private account that holds the deployment package.')
param deploymentContainerName string

@description('Memory of each instance, in MB: the sizes Flex Consumption offers.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int

@description('Most instances the app scales out to (Flex Consumption allows 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('App settings, name to value (identity-based connections; no secret).')
param appSettings object

@description('Log Analytics workspace for the app\'s diagnostic logs and metrics.')
param workspaceId string

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${deploymentBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: '20'
      }
    }
  }
}

resource settings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: appSettings
}

// Publishing with basic credentials (FTP, SCM with a password) off: `azd deploy` signs in with Entra ID.
resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

// 2021-05-01-preview is the newest diagnosticSettings version, and the first with category groups ('allLogs'
// follows new log categories); the linter's alternative, 2016-09-01, has no categoryGroup.
#disable-next-line use-recent-api-versions
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
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

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
