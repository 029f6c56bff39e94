// Parameters for `azd provision` / `azd up`. Sizes are literals here, so the compiler checks them against the
// template's @allowed/@minValue/@maxValue (`npm run bicep:build` fails on an out-of-range value): edit them in
// this file. Per-environment choices read an azd environment value (`azd env set NAME value`) with the
// template's default as fallback; their strings are checked the same way when the file is compiled, before
// anything is sent to Azure.
using './main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME')
param location = readEnvironmentVariable('AZURE_LOCATION')
param functionInstanceMemoryMB = 2048
param functionMaximumInstances = 100
param builderCpuCores = 2
param builderTimeoutSeconds = 14400
param builderImageTag = readEnvironmentVariable('BUILDER_IMAGE_TAG', 'latest')
param fedoraCatchUp = readEnvironmentVariable('FEDORA_CATCH_UP', 'on')
param fedoraBridge = bool(readEnvironmentVariable('FEDORA_BRIDGE', 'false'))
param eventGridTopic = bool(readEnvironmentVariable('EVENT_GRID_TOPIC', 'false'))
param imageBuilds = bool(readEnvironmentVariable('IMAGE_BUILDS', 'false'))
param imageBuilderCpuCores = 4
param createGallery = bool(readEnvironmentVariable('CREATE_GALLERY', 'false'))
param galleryId = readEnvironmentVariable('GALLERY_ID', '')
param galleryEndOfLifeDays = int(readEnvironmentVariable('GALLERY_EOL_DAYS', '30'))
param galleryPublisher = readEnvironmentVariable('GALLERY_PUBLISHER', 'azl-rebuilder')
param galleryOffer = readEnvironmentVariable('GALLERY_OFFER', 'azurelinux-preview')
param imageBuilderTimeoutSeconds = 7200
param rawhideRelease = int(readEnvironmentVariable('RAWHIDE_RELEASE', '0'))
param dependencyRepodata = readEnvironmentVariable('DEPS_REPODATA', '')
param dependencySourceRepodata = readEnvironmentVariable('DEPS_SOURCE_REPODATA', '')
param dependencyTrackedTags = readEnvironmentVariable('DEPS_TRACKED_TAGS', '')
param logLevel = readEnvironmentVariable('LOG_LEVEL', 'info')
param logRetentionDays = 30
param artifactRetentionDays = 30
param quarantineRetentionDays = 90
param alertEmails = map(
  filter(split(readEnvironmentVariable('ALERT_EMAILS', ''), ','), address => !empty(trim(address))),
  address => trim(address)
)
param alertWebhookUrl = readEnvironmentVariable('ALERT_WEBHOOK_URL', '')
param backlogAgeMinutes = 60
param functionFailuresThreshold = 5
param buildFailureRatePercent = 25
param fedoraSilenceMinutes = 60
