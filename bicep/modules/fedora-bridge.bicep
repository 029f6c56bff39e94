// The Fedora Messaging bridge (`azl-rebuilder bridge`, hosts/cli/bridge-command.ts) as an always-on container
// app: it consumes Fedora's public AMQP broker and hands each message to the pipeline's ingest, with a
// datagrepper catch-up after every (re)connect. It runs the builder image (which holds the CLI) with the
// argument `bridge`, exactly one replica (a second would only deliver every message twice; ingest would
// drop the duplicates), no ingress.

@description('Container app name.')
@minLength(2)
@maxLength(32)
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Resource id of the user-assigned identity every client uses.')
param identityId string

@description('The Container Apps environment (the builder job\'s).')
param environmentId string

@description('Login server of the registry holding the image.')
param registryServer string

@description('The image with the CLI: the builder image.')
param image string

@description('Environment variables, name to value (identity-based connections; no secret).')
param settings object

resource app 'Microsoft.App/containerApps@2025-07-01' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      registries: [
        {
          server: registryServer
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'bridge'
          image: image
          args: ['bridge']
          env: [for setting in items(settings): { name: setting.key, value: setting.value }]
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
        }
      ]
      scale: {
        minReplicas: 1
        maxReplicas: 1
      }
    }
  }
}

output name string = app.name
