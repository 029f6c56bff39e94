import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../shared/settings/load-settings';
import { SAMPLE_IDENTITY, SAMPLE_MODULE_OUTPUTS } from '../../testing/arm/deployment-samples';
import { useMainTemplate } from '../../testing/arm/main-template';
import { ofType, propertiesOf, valueIn } from '../../testing/arm/template';
import type { DeployedResource } from '../../testing/arm/template';

/**
 * The optional Azure Compute Gallery of bicep/main.bicep (`createGallery` or `galleryId`; `CREATE_GALLERY`,
 * `GALLERY_ID` in azd), compiled by the real CLI and evaluated as a deployment would with the samples of
 * testing/arm/deployment-samples.ts: the gallery, the identity's two roles (on the gallery, in whichever group
 * holds it, and on the publishing account), and the AZL_GALLERY_* settings as `loadSettings` reads them.
 */
const GALLERY = 'Microsoft.Compute/galleries';
const ASSIGNMENT = 'Microsoft.Authorization/roleAssignments';
const DEFINITION = 'Microsoft.Authorization/roleDefinitions';
// Built-in role (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/compute).
const ARTIFACTS_PUBLISHER = '85a2d0d9-2eba-4c9c-b355-11c2cc0788ab';

const OTHER_SUBSCRIPTION = '99999999-8888-4777-8666-555555555555';
const EXISTING_GALLERY = `/subscriptions/${OTHER_SUBSCRIPTION}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/shared_previews`;
const PUBLISHING_ACCOUNT_ID = String(SAMPLE_MODULE_OUTPUTS['publishing-storage']?.['id']);
const CREATED_GALLERY_ID = String(SAMPLE_MODULE_OUTPUTS['compute-gallery']?.['id']);

const main = useMainTemplate('azl-test');
const { contextFor, deploy, appSettingsFor, outputsFor } = main;
const galleryResources = (resources: readonly DeployedResource[]) =>
  resources.filter((r) => /^main\/(compute-gallery|gallery-publisher|gallery-source)$/.test(r.path));

/** A role assignment as Azure would create it: where, which role, for whom. */
function assignment(deployed: DeployedResource) {
  const properties = propertiesOf(deployed);
  return {
    scope: String(valueIn(deployed, deployed.resource.scope)),
    roleDefinitionId: String(properties['roleDefinitionId']),
    principalId: properties['principalId'],
    principalType: properties['principalType'],
  };
}

/** The resource id of a deployed resource, in its own deployment's subscription and group. */
const idOf = (deployed: DeployedResource): string =>
  String(
    valueIn(
      deployed,
      `[resourceId('${deployed.resource.type}', '${String(valueIn(deployed, deployed.resource.name))}')]`,
    ),
  );

describe('the gallery when neither createGallery nor galleryId is given (the default)', () => {
  it('deploys no gallery, no role and no module of its own', () => {
    expect(main.template().parameters?.['createGallery']).toMatchObject({
      type: 'bool',
      defaultValue: false,
    });
    expect(main.template().parameters?.['galleryId']).toMatchObject({ type: 'string', defaultValue: '' });
    const resources = deploy();
    expect(ofType(resources, GALLERY)).toEqual([]);
    expect(galleryResources(resources)).toEqual([]);
    for (const a of ofType(resources, ASSIGNMENT)) {
      expect(assignment(a).roleDefinitionId).not.toContain(ARTIFACTS_PUBLISHER);
    }
  });

  it('leaves every AZL_GALLERY_* setting empty, so the pipeline registers nothing', () => {
    const app = appSettingsFor();
    for (const name of [
      'AZL_GALLERY_ID',
      'AZL_GALLERY_STORAGE_ACCOUNT_ID',
      'AZL_GALLERY_EOL_DAYS',
      'AZL_GALLERY_PUBLISHER',
      'AZL_GALLERY_OFFER',
    ]) {
      expect(app[name], name).toBe('');
    }
    expect(loadSettings(app).gallery).toBeUndefined();
    expect(outputsFor({})['GALLERY_ID']).toBe('');
  });
});

describe('the gallery with createGallery', () => {
  it('creates one gallery in the deployment region, named as gallery names must be', () => {
    const galleries = ofType(deploy({ createGallery: true }), GALLERY);
    expect(galleries).toHaveLength(1);
    const [gallery] = galleries as [DeployedResource];
    expect(gallery.path).toBe('main/compute-gallery');
    const name = String(valueIn(gallery, gallery.resource.name));
    // Letters, digits, dots and underscores, starting and ending with a letter or digit (no hyphens).
    expect(name).toMatch(/^gal_azl_test_[a-z0-9]+$/);
    const location = valueIn(gallery, (gallery.resource as { location?: unknown }).location);
    expect(location).toBe(contextFor({ createGallery: true }).parameters['location']);
  });

  it('lets the identity publish artifacts on that gallery only', () => {
    const resources = deploy({ createGallery: true });
    const [gallery] = ofType(resources, GALLERY) as [DeployedResource];
    const publisher = ofType(resources, ASSIGNMENT).filter((r) => r.path === 'main/gallery-publisher');
    expect(publisher.map(assignment)).toEqual([
      {
        scope: idOf(gallery),
        roleDefinitionId: expect.stringMatching(
          new RegExp(`/providers/Microsoft\\.Authorization/roleDefinitions/${ARTIFACTS_PUBLISHER}$`),
        ),
        principalId: SAMPLE_IDENTITY.principalId,
        principalType: 'ServicePrincipal',
      },
    ]);
    // Deploying again updates the assignment, never duplicates it.
    expect(String(publisher[0]?.resource.name)).toMatch(/^\[guid\(/);
  });

  it('lets the identity name the publishing account as a VHD source: listKeys only, on that account only', () => {
    const resources = galleryResources(deploy({ createGallery: true })).filter(
      (r) => r.path === 'main/gallery-source',
    );
    const [definition] = ofType(resources, DEFINITION) as [DeployedResource];
    const properties = propertiesOf(definition);
    expect(properties['permissions']).toEqual([
      {
        actions: ['Microsoft.Storage/storageAccounts/listKeys/action'],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ]);
    expect(properties['assignableScopes']).toEqual([expect.stringMatching(/\/resourceGroups\/[^/]+$/)]);
    const publishing = ofType(deploy({ createGallery: true }), 'Microsoft.Storage/storageAccounts').find(
      (r) => r.path === 'main/publishing-storage',
    ) as DeployedResource;
    expect(ofType(resources, ASSIGNMENT).map(assignment)).toEqual([
      {
        scope: idOf(publishing),
        roleDefinitionId: idOf(definition),
        principalId: SAMPLE_IDENTITY.principalId,
        principalType: 'ServicePrincipal',
      },
    ]);
  });

  it('gives the app settings the pipeline reads: the gallery, the publishing account and the options', () => {
    const app = appSettingsFor({
      createGallery: true,
      galleryEndOfLifeDays: 14,
      galleryPublisher: 'contoso',
      galleryOffer: 'azl-nightly',
    });
    expect(app['AZL_GALLERY_ID']).toBe(CREATED_GALLERY_ID);
    expect(app['AZL_GALLERY_STORAGE_ACCOUNT_ID']).toBe(PUBLISHING_ACCOUNT_ID);
    expect(loadSettings(app).gallery).toEqual({
      gallery: {
        resourceId: CREATED_GALLERY_ID,
        subscriptionId: '11111111-2222-4333-8444-555555555555',
        resourceGroup: 'rg-azl',
        galleryName: 'gal_azl_abc',
      },
      storageAccountId: PUBLISHING_ACCOUNT_ID,
      endOfLifeDays: 14,
      publisher: 'contoso',
      offer: 'azl-nightly',
      armEndpoint: 'https://management.azure.com',
      clientId: SAMPLE_IDENTITY.clientId,
    });
    expect(outputsFor({ createGallery: true })['GALLERY_ID']).toBe(CREATED_GALLERY_ID);
  });

  it("defaults the options to the pipeline's own defaults", () => {
    const gallery = loadSettings(appSettingsFor({ createGallery: true })).gallery;
    expect(gallery).toMatchObject({
      endOfLifeDays: 30,
      publisher: 'azl-rebuilder',
      offer: 'azurelinux-preview',
    });
  });
});

describe('the gallery with an existing galleryId in another subscription and group', () => {
  it("creates no gallery and assigns the publisher role in the gallery's own group, on the gallery", () => {
    const resources = deploy({ galleryId: EXISTING_GALLERY });
    expect(ofType(resources, GALLERY)).toEqual([]);
    const publisher = ofType(resources, ASSIGNMENT).filter((r) => r.path === 'main/gallery-publisher');
    expect(publisher).toHaveLength(1);
    const [role] = publisher as [DeployedResource];
    // The module runs where the gallery is: its role assignment's scope is the gallery's id.
    expect(role.context.subscriptionId).toBe(OTHER_SUBSCRIPTION);
    expect(role.context.resourceGroup).toBe('rg-images');
    expect(assignment(role)).toEqual({
      scope: EXISTING_GALLERY,
      roleDefinitionId: `/subscriptions/${OTHER_SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${ARTIFACTS_PUBLISHER}`,
      principalId: SAMPLE_IDENTITY.principalId,
      principalType: 'ServicePrincipal',
    });
    // The VHD source role stays on the publishing account, in the deployment's own group.
    const source = ofType(resources, ASSIGNMENT).filter((r) => r.path === 'main/gallery-source');
    expect(source.map((a) => assignment(a).scope)).toEqual([
      expect.stringMatching(/\/resourceGroups\/rg\/providers\/Microsoft\.Storage\/storageAccounts\/stpub/),
    ]);
  });

  it('names that gallery in the settings and the output', () => {
    const app = appSettingsFor({ galleryId: EXISTING_GALLERY });
    expect(loadSettings(app).gallery).toMatchObject({
      gallery: {
        resourceId: EXISTING_GALLERY,
        subscriptionId: OTHER_SUBSCRIPTION,
        resourceGroup: 'rg-images',
        galleryName: 'shared_previews',
      },
      storageAccountId: PUBLISHING_ACCOUNT_ID,
    });
    expect(outputsFor({ galleryId: EXISTING_GALLERY })['GALLERY_ID']).toBe(EXISTING_GALLERY);
  });

  it('uses the existing gallery, not a new one, when createGallery is also on', () => {
    const resources = deploy({ galleryId: EXISTING_GALLERY, createGallery: true });
    expect(ofType(resources, GALLERY)).toEqual([]);
    expect(appSettingsFor({ galleryId: EXISTING_GALLERY, createGallery: true })['AZL_GALLERY_ID']).toBe(
      EXISTING_GALLERY,
    );
  });
});
