import { HttpRequest, InvocationContext } from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';
import type { ValidateFunction } from 'ajv/dist/2020';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeApi } from '../../functions/api-description';
import { buildFunctionTable, httpRoutesOf } from '../../functions/catalog';
import type { HttpFunction } from '../../functions/table';
import { PipelineError } from '../../shared/errors';
import type { OpenApiDocument } from '../../shared/openapi/document';
import { openApiPath, pathParameters } from '../../shared/openapi/document';
import { openApiConformance } from '../../testing/openapi-conformance';

/**
 * The API description against the real function table: every HTTP route is described (a new route without
 * a description fails), every example validates against its generated JSON Schema under strict Ajv (draft
 * 2020-12, the dialect of OpenAPI 3.1), and the document holds together as OpenAPI 3.1 (required fields,
 * every `$ref` resolves, path parameters declared). There is no OpenAPI validator among the dependencies;
 * these are the structural rules of the specification that a generated document can break.
 */

const noServices = () => Promise.reject(new Error('no services needed'));
const routes = (): HttpFunction[] => httpRoutesOf(buildFunctionTable(noServices));
const VERSION = '9.9.9-test';

type Json = Record<string, unknown>;

/** Every `$ref` in the document, with where it is. */
function refsIn(value: unknown, at = '#'): { ref: string; at: string }[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => refsIn(item, `${at}/${i}`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === '$ref' && typeof child === 'string'
      ? [{ ref: child, at }]
      : refsIn(child, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`),
  );
}

/** What a local JSON pointer (`#/a/b`) names in `root`, or undefined. */
function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (node, part) =>
        typeof node === 'object' && node !== null && Object.hasOwn(node, part)
          ? (node as Json)[part]
          : undefined,
      root,
    );
}

interface Operation {
  readonly key: string;
  readonly path: string;
  readonly method: string;
  readonly body: Json;
}

function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, body]) => ({
      key: `${method.toUpperCase()} ${path}`,
      path,
      method,
      body,
    })),
  );
}

/** Every example in the document with the schema it is an example of. */
function examplesOf(document: OpenApiDocument): { where: string; schema: Json; value: unknown }[] {
  return operationsOf(document).flatMap((operation) => {
    const media: { where: string; content: Json }[] = [];
    const request = operation.body.requestBody as { content: Json } | undefined;
    if (request) media.push({ where: `${operation.key} request`, content: request.content });
    for (const [status, response] of Object.entries(operation.body.responses as Json)) {
      const content = (response as { content?: Json }).content;
      if (content) media.push({ where: `${operation.key} ${status}`, content });
    }
    return media.flatMap(({ where, content }) =>
      Object.entries(content).flatMap(([type, value]) => {
        const { schema, examples } = value as { schema: Json; examples?: Record<string, { value: unknown }> };
        return Object.entries(examples ?? {}).map(([name, example]) => ({
          where: `${where} ${type} example ${name}`,
          schema,
          value: example.value,
        }));
      }),
    );
  });
}

let document: OpenApiDocument;

beforeAll(() => {
  document = describeApi(routes(), VERSION);
});

describe('the API description covers the function table', () => {
  it('describes every HTTP route of the table, method and path, and nothing else', () => {
    const table = routes().flatMap((route) =>
      route.methods.map((method) => `${method} ${openApiPath(route.route)}`),
    );
    expect(table.length).toBeGreaterThan(25);
    expect(
      operationsOf(document)
        .map((o) => o.key)
        .sort(),
    ).toEqual([...table].sort());
    const operationIds = operationsOf(document).map((o) => o.body.operationId);
    expect(operationIds.sort()).toEqual(
      routes()
        .map((r) => r.name)
        .sort(),
    );
  });

  it('refuses a table with a route it does not describe, naming the route', () => {
    const extra: HttpFunction = {
      kind: 'http',
      name: 'statusQueues',
      route: 'queues',
      methods: ['GET'],
      authLevel: 'function',
      handler: () => Promise.resolve({ status: 200 }),
    };
    let thrown: unknown;
    try {
      describeApi([...routes(), extra], VERSION);
    } catch (error) {
      thrown = error;
    }
    expect(PipelineError.is(thrown) && thrown.code).toBe('openapi.undescribed-route');
    expect((thrown as Error).message).toContain('GET /queues (function statusQueues)');
  });

  it('refuses descriptions of routes the table no longer has', () => {
    const withoutHealth = routes().filter((route) => route.name !== 'health');
    expect(() => describeApi(withoutHealth, VERSION)).toThrow(/GET \/health/);
  });

  it('marks anonymous routes as open and the rest as needing a function key', () => {
    for (const route of routes()) {
      const operation = document.paths[openApiPath(route.route)]?.[route.methods[0]?.toLowerCase() ?? ''];
      expect(operation?.security, route.name).toEqual(
        route.authLevel === 'anonymous' ? [] : [{ functionKeyHeader: [] }, { functionKeyQuery: [] }],
      );
    }
    expect(document.paths['/openapi.json']?.get?.security).toEqual([]);
    expect(document.paths['/builds/{id}']?.get?.security).not.toEqual([]);
  });
});

describe('every example validates against its schema (strict Ajv, draft 2020-12)', () => {
  let validatorOf: (schema: Json) => ValidateFunction;

  beforeAll(() => {
    ({ validatorOf } = openApiConformance(document));
  });

  it('compiles every component schema in strict mode', () => {
    for (const name of Object.keys(document.components.schemas))
      expect(validatorOf({ $ref: `#/components/schemas/${name}` }), name).toBeTypeOf('function');
  });

  it('has examples for every JSON answer and request, each valid', () => {
    const examples = examplesOf(document);
    expect(examples.length).toBeGreaterThan(50);
    const invalid = examples.flatMap(({ where, schema, value }) => {
      const validate = validatorOf(schema);
      return validate(JSON.parse(JSON.stringify(value))) ? [] : [{ where, errors: validate.errors }];
    });
    expect(invalid).toEqual([]);
  });

  it('rejects an example that does not fit (the check can fail)', () => {
    const validate = validatorOf({ $ref: '#/components/schemas/BuildRecord' });
    expect(validate({ buildId: 'x', component: 'zlib-ng' })).toBe(false);
    const state = {
      ...(examplesOf(document).find((e) => e.where.startsWith('GET /builds/{id} 200'))?.value as Json),
    };
    expect(validate(state)).toBe(true);
    expect(validate({ ...state, state: 'exploded' })).toBe(false);
  });

  it('gives every JSON answer an example', () => {
    const withoutExamples = operationsOf(document).flatMap((operation) =>
      Object.entries(operation.body.responses as Json).flatMap(([status, response]) => {
        const media = (response as { content?: Record<string, { examples?: Json }> }).content?.[
          'application/json'
        ];
        return media && Object.keys(media.examples ?? {}).length === 0 && status !== '503'
          ? [`${operation.key} ${status}`]
          : [];
      }),
    );
    expect(withoutExamples).toEqual([]);
  });
});

describe('the document is OpenAPI 3.1 as far as its structure goes', () => {
  it('has the required top-level fields', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({ title: 'azl-rebuilder', version: VERSION });
    expect(Object.keys(document.paths).length).toBeGreaterThan(0);
    for (const path of Object.keys(document.paths)) expect(path).toMatch(/^\//);
  });

  it('resolves every $ref inside the document', () => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(30);
    const unresolved = refs.filter(({ ref }) => resolvePointer(document, ref) === undefined);
    expect(unresolved).toEqual([]);
  });

  it('declares each path parameter of each template once, as required, and nothing else in the path', () => {
    for (const operation of operationsOf(document)) {
      const parameters = (operation.body.parameters ?? []) as {
        name: string;
        in: string;
        required: boolean;
      }[];
      const inPath = parameters.filter((p) => p.in === 'path');
      expect(
        inPath.map((p) => p.name),
        operation.key,
      ).toEqual(pathParameters(operation.path));
      for (const parameter of inPath) expect(parameter.required).toBe(true);
      const names = parameters.map((p) => `${p.in}:${p.name}`);
      expect(new Set(names).size, operation.key).toBe(names.length);
    }
  });

  it('gives each operation a unique operationId, responses with descriptions and known security schemes', () => {
    const ids = operationsOf(document).map((o) => o.body.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const schemes = Object.keys(document.components.securitySchemes);
    const tags = document.tags.map((tag) => tag.name);
    for (const operation of operationsOf(document)) {
      const responses = Object.entries(operation.body.responses as Record<string, { description?: unknown }>);
      expect(responses.length, operation.key).toBeGreaterThan(0);
      for (const [status, response] of responses) {
        expect(status).toMatch(/^[1-5]\d\d$/);
        expect(typeof response.description, `${operation.key} ${status}`).toBe('string');
      }
      for (const requirement of operation.body.security as Json[])
        for (const scheme of Object.keys(requirement)) expect(schemes).toContain(scheme);
      for (const tag of operation.body.tags as string[]) expect(tags).toContain(tag);
    }
  });

  it('is plain JSON: it survives a JSON round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });
});

describe('GET /api/openapi.json', () => {
  it('is in the table, anonymous, and answers the document', async () => {
    const fn = routes().find((route) => route.route === 'openapi.json');
    expect(fn).toMatchObject({ methods: ['GET'], authLevel: 'anonymous' });
    const request = new HttpRequest({ method: 'GET', url: 'http://localhost/api/openapi.json' });
    const context = new InvocationContext({
      invocationId: 'i',
      functionName: 'openApi',
      logHandler: () => undefined,
    });
    const response = (await fn?.handler(request, context)) as HttpResponseInit;
    expect(response.status).toBe(200);
    const served = response.jsonBody as OpenApiDocument;
    expect(served.openapi).toBe('3.1.0');
    expect(Object.keys(served.paths).sort()).toEqual(Object.keys(document.paths).sort());
  });
});
