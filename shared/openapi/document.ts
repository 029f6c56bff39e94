import { z } from 'zod';
import { errorCodes } from '../error-codes';
import { PipelineError } from '../errors';
import type {
  HttpRoute,
  JsonBody,
  OperationDescription,
  OperationDescriptions,
  OtherBody,
  ResponseDescription,
} from './operation';
import { operationKey } from './operation';
import { problemSchema } from './problem';

/**
 * The OpenAPI 3.1 document of the app's HTTP routes, built from the function table's routes and one
 * description per operation. Every schema is generated from zod (`z.toJSONSchema`, JSON Schema 2020-12, the
 * dialect of OpenAPI 3.1), never written a second time: the bodies are components named in `schemas`, and
 * a component that uses another refers to it by `$ref`. Schemas are the input side, which leaves objects
 * open (as `docs/events.schema.json` does): adding an optional field to an answer is not a breaking change.
 *
 * Pure and deterministic (paths, tags and components sorted), so the committed `docs/openapi.json` can be
 * compared with what the code gives.
 */
export interface OpenApiInput {
  readonly title: string;
  readonly version: string;
  readonly description: string;
  readonly routes: readonly HttpRoute[];
  readonly operations: OperationDescriptions;
  /** Every schema a body uses, by its component name. `Problem` is added. */
  readonly schemas: Readonly<Record<string, z.ZodType>>;
}

export type JsonObject = { [key: string]: unknown };

/** A type, not an interface, so that it fits the loose (index-signature) schema of the document. */
export type OpenApiDocument = {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly servers: readonly { readonly url: string; readonly description: string }[];
  readonly tags: readonly { readonly name: string }[];
  readonly paths: Readonly<Record<string, Readonly<Record<string, JsonObject>>>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, JsonObject>>;
    readonly securitySchemes: Readonly<Record<string, JsonObject>>;
  };
};

export const COMPONENT_SCHEMAS = '#/components/schemas/';

/** Azure Functions keys: the `x-functions-key` header or the `code` query parameter (either works). */
const SECURITY_SCHEMES = {
  functionKeyHeader: {
    type: 'apiKey',
    in: 'header',
    name: 'x-functions-key',
    description: 'a function key (or the host key) of the Function App',
  },
  functionKeyQuery: {
    type: 'apiKey',
    in: 'query',
    name: 'code',
    description: 'the same key as a query parameter',
  },
};

export function buildOpenApiDocument(input: OpenApiInput): OpenApiDocument {
  const named = new Map<z.ZodType, string>();
  for (const [name, schema] of Object.entries({ ...input.schemas, Problem: problemSchema })) {
    if (named.has(schema))
      throw invalid(`the schema ${name} is also named ${named.get(schema) ?? ''}; name each schema once`);
    named.set(schema, name);
  }
  const paths: Record<string, Record<string, JsonObject>> = {};
  const described = new Set<string>();
  for (const route of input.routes) {
    for (const method of route.methods) {
      const key = operationKey(method, route.route);
      const operation = input.operations[key];
      if (!operation)
        throw PipelineError.permanent(
          'openapi.undescribed-route',
          `${key} (function ${route.name}) has no description: add one to the API description`,
          { operation: key, function: route.name },
        );
      described.add(key);
      const path = openApiPath(route.route);
      const object = operationObject(route, method, operation, named);
      paths[path] = { ...paths[path], [method.toLowerCase()]: object };
    }
  }
  const unused = Object.keys(input.operations).filter((key) => !described.has(key));
  if (unused.length > 0)
    throw invalid(`descriptions of routes the table does not have: ${unused.join(', ')}`);

  return {
    openapi: '3.1.0',
    info: { title: input.title, version: input.version, description: input.description },
    servers: [{ url: '/api', description: "the Functions host's route prefix (host.json)" }],
    tags: [...new Set(Object.values(input.operations).map((o) => o.tag))].sort().map((name) => ({ name })),
    paths: sortedByKey(paths),
    components: { schemas: componentSchemas(named), securitySchemes: SECURITY_SCHEMES },
  };
}

/**
 * The route's OpenAPI path: `/` + the template, with Azure's parameter forms (`{id:int}`, `{id?}`,
 * `{*rest}`) reduced to the bare `{name}` OpenAPI knows.
 */
export const openApiPath = (route: string): string =>
  `/${route.replace(/\{\*?([A-Za-z_][A-Za-z0-9_]*)(?::[^}?]*)?\??\}/g, '{$1}')}`;

/** The parameter names of an OpenAPI path, in order. */
export const pathParameters = (path: string): string[] =>
  [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');

/**
 * One operation. Its `operationId` is the function's name, or `<name>_<method>` when the function answers
 * several methods (operation ids must be unique in the document).
 */
function operationObject(
  route: HttpRoute,
  method: string,
  operation: OperationDescription,
  named: ReadonlyMap<z.ZodType, string>,
): JsonObject {
  const key = operationKey(method, route.route);
  const inPath = pathParameters(openApiPath(route.route));
  const declared = Object.keys(operation.path?.shape ?? {});
  if (inPath.join(',') !== declared.join(','))
    throw invalid(
      `${key}: the route's path parameters are [${inPath.join(', ')}], described [${declared.join(', ')}]`,
    );
  const parameters = [...parametersOf(operation.path, 'path'), ...parametersOf(operation.query, 'query')];
  const responses = Object.entries(operation.responses).map(([status, response]) => [
    status,
    responseObject(key, response, Number(status), named),
  ]);
  return {
    operationId: route.methods.length === 1 ? route.name : `${route.name}_${method.toLowerCase()}`,
    summary: operation.summary,
    ...(operation.description === undefined ? {} : { description: operation.description }),
    tags: [operation.tag],
    security: route.authLevel === 'anonymous' ? [] : [{ functionKeyHeader: [] }, { functionKeyQuery: [] }],
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(operation.requestBody === undefined
      ? {}
      : {
          requestBody: {
            required: operation.requestBody.required,
            content: { 'application/json': mediaOf(key, operation.requestBody, named) },
          },
        }),
    responses: Object.fromEntries(responses),
  };
}

function parametersOf(shape: z.ZodObject | undefined, where: 'path' | 'query'): JsonObject[] {
  return Object.entries(shape?.shape ?? {}).map(([name, schema]) => {
    const { description, ...rest } = plainJsonSchema(schema as z.ZodType);
    return {
      name,
      in: where,
      required: where === 'path' || !(schema as z.ZodType).safeParse(undefined).success,
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function responseObject(
  key: string,
  response: ResponseDescription,
  status: number,
  named: ReadonlyMap<z.ZodType, string>,
): JsonObject {
  const headers = response.retryAfter
    ? {
        headers: {
          'Retry-After': {
            description: 'seconds to wait before sending the request again',
            schema: { type: 'integer', minimum: 1 },
          },
        },
      }
    : {};
  if (response.errorCodes !== undefined) {
    for (const code of response.errorCodes) {
      const info = errorCodes[code] as { httpStatus?: number };
      if (info.httpStatus !== status)
        throw invalid(
          `${key}: ${code} is answered with ${String(info.httpStatus)}, described under ${status}`,
        );
    }
    const examples = Object.fromEntries(
      response.errorCodes.map((code) => [code, { value: { code, message: errorCodes[code].meaning } }]),
    );
    // The codes are named, not enumerated in the schema: a 503 may carry any retryable code.
    const codes = response.errorCodes.map((code) => `\`${code}\``).join(', ');
    return {
      description: codes === '' ? response.description : `${response.description} (${codes})`,
      ...headers,
      content: { 'application/json': { schema: { $ref: `${COMPONENT_SCHEMAS}Problem` }, examples } },
    };
  }
  const body = response.body;
  if (body === undefined) return { description: response.description, ...headers };
  if (isOtherBody(body))
    return {
      description: response.description,
      ...headers,
      content: { [body.contentType]: { schema: { type: 'string', description: body.description } } },
    };
  return {
    description: response.description,
    ...headers,
    content: { 'application/json': mediaOf(key, body, named) },
  };
}

const isOtherBody = (body: JsonBody | OtherBody): body is OtherBody => 'contentType' in body;

function mediaOf(key: string, body: JsonBody, named: ReadonlyMap<z.ZodType, string>): JsonObject {
  const name = named.get(body.schema);
  if (name === undefined) throw invalid(`${key}: a body's schema is not among the named schemas`);
  const examples = Object.fromEntries(
    Object.entries(body.examples).map(([example, value]) => [example, { value }]),
  );
  return { schema: { $ref: `${COMPONENT_SCHEMAS}${name}` }, examples };
}

/**
 * How zod schemas become JSON Schema here. A `z.custom` check (a predicate, e.g. "a JSON object" in
 * `shared/fedora/envelope-forms.ts`) has no JSON Schema form: it becomes `{}` (any value), which is true of
 * what the schema admits before the handler's own check. Anything else without a JSON Schema form throws.
 */
const JSON_SCHEMA_OPTIONS = {
  target: 'draft-2020-12',
  io: 'input',
  unrepresentable: ({ zodSchema }) => (zodSchema._zod.def.type === 'custom' ? {} : 'throw'),
} satisfies Parameters<typeof z.toJSONSchema>[1];

/**
 * Every named schema as JSON Schema, in one zod registry conversion so that a named schema used inside
 * another becomes a `$ref` to its component. Each loses `$schema` and `$id` (the document's dialect applies).
 */
function componentSchemas(named: ReadonlyMap<z.ZodType, string>): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of named) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    ...JSON_SCHEMA_OPTIONS,
    uri: (id) => `${COMPONENT_SCHEMAS}${id}`,
  });
  const plain = Object.entries(schemas).map(([name, schema]) => {
    const { $schema: _schema, $id: _id, ...rest } = schema as JsonObject;
    return [name, rest] as const;
  });
  return sortedByKey(Object.fromEntries(plain));
}

function plainJsonSchema(schema: z.ZodType): JsonObject {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, JSON_SCHEMA_OPTIONS);
  return rest;
}

function sortedByKey<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const invalid = (message: string): PipelineError =>
  PipelineError.permanent('openapi.invalid-description', message);
