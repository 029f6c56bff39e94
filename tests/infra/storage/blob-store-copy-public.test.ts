import { beforeAll, describe, expect, test } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import { useAzurite } from '../../../testing/azurite';

describe('BlobStore server-side copy and public containers on Azurite', () => {
  const azurite = useAzurite();
  const store = azurite.blobs;
  const privateContainer = azurite.name('private');
  const publicContainer = azurite.name('public');

  beforeAll(async () => {
    await store.ensureContainer(privateContainer);
    await store.ensureContainer(publicContainer, { publicAccess: 'blob' });
  });

  test('copy duplicates the bytes under the new name and returns its ETag and size', async () => {
    await store.put(privateContainer, 'comp/fp/a.rpm', 'rpm bytes here');
    const copy = await store.copy(
      { container: privateContainer, name: 'comp/fp/a.rpm' },
      publicContainer,
      'x/a.rpm',
    );
    expect(copy.size).toBe(14);
    const head = await store.head(publicContainer, 'x/a.rpm');
    expect(head?.etag).toBe(copy.etag);
    expect((await store.get(publicContainer, 'x/a.rpm'))?.bytes.toString()).toBe('rpm bytes here');
  });

  test('copying a missing source is storage.not-found', async () => {
    const error = await store
      .copy({ container: privateContainer, name: 'no/such.rpm' }, publicContainer, 'y.rpm')
      .catch((e: unknown) => e);
    expect(PipelineError.is(error, 'storage.not-found')).toBe(true);
  });

  test('blobs of a public container are readable without credentials, ranges included; private ones are not', async () => {
    await store.put(publicContainer, 'repo/file.txt', 'hello world');
    await store.put(privateContainer, 'secret.txt', 'hidden');
    const url = store.url(publicContainer, 'repo/file.txt');
    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(await whole.text()).toBe('hello world');
    const range = await fetch(url, { headers: { Range: 'bytes=0-4' } });
    expect(range.status).toBe(206);
    expect(await range.text()).toBe('hello');
    expect((await fetch(store.url(privateContainer, 'secret.txt'))).status).toBeGreaterThanOrEqual(400);
  });

  test('ensureContainer sets public access on an existing private container', async () => {
    const name = azurite.name('later');
    await store.ensureContainer(name);
    await store.put(name, 'f.txt', 'x');
    expect((await fetch(store.url(name, 'f.txt'))).status).toBeGreaterThanOrEqual(400);
    await store.ensureContainer(name, { publicAccess: 'blob' });
    expect((await fetch(store.url(name, 'f.txt'))).status).toBe(200);
  });
});
