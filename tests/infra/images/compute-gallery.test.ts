import { delay, http, HttpResponse } from 'msw';
import type { HttpResponseResolver } from 'msw';
import { describe, expect, test } from 'vitest';
import type { TokenCredential } from '@azure/core-auth';
import { ComputeGallery, computeClient } from '../../../infra/images/compute-gallery';
import { failure } from '../../../testing/failures';
import { FakeArmCredential } from '../../../testing/arm/fake-credential';
import { useMsw } from '../../../testing/msw';
import { galleryRegistration } from '../../../infra/images/gallery-registration';
import { galleryVersionName } from '../../../infra/images/gallery-image-identity';
import type { BuildableImage } from '../../../shared/images/image-build-service';
import { resolveImageDefinition } from '../../../shared/images/resolve-definition';
import { VM_BASE } from '../../shared/images/kiwi-fixtures';

/**
 * Azure Compute Gallery registration against an msw stand-in for management.azure.com, with the shapes of
 * the Microsoft.Compute gallery examples (GalleryImage_Create, GalleryImageVersion_Create_WithVHD): PUTs
 * answered 201 with `Azure-AsyncOperation`, polled until a terminal status, then the resource read back.
 */
const server = useMsw();

const ARM = 'https://management.azure.com';
const SUBSCRIPTION = '34adfa4f-cedf-4dc0-ba29-b6d1a69ab345';
const GALLERY_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-azl/providers/Microsoft.Compute/galleries/azl_previews`;
const GALLERY = `${ARM}${GALLERY_ID}`;
const DEFINITION = `${GALLERY}/images/vm-base-x64`;
const VERSION = `${DEFINITION}/versions/1.0.42`;
const OPERATION = `${ARM}/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Compute/locations/westeurope/capsOperations`;
const STORAGE_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-azl/providers/Microsoft.Storage/storageAccounts/azlimages`;
const BLOB_URL = 'https://azlimages.blob.core.windows.net/images/vm-base/1.0.42/vm-base-1.0.42.vhd';
const NOW = Date.parse('2026-12-06T09:00:00Z');

interface Seen {
  readonly method: string;
  readonly url: URL;
  readonly authorization: string | null;
  /** The JSON body, read as the request arrives (set before its answer is sent). */
  body?: unknown;
}

/** Every request the ARM stand-in receives, in order. */
function record(): Seen[] {
  const seen: Seen[] = [];
  server.events.on('request:start', ({ request }) => {
    const entry: Seen = {
      method: request.method,
      url: new URL(request.url),
      authorization: request.headers.get('authorization'),
    };
    seen.push(entry);
    void request
      .clone()
      .text()
      .then((text) => {
        entry.body = text === '' ? undefined : (JSON.parse(text) as unknown);
      });
  });
  return seen;
}

/** Serves `answers` in order (the last one repeats). */
function answer(
  method: 'get' | 'put',
  url: string,
  answers: (() => Response | Promise<Response>)[],
): { readonly calls: number } {
  const state = { calls: 0 };
  const resolver: HttpResponseResolver = () => {
    state.calls += 1;
    const next = answers[Math.min(state.calls, answers.length) - 1];
    if (!next) throw new Error('no answer scripted');
    return next();
  };
  server.use(method === 'get' ? http.get(url, resolver) : http.put(url, resolver));
  return state;
}

const armError = (status: number, code: string, message: string) => () =>
  HttpResponse.json({ error: { code, message } }, { status });
const notFound = armError(404, 'ResourceNotFound', 'The Resource was not found.');

const gallery = () =>
  HttpResponse.json({ id: GALLERY_ID, name: 'azl_previews', location: 'westeurope', properties: {} });

/** 201 with the resource as it starts and where to poll. */
const accepted = (body: object, operation: string) => () =>
  HttpResponse.json(body, {
    status: 201,
    headers: { 'azure-asyncoperation': `${OPERATION}/${operation}?api-version=2025-12-03` },
  });
const operationStatus = (status: string, error?: { code: string; message: string }) => () =>
  HttpResponse.json({ name: 'op', status, startTime: '2026-12-06T09:00:01Z', ...(error ? { error } : {}) });

const definitionBody = (properties: object = {}) => ({
  id: DEFINITION.slice(ARM.length),
  name: 'vm-base-x64',
  location: 'westeurope',
  properties: {
    osType: 'Linux',
    osState: 'Generalized',
    hyperVGeneration: 'V2',
    architecture: 'x64',
    identifier: { publisher: 'azl-rebuilder', offer: 'azurelinux-preview', sku: 'vm-base-x64' },
    provisioningState: 'Succeeded',
    ...properties,
  },
});

const versionBody = (provisioningState: string, uri = BLOB_URL) => ({
  id: VERSION.slice(ARM.length),
  name: '1.0.42',
  location: 'westeurope',
  properties: {
    publishingProfile: {
      targetRegions: [{ name: 'westeurope', regionalReplicaCount: 1 }],
      replicaCount: 1,
      excludeFromLatest: true,
      endOfLifeDate: '2027-01-05T09:00:00+00:00',
    },
    storageProfile: { osDiskImage: { source: { storageAccountId: STORAGE_ID, uri } } },
    provisioningState,
  },
});

function setup(credential: TokenCredential = new FakeArmCredential(), timeoutMs?: number) {
  const client = computeClient(
    {
      gallery: {
        resourceId: GALLERY_ID,
        subscriptionId: SUBSCRIPTION,
        resourceGroup: 'rg-azl',
        galleryName: 'azl_previews',
      },
      armEndpoint: ARM,
    },
    credential,
    timeoutMs,
  );
  const adapter = new ComputeGallery({
    client,
    settings: {
      gallery: {
        resourceId: GALLERY_ID,
        subscriptionId: SUBSCRIPTION,
        resourceGroup: 'rg-azl',
        galleryName: 'azl_previews',
      },
      endOfLifeDays: 30,
      publisher: 'azl-rebuilder',
      offer: 'azurelinux-preview',
    },
    updateIntervalInMs: 1,
    now: () => NOW,
  });
  return { adapter, credential: credential as FakeArmCredential };
}

const versionSpec = {
  definition: 'vm-base-x64',
  version: '1.0.42',
  blobUrl: BLOB_URL,
  storageAccountId: STORAGE_ID,
};

describe('ensureImageDefinition', () => {
  test('creates a missing definition (Linux, generalized, V2 for UEFI, x64) and waits for the operation', async () => {
    const seen = record();
    answer('get', GALLERY, [gallery]);
    answer('get', DEFINITION, [notFound, () => HttpResponse.json(definitionBody())]);
    answer('put', DEFINITION, [accepted(definitionBody({ provisioningState: 'Creating' }), 'def-1')]);
    const polls = answer('get', `${OPERATION}/def-1`, [
      operationStatus('InProgress'),
      operationStatus('Succeeded'),
    ]);
    const { adapter, credential } = setup();

    const definition = await adapter.ensureImageDefinition({
      image: 'vm-base',
      arch: 'x86_64',
      firmware: 'uefi',
    });

    expect(definition).toEqual({
      id: DEFINITION.slice(ARM.length),
      name: 'vm-base-x64',
      location: 'westeurope',
      hyperVGeneration: 'V2',
      architecture: 'x64',
      created: true,
    });
    expect(polls.calls).toBe(2);
    expect(credential.scopes).toContainEqual(['https://management.azure.com/.default']);
    const put = seen.find((s) => s.method === 'PUT');
    expect(put?.url.pathname).toBe(DEFINITION.slice(ARM.length));
    expect(put?.url.searchParams.get('api-version')).toBe('2025-12-03');
    expect(put?.authorization).toBe(`Bearer ${FakeArmCredential.TOKEN}`);
    expect(put?.body).toEqual({
      location: 'westeurope',
      properties: {
        osType: 'Linux',
        osState: 'Generalized',
        hyperVGeneration: 'V2',
        architecture: 'x64',
        identifier: { publisher: 'azl-rebuilder', offer: 'azurelinux-preview', sku: 'vm-base-x64' },
      },
    });
  });

  test('uses an existing definition with the same identity without writing anything', async () => {
    const seen = record();
    answer('get', GALLERY, [gallery]);
    answer('get', `${GALLERY}/images/vm-base-arm64`, [
      () =>
        HttpResponse.json({
          ...definitionBody({ architecture: 'Arm64', hyperVGeneration: 'V2' }),
          name: 'vm-base-arm64',
        }),
    ]);
    const definition = await setup().adapter.ensureImageDefinition({
      image: 'vm-base',
      arch: 'aarch64',
      firmware: 'efi',
    });
    expect(definition).toMatchObject({ name: 'vm-base-arm64', architecture: 'Arm64', created: false });
    expect(seen.map((s) => s.method)).toEqual(['GET', 'GET']);
  });

  test('an existing definition of another generation is a permanent mismatch naming the difference', async () => {
    answer('get', GALLERY, [gallery]);
    // Azure leaves hyperVGeneration out for V1.
    answer('get', DEFINITION, [() => HttpResponse.json(definitionBody({ hyperVGeneration: undefined }))]);
    const error = await failure(
      setup().adapter.ensureImageDefinition({ image: 'vm-base', arch: 'x86_64', firmware: 'uefi' }),
    );
    expect([error.code, error.retryable]).toEqual(['gallery.definition-mismatch', false]);
    expect(error.message).toMatch(/hyperVGeneration V1 \(wanted V2\)/);
  });

  test('a BIOS image is generation V1; an unknown firmware is refused before any call', async () => {
    answer('get', GALLERY, [gallery]);
    answer('get', DEFINITION, [() => HttpResponse.json(definitionBody({ hyperVGeneration: 'V1' }))]);
    await expect(
      setup().adapter.ensureImageDefinition({ image: 'vm-base', arch: 'x86_64', firmware: 'bios' }),
    ).resolves.toMatchObject({ hyperVGeneration: 'V1' });
    const error = await failure(
      setup().adapter.ensureImageDefinition({ image: 'vm-base', arch: 'x86_64', firmware: 'ofw' }),
    );
    expect(error.code).toBe('gallery.rejected');
  });

  test('a gallery that does not exist is gallery.not-found', async () => {
    answer('get', GALLERY, [armError(404, 'ResourceNotFound', "The Resource 'azl_previews' was not found.")]);
    const error = await failure(
      setup().adapter.ensureImageDefinition({ image: 'vm-base', arch: 'x86_64', firmware: 'uefi' }),
    );
    expect([error.code, error.retryable, error.context.armCode]).toEqual([
      'gallery.not-found',
      false,
      'ResourceNotFound',
    ]);
  });
});

describe('createImageVersion', () => {
  test('creates the version from the page blob and polls Azure-AsyncOperation until Succeeded', async () => {
    const seen = record();
    answer('get', GALLERY, [gallery]);
    answer('get', VERSION, [notFound, () => HttpResponse.json(versionBody('Succeeded'))]);
    answer('put', VERSION, [accepted(versionBody('Creating'), 'ver-1')]);
    const polls = answer('get', `${OPERATION}/ver-1`, [
      operationStatus('InProgress'),
      operationStatus('InProgress'),
      operationStatus('Succeeded'),
    ]);

    const version = await setup().adapter.createImageVersion(versionSpec);

    expect(version).toEqual({
      id: VERSION.slice(ARM.length),
      name: '1.0.42',
      location: 'westeurope',
      provisioningState: 'Succeeded',
      endOfLifeDate: '2027-01-05T09:00:00.000Z',
      created: true,
    });
    expect(polls.calls).toBe(3);
    const put = seen.find((s) => s.method === 'PUT');
    expect(put?.authorization).toBe(`Bearer ${FakeArmCredential.TOKEN}`);
    expect(put?.body).toEqual({
      location: 'westeurope',
      properties: {
        publishingProfile: {
          targetRegions: [{ name: 'westeurope', regionalReplicaCount: 1 }],
          replicaCount: 1,
          excludeFromLatest: true,
          endOfLifeDate: '2027-01-05T09:00:00.000Z',
        },
        storageProfile: { osDiskImage: { source: { storageAccountId: STORAGE_ID, uri: BLOB_URL } } },
      },
    });
    // The operation's URL carries its api-version; every poll and the final read went to ARM with the token.
    expect(seen.filter((s) => s.url.pathname.includes('capsOperations')).map((s) => s.authorization)).toEqual(
      [
        `Bearer ${FakeArmCredential.TOKEN}`,
        `Bearer ${FakeArmCredential.TOKEN}`,
        `Bearer ${FakeArmCredential.TOKEN}`,
      ],
    );
  });

  test("a failed provisioning is gallery.provisioning-failed with ARM's message", async () => {
    answer('get', GALLERY, [gallery]);
    answer('get', VERSION, [notFound]);
    answer('put', VERSION, [accepted(versionBody('Creating'), 'ver-2')]);
    answer('get', `${OPERATION}/ver-2`, [
      operationStatus('InProgress'),
      operationStatus('Failed', {
        code: 'InvalidParameter',
        message: 'The source blob is not a fixed VHD: its size is not a whole number of MiB plus 512 bytes.',
      }),
    ]);
    const error = await failure(setup().adapter.createImageVersion(versionSpec));
    expect([error.code, error.retryable]).toEqual(['gallery.provisioning-failed', false]);
    expect(error.message).toMatch(
      /create image version failed: InvalidParameter\. The source blob is not a fixed VHD/,
    );
    expect(error.context).toMatchObject({ definition: 'vm-base-x64', version: '1.0.42' });
  });

  test.each([
    ['answered 503', armError(503, 'ServiceUnavailable', 'try later')],
    ['lost its connection', () => HttpResponse.error()],
  ])('a poll that %s is gallery.unavailable (transient), not a failed provisioning', async (_why, poll) => {
    answer('get', GALLERY, [gallery]);
    answer('get', VERSION, [notFound]);
    answer('put', VERSION, [accepted(versionBody('Creating'), 'ver-3')]);
    answer('get', `${OPERATION}/ver-3`, [operationStatus('InProgress'), poll]);
    const error = await failure(setup().adapter.createImageVersion(versionSpec));
    expect([error.code, error.retryable]).toEqual(['gallery.unavailable', true]);
  });

  test('a 409 on the PUT is a permanent gallery.conflict', async () => {
    answer('get', GALLERY, [gallery]);
    answer('get', VERSION, [notFound]);
    answer('put', VERSION, [
      armError(
        409,
        'Conflict',
        'Changing property "source" is not allowed while the version is being replicated.',
      ),
    ]);
    const error = await failure(setup().adapter.createImageVersion(versionSpec));
    expect([error.code, error.retryable, error.context.status]).toEqual(['gallery.conflict', false, 409]);
    expect(error.message).toMatch(/HTTP 409 Conflict: Changing property "source"/);
  });

  test('an existing version from the same blob counts as done, and nothing is written', async () => {
    const seen = record();
    answer('get', GALLERY, [gallery]);
    answer('get', VERSION, [() => HttpResponse.json(versionBody('Succeeded'))]);
    await expect(setup().adapter.createImageVersion(versionSpec)).resolves.toMatchObject({
      provisioningState: 'Succeeded',
      created: false,
    });
    expect(seen.map((s) => `${s.method} ${s.url.pathname}`)).toEqual([
      `GET ${GALLERY_ID}`,
      `GET ${VERSION.slice(ARM.length)}`,
    ]);
  });

  test.each([
    ['from another blob', 'gallery.conflict', false, versionBody('Succeeded', `${BLOB_URL}.old`)],
    ['still being created', 'gallery.version-pending', true, versionBody('Creating')],
    ['whose provisioning failed', 'gallery.provisioning-failed', false, versionBody('Failed')],
  ])('an existing version %s is %s', async (_why, code, retryable, body) => {
    answer('get', GALLERY, [gallery]);
    answer('get', VERSION, [() => HttpResponse.json(body)]);
    const error = await failure(setup().adapter.createImageVersion(versionSpec));
    expect([error.code, error.retryable]).toEqual([code, retryable]);
  });

  test.each([
    [401, 'InvalidAuthenticationToken', 'gallery.unauthorized', false],
    [403, 'AuthorizationFailed', 'gallery.unauthorized', false],
    [400, 'InvalidParameter', 'gallery.rejected', false],
    [429, 'TooManyRequests', 'gallery.unavailable', true],
    [500, 'InternalServerError', 'gallery.unavailable', true],
    [503, 'ServiceUnavailable', 'gallery.unavailable', true],
  ])('HTTP %i %s is %s', async (status, armCode, code, retryable) => {
    answer('get', GALLERY, [gallery]);
    answer('get', VERSION, [notFound]);
    answer('put', VERSION, [armError(status, armCode, 'no')]);
    const error = await failure(setup().adapter.createImageVersion(versionSpec));
    expect([error.code, error.retryable, error.context.armCode]).toEqual([code, retryable, armCode]);
  });

  test('a failed connection is gallery.unavailable (transient)', async () => {
    answer('get', GALLERY, [() => HttpResponse.error()]);
    const error = await failure(setup().adapter.createImageVersion(versionSpec));
    expect([error.code, error.retryable]).toEqual(['gallery.unavailable', true]);
  });

  test('a gallery that does not answer in time is gallery.unavailable (transient)', async () => {
    answer('get', GALLERY, [
      async () => {
        await delay('infinite');
        return gallery();
      },
    ]);
    const error = await failure(setup(new FakeArmCredential(), 50).adapter.createImageVersion(versionSpec));
    expect([error.code, error.retryable]).toEqual(['gallery.unavailable', true]);
    expect(error.message).toMatch(/get gallery got no answer within 50 ms/);
  });

  test('no token is gallery.unavailable (transient), and nothing is sent', async () => {
    const seen = record();
    const noIdentity: TokenCredential = {
      getToken: () =>
        Promise.reject(new Error('ManagedIdentityCredential: no managed identity endpoint found')),
    };
    const error = await failure(setup(noIdentity).adapter.createImageVersion(versionSpec));
    expect([error.code, error.retryable]).toEqual(['gallery.unavailable', true]);
    expect(error.message).toMatch(
      /got no ARM token: ManagedIdentityCredential: no managed identity endpoint found/,
    );
    expect(seen).toHaveLength(0);
  });

  test('an operation URL outside the ARM endpoint is refused: the token is never sent there', async () => {
    const seen = record();
    answer('get', GALLERY, [gallery]);
    answer('get', VERSION, [notFound]);
    answer('put', VERSION, [
      () =>
        HttpResponse.json(versionBody('Creating'), {
          status: 201,
          headers: { 'azure-asyncoperation': 'https://attacker.example/op?api-version=1' },
        }),
    ]);
    const error = await failure(setup().adapter.createImageVersion(versionSpec));
    expect(error.code).toBe('arm.malformed-response');
    expect(error.message).toMatch(/outside https:\/\/management\.azure\.com/);
    expect(seen.map((s) => s.method)).toEqual(['GET', 'GET', 'PUT']);
    expect(seen.some((s) => s.url.hostname === 'attacker.example')).toBe(false);
  });

  test.each(['1.0', '1.0.0.0', 'v1.0.0', '1.0.2147483648'])(
    'the version name %s is refused before any call',
    async (version) => {
      const seen = record();
      const error = await failure(setup().adapter.createImageVersion({ ...versionSpec, version }));
      expect(error.code).toBe('gallery.invalid-version');
      expect(seen).toHaveLength(0);
    },
  );
});

describe('galleryRegistration (a published VHD, as the image build service registers it)', () => {
  const image: BuildableImage = {
    name: 'vm-base',
    definition: resolveImageDefinition(
      { name: 'vm-base', config: {}, file: '/tree/vm-base.kiwi', allowMissing: false },
      VM_BASE,
      'x86_64',
    ),
    descriptionPath: '/tree/vm-base.kiwi',
    description: { file: 'base/images/vm-base/vm-base.kiwi', sha256: 'a'.repeat(64) },
    allowMissing: false,
  };
  const GENERATED = `${DEFINITION}/versions/2026.1206.3`;

  test('makes sure of the definition (Gen2 from UEFI, x64), then the preview version named from 20261206.3', async () => {
    const seen = record();
    answer('get', GALLERY, [gallery]);
    answer('get', DEFINITION, [() => HttpResponse.json(definitionBody())]);
    answer('get', GENERATED, [notFound, () => HttpResponse.json(versionBody('Succeeded'))]);
    answer('put', GENERATED, [accepted(versionBody('Creating'), 'ver-8')]);
    answer('get', `${OPERATION}/ver-8`, [operationStatus('Succeeded')]);

    await galleryRegistration(setup().adapter, STORAGE_ID)(image, '20261206.3', BLOB_URL);

    const put = seen.find((s) => s.method === 'PUT');
    expect(put?.url.pathname).toBe(GENERATED.slice(ARM.length));
    expect(put?.body).toMatchObject({
      properties: {
        publishingProfile: { excludeFromLatest: true },
        storageProfile: { osDiskImage: { source: { storageAccountId: STORAGE_ID, uri: BLOB_URL } } },
      },
    });
  });

  test('a failed provisioning fails the registration with its gallery code', async () => {
    answer('get', GALLERY, [gallery]);
    answer('get', DEFINITION, [() => HttpResponse.json(definitionBody())]);
    answer('get', GENERATED, [notFound]);
    answer('put', GENERATED, [accepted(versionBody('Creating'), 'ver-9')]);
    answer('get', `${OPERATION}/ver-9`, [
      operationStatus('Failed', { code: 'InternalOperationError', message: 'replication failed' }),
    ]);

    const error = await failure(
      galleryRegistration(setup().adapter, STORAGE_ID)(image, '20261206.3', BLOB_URL),
    );
    expect(error.code).toBe('gallery.provisioning-failed');
  });
});

describe('galleryVersionName', () => {
  test.each([
    ['20261206.3', '2026.1206.3'],
    ['20260102.12', '2026.102.12'],
    ['1.0.42', '1.0.42'],
  ])('%s → %s', (version, name) => expect(galleryVersionName(version)).toBe(name));

  test('a version that is neither is gallery.invalid-version', () => {
    expect(() => galleryVersionName('preview-7')).toThrow(
      expect.objectContaining({ code: 'gallery.invalid-version' }),
    );
  });
});
