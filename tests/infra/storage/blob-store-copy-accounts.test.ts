import { createHash, randomBytes } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { beforeAll, describe, expect, test } from 'vitest';
import { BlobStore } from '../../../infra/storage';
import { useTwoAccountAzurite } from '../../../testing/azurite-accounts';
import { failure } from '../../../testing/failures';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The copy status the service keeps on a blob written by Copy Blob; none on one uploaded. */
async function copyStatusOf(connectionString: string, container: string, name: string) {
  const props = await BlobServiceClient.fromConnectionString(connectionString)
    .getContainerClient(container)
    .getBlobClient(name)
    .getProperties();
  return props.copyStatus;
}

describe('BlobStore.copy across two real Azurite accounts', () => {
  const accounts = useTwoAccountAzurite();
  // 20 MiB and a bit: more than two of the streamed copy's 8 MiB blocks, and not a multiple of one.
  const big = randomBytes(20 * 1024 * 1024 + 12_345);

  beforeAll(async () => {
    const { main, publishing } = accounts();
    await main.blobs.ensureContainer('artifacts');
    await publishing.blobs.ensureContainer('repos', { publicAccess: 'blob' });
    await main.blobs.put('artifacts', 'comp/fp/big.rpm', big, {
      contentType: 'application/x-rpm',
      metadata: { sha256: sha256(big), size: String(big.byteLength) },
    });
  });

  test('the accounts are distinct: neither store sees the other account’s containers', async () => {
    const { main, publishing } = accounts();
    expect(main.blobs.account).toBe('devstoreaccount1');
    expect(publishing.blobs.account).toBe('azlpublishing');
    const error = await failure(publishing.blobs.head('artifacts', 'comp/fp/big.rpm'));
    expect(error.code).toBe('storage.not-found');
    expect(error).toMatchObject({ context: { errorCode: 'ContainerNotFound', account: 'azlpublishing' } });
    // Why the copy streams: a server-side copy into the other account must have the source authorized.
    const target = BlobServiceClient.fromConnectionString(publishing.connectionString)
      .getContainerClient('repos')
      .getBlobClient('refused.rpm');
    const refused: unknown = await target
      .beginCopyFromURL(main.blobs.url('artifacts', 'comp/fp/big.rpm'))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(refused).toMatchObject({ statusCode: 403, code: 'CannotVerifyCopySource' });
  });

  test('streams a multi-block blob into the other account: same bytes, type and metadata, its ETag and size', async () => {
    const { main, publishing } = accounts();
    const copy = await publishing.blobs.copy(
      { container: 'artifacts', name: 'comp/fp/big.rpm', store: main.blobs },
      'repos',
      'base/x86_64/Packages/b/big.rpm',
    );
    expect(copy.size).toBe(big.byteLength);
    const head = await publishing.blobs.head('repos', 'base/x86_64/Packages/b/big.rpm');
    expect(head).toMatchObject({
      etag: copy.etag,
      size: big.byteLength,
      contentType: 'application/x-rpm',
      metadata: { sha256: sha256(big), size: String(big.byteLength) },
    });
    const anonymous = await fetch(publishing.blobs.url('repos', 'base/x86_64/Packages/b/big.rpm'));
    expect(anonymous.status).toBe(200);
    expect(sha256(Buffer.from(await anonymous.arrayBuffer()))).toBe(sha256(big));
    // Uploaded, not copied by the service: the target account never had to read the source.
    expect(
      await copyStatusOf(publishing.connectionString, 'repos', 'base/x86_64/Packages/b/big.rpm'),
    ).toBeUndefined();
  });

  test('overwrites an existing target, as Copy Blob does', async () => {
    const { main, publishing } = accounts();
    await main.blobs.put('artifacts', 'comp/fp/small.rpm', 'version two');
    await publishing.blobs.put('repos', 'over/small.rpm', 'version one, longer');
    const copy = await publishing.blobs.copy(
      { container: 'artifacts', name: 'comp/fp/small.rpm', store: main.blobs },
      'repos',
      'over/small.rpm',
    );
    expect(copy.size).toBe(11);
    expect((await publishing.blobs.get('repos', 'over/small.rpm'))?.bytes.toString()).toBe('version two');
  });

  test('a missing source in the other account is storage.not-found, naming both places', async () => {
    const { main, publishing } = accounts();
    const error = await failure(
      publishing.blobs.copy(
        { container: 'artifacts', name: 'no/such.rpm', store: main.blobs },
        'repos',
        'x/such.rpm',
      ),
    );
    expect(error.code).toBe('storage.not-found');
    expect(error).toMatchObject({
      context: {
        account: 'azlpublishing',
        container: 'repos',
        blob: 'x/such.rpm',
        source: 'devstoreaccount1/artifacts/no/such.rpm',
      },
    });
    expect(await publishing.blobs.head('repos', 'x/such.rpm')).toBeUndefined();
  });

  test('two stores on the same account keep the server-side Copy Blob', async () => {
    const { main } = accounts();
    const other = new BlobStore({ connectionString: main.connectionString });
    await main.blobs.ensureContainer('samecopy');
    const copy = await other.copy(
      { container: 'artifacts', name: 'comp/fp/big.rpm', store: main.blobs },
      'samecopy',
      'big.rpm',
    );
    expect(copy.size).toBe(big.byteLength);
    expect(await copyStatusOf(main.connectionString, 'samecopy', 'big.rpm')).toBe('success');
  });
});
