import { HttpRequest, InvocationContext } from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { buildFunctionTable } from '../../functions/catalog';
import { webhookEventTypesFunction } from '../../functions/webhook-event-types';
import { eventCatalogue, eventTypes } from '../../shared/events';
import type { EventTypeDescription } from '../../shared/events';

const context = new InvocationContext({
  invocationId: 'i',
  functionName: 'webhookEventTypes',
  logHandler: () => undefined,
});

describe('GET /api/webhooks/event-types', () => {
  it('is in the function table, behind the function key', () => {
    const table = buildFunctionTable(() => Promise.reject(new Error('no services needed')));
    expect(table.find((f) => f.name === 'webhookEventTypes')).toMatchObject({
      kind: 'http',
      route: 'webhooks/event-types',
      methods: ['GET'],
      authLevel: 'function',
    });
  });

  it('answers every catalogue type with its description, version, subject and the JSON Schema of its data', async () => {
    const fn = webhookEventTypesFunction();
    const request = new HttpRequest({ method: 'GET', url: 'http://localhost/api/webhooks/event-types' });
    const response = (await fn.handler(request, context)) as HttpResponseInit;
    const body = response.jsonBody as {
      specversion: string;
      typePrefix: string;
      types: EventTypeDescription[];
    };
    expect(response.status).toBe(200);
    expect(body.typePrefix).toBe('com.azurelinux.rebuilder.');
    expect(body.types.map((t) => t.type)).toEqual(eventTypes);
    const repo = body.types.find((t) => t.type === 'repo.published');
    expect(repo).toMatchObject({
      cloudEventType: 'com.azurelinux.rebuilder.repo.published',
      version: eventCatalogue['repo.published'].version,
      description: eventCatalogue['repo.published'].description,
      subject: 'the repository id',
      dataschema: 'urn:azl-rebuilder:events:repo.published:v1',
      producedLater: false,
      dataSchema: {
        type: 'object',
        required: ['repository', 'revision', 'added', 'removed', 'baseUrl'],
        properties: { baseUrl: { type: 'string', format: 'uri' } },
      },
    });
    // Every type has its producer now (the image publisher sends the image events); delivery sends ping and
    // endpoint-disabled.
    expect(body.types.filter((t) => t.producedLater).map((t) => t.type)).toEqual([]);
    expect(body.types.find((t) => t.type === 'image.published')?.producedLater).toBe(false);
    // Plain JSON: what the host serializes is what a client reads back.
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
  });
});
