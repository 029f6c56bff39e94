// The portal workbook "the pipeline at a glance" (bicep/workbook/pipeline.workbook.json), shared in the
// resource group and listed under the Application Insights component's Workbooks. Its queries read exactly the
// metric and event names of shared/telemetry/catalogue.ts (tests/bicep/workbook.test.ts holds them to it); its
// queue charts read the Service Bus namespace's own metrics. The JSON names the component and the namespace
// with placeholders, replaced here by their ids.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Name shown in the portal.')
param displayName string

@description('Resource id of the Application Insights component the queries read.')
param applicationInsightsId string

@description('Resource id of the Service Bus namespace whose queue metrics the workbook charts.')
param serviceBusNamespaceId string

var content = replace(
  replace(
    string(loadJsonContent('../workbook/pipeline.workbook.json')),
    '__APPLICATION_INSIGHTS_ID__',
    applicationInsightsId
  ),
  '__SERVICE_BUS_NAMESPACE_ID__',
  serviceBusNamespaceId
)

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // A workbook's name must be a GUID; deterministic, so deploying again updates it.
  name: guid(resourceGroup().id, 'pipeline-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: applicationInsightsId
    serializedData: content
  }
}
