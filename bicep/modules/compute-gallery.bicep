// The Azure Compute Gallery preview VM images are registered in, when the deployment creates one
// (main.bicep's createGallery). Only the gallery: the pipeline makes its image definitions and versions
// (infra/images/compute-gallery.ts), and gallery-publisher.bicep gives the identity the right to.
//
// It lives in the deployment's region, the region of the publishing account: a version made from a VHD in a
// storage account is created in the gallery's region, and the blob must be there.

@description('Gallery name: letters, digits, dots and underscores (no hyphens), starting and ending with a letter or digit, at most 80.')
@minLength(1)
@maxLength(80)
param name string

@description('Azure region (the publishing storage account\'s).')
param location string

@description('Tags for every resource.')
param tags object

resource gallery 'Microsoft.Compute/galleries@2025-03-03' = {
  name: name
  location: location
  tags: tags
  properties: {
    description: 'Preview VM images built by azl-rebuilder from its published repositories.'
  }
}

output id string = gallery.id
output name string = gallery.name
