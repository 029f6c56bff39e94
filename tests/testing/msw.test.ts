import { http, HttpResponse } from 'msw';
import { describe, expect, test } from 'vitest';
import { BlobStore } from '../../infra/storage';
import { azuriteConnectionString, uniqueName } from '../../testing/azurite';
import { useLoopbackServer } from '../../testing/loopback-http';
import { useMsw } from '../../testing/msw';

/**
 * The kit's msw server answers what its handlers answer and fails every other request, but Azurite's when
 * asked to. "Fails" is checked against a real server on loopback that would answer if a request got out.
 */
let reached = 0;
const realServer = useLoopbackServer((_request, response) => {
  reached += 1;
  response.end('reached');
});
const outside = (): string => `${realServer.origin}/elsewhere`;

describe('useMsw', () => {
  const server = useMsw([http.get('https://example.invalid/known', () => HttpResponse.json({ ok: true }))]);

  test('a handled request is answered; one no handler answers fails instead of going out', async () => {
    expect(await (await fetch('https://example.invalid/known')).json()).toEqual({ ok: true });
    await expect(fetch(outside())).rejects.toThrow();
    expect(reached).toBe(0);
  });

  test('a handler a test adds answers in that test', async () => {
    server.use(http.get(outside(), () => HttpResponse.text('added')));
    expect(await (await fetch(outside())).text()).toBe('added');
  });

  test('and is gone after it', async () => {
    await expect(fetch(outside())).rejects.toThrow();
    expect(reached).toBe(0);
  });

  test('a request to Azurite fails too', async () => {
    const blobs = new BlobStore({ connectionString: azuriteConnectionString() }, { maxTries: 1 });
    await expect(blobs.ensureContainer(uniqueName('msw'))).rejects.toThrow();
  });
});

describe('useMsw with azurite: true', () => {
  useMsw([], { azurite: true });

  test("requests to the run's Azurite go through; others still fail", async () => {
    const blobs = new BlobStore({ connectionString: azuriteConnectionString() });
    const container = uniqueName('msw');
    await blobs.ensureContainer(container);
    await blobs.put(container, 'a.txt', 'through');
    expect((await blobs.get(container, 'a.txt'))?.bytes.toString('utf8')).toBe('through');
    await expect(fetch(outside())).rejects.toThrow();
    expect(reached).toBe(0);
  });
});
