import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PipelineError } from '../../../shared/errors';
import { buildOpenApiDocument, openApiPath } from '../../../shared/openapi/document';
import type { OpenApiInput } from '../../../shared/openapi/document';
import type { HttpRoute, OperationDescription } from '../../../shared/openapi/operation';
import { json, jsonBody, problemAnswer } from '../../../shared/openapi/operation';

/** The builder on a table of its own: what it refuses, and how zod schemas become the document's parts. */

const item = z.object({ id: z.string(), size: z.int().min(0).optional() });
const itemList = z.object({ items: z.array(item) });
const newItem = z.strictObject({ name: z.string().min(1) });

const routes: HttpRoute[] = [
  { name: 'items', route: 'items', methods: ['GET', 'POST'], authLevel: 'function' },
  { name: 'item', route: 'items/{id}', methods: ['GET'], authLevel: 'anonymous' },
];

const operations: Record<string, OperationDescription> = {
  'GET /items': {
    tag: 'items',
    summary: 'every item',
    query: z.object({
      limit: z.int().min(1).max(10).optional().describe('how many'),
      prefix: z.string(),
    }),
    responses: { 200: json('the items', itemList, { two: { items: [{ id: 'a' }, { id: 'b', size: 3 }] } }) },
  },
  'POST /items': {
    tag: 'items',
    summary: 'add one',
    requestBody: { required: true, ...jsonBody(newItem, { one: { name: 'c' } }) },
    responses: {
      201: json('added', item, { added: { id: 'c' } }),
      400: problemAnswer('invalid', ['status.invalid-query']),
      503: problemAnswer('down', ['status.not-configured'], { retryAfter: true }),
    },
  },
  'GET /items/{id}': {
    tag: 'items',
    summary: 'one item',
    path: z.object({ id: z.string().describe('the id') }),
    responses: {
      200: json('the item', item, { one: { id: 'a' } }),
      404: problemAnswer('no such item', ['status.unknown-build']),
    },
  },
};

const input: OpenApiInput = {
  title: 't',
  version: '1',
  description: 'd',
  routes,
  operations,
  schemas: { Item: item, ItemList: itemList, NewItem: newItem },
};

function refusal(change: Partial<OpenApiInput>): PipelineError {
  try {
    buildOpenApiDocument({ ...input, ...change });
  } catch (error) {
    if (PipelineError.is(error)) return error;
    throw error;
  }
  throw new Error('the builder accepted it');
}

describe('buildOpenApiDocument', () => {
  const document = buildOpenApiDocument(input);

  it('makes one operation per route and method, named by the function', () => {
    expect(Object.keys(document.paths)).toEqual(['/items', '/items/{id}']);
    expect(Object.keys(document.paths['/items'] ?? {})).toEqual(['get', 'post']);
    expect(document.paths['/items']?.post?.operationId).toBe('items_post');
    expect(document.paths['/items/{id}']?.get?.operationId).toBe('item');
    expect(document.paths['/items/{id}']?.get?.security).toEqual([]);
    expect(document.paths['/items']?.get?.security).toEqual([
      { functionKeyHeader: [] },
      { functionKeyQuery: [] },
    ]);
  });

  it('turns the query and path schemas into parameters, required as the schema says', () => {
    expect(document.paths['/items']?.get?.parameters).toEqual([
      {
        name: 'limit',
        in: 'query',
        required: false,
        description: 'how many',
        schema: { type: 'integer', minimum: 1, maximum: 10 },
      },
      { name: 'prefix', in: 'query', required: true, schema: { type: 'string' } },
    ]);
    expect(document.paths['/items/{id}']?.get?.parameters).toEqual([
      { name: 'id', in: 'path', required: true, description: 'the id', schema: { type: 'string' } },
    ]);
  });

  it('refers to named schemas, and a named schema inside another is a $ref too', () => {
    const ok = document.paths['/items']?.get?.responses as Record<
      string,
      { content: Record<string, unknown> }
    >;
    expect(ok['200']?.content['application/json']).toEqual({
      schema: { $ref: '#/components/schemas/ItemList' },
      examples: { two: { value: { items: [{ id: 'a' }, { id: 'b', size: 3 }] } } },
    });
    expect(document.components.schemas.ItemList).toMatchObject({
      properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Item' } } },
    });
    expect(document.components.schemas.Item).not.toHaveProperty('$schema');
    expect(document.components.schemas.Item).not.toHaveProperty('$id');
    // Requests are the input side of a strict object: unknown fields are refused.
    expect(document.components.schemas.NewItem).toMatchObject({ additionalProperties: false });
  });

  it('answers errors with the Problem schema, an example per code, and Retry-After where said', () => {
    const responses = document.paths['/items']?.post?.responses as Record<string, Record<string, unknown>>;
    expect(responses['503']).toMatchObject({
      description: 'down (`status.not-configured`)',
      headers: { 'Retry-After': { schema: { type: 'integer', minimum: 1 } } },
      content: {
        'application/json': {
          schema: { $ref: '#/components/schemas/Problem' },
          examples: { 'status.not-configured': { value: { code: 'status.not-configured' } } },
        },
      },
    });
    expect(responses['400']).not.toHaveProperty('headers');
    expect(document.components.schemas.Problem).toMatchObject({ required: ['code', 'message'] });
  });

  it('reduces Azure route parameters to OpenAPI ones', () => {
    expect(openApiPath('files/{id:int}/{name?}/{*rest}')).toBe('/files/{id}/{name}/{rest}');
    expect(openApiPath('openapi.json')).toBe('/openapi.json');
  });

  it('is deterministic', () => {
    expect(JSON.stringify(buildOpenApiDocument(input))).toBe(JSON.stringify(document));
  });

  it('refuses a route without a description, naming the operation and the function', () => {
    const error = refusal({
      routes: [
        ...routes,
        { name: 'removeItem', route: 'items/{id}', methods: ['DELETE'], authLevel: 'function' },
      ],
    });
    expect(error.code).toBe('openapi.undescribed-route');
    expect(error.message).toContain('DELETE /items/{id} (function removeItem)');
  });

  it('refuses a description of a route the table does not have', () => {
    const error = refusal({ routes: routes.slice(0, 1) });
    expect(error.code).toBe('openapi.invalid-description');
    expect(error.message).toContain('GET /items/{id}');
  });

  it('refuses path parameters that do not match the template', () => {
    const { path: _path, ...withoutPath } = operations['GET /items/{id}'] as OperationDescription;
    const error = refusal({ operations: { ...operations, 'GET /items/{id}': withoutPath } });
    expect(error.message).toContain('path parameters are [id], described []');
  });

  it('refuses an error code answered with another status than the one it is described under', () => {
    const wrong = {
      ...operations['GET /items/{id}'],
      responses: { 404: problemAnswer('x', ['status.invalid-query']) },
    };
    const error = refusal({
      operations: { ...operations, 'GET /items/{id}': wrong as OperationDescription },
    });
    expect(error.message).toContain('status.invalid-query is answered with 400, described under 404');
  });

  it('refuses a body whose schema is not named', () => {
    const error = refusal({ schemas: { Item: item, NewItem: newItem } });
    expect(error.message).toContain("a body's schema is not among the named schemas");
  });
});
