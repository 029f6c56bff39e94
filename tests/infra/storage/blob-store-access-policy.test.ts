import { describe, expect, test } from 'vitest';
import { useAzurite } from '../../../testing/azurite';
import { useMsw } from '../../../testing/msw';

// What ensureContainer sends to the Blob service, seen on the wire (msw passes Azurite's requests through).
describe('BlobStore.ensureContainer and the container access level', () => {
  const azurite = useAzurite();
  const server = useMsw([], { azurite: true });

  const aclWrites = (): string[] => {
    const writes: string[] = [];
    server.events.on('request:start', ({ request }) => {
      const url = new URL(request.url);
      if (request.method === 'PUT' && url.searchParams.get('comp') === 'acl') writes.push(url.pathname);
    });
    return writes;
  };

  test('leaves an already anonymous container alone: no Set Container ACL, which needs Blob Data Owner', async () => {
    const store = azurite.blobs;
    const name = azurite.name('public');
    await store.ensureContainer(name, { publicAccess: 'blob' });
    const writes = aclWrites();
    await store.ensureContainer(name, { publicAccess: 'blob' });
    expect(writes).toEqual([]);
  });

  test('sets the level on an existing container that does not have it yet', async () => {
    const store = azurite.blobs;
    const name = azurite.name('private');
    await store.ensureContainer(name);
    const writes = aclWrites();
    await store.ensureContainer(name, { publicAccess: 'blob' });
    expect(writes).toHaveLength(1);
    expect(writes[0]).toContain(name);
  });
});
