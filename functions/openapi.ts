import type { HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import type { OpenApiDocument } from '../shared/openapi/document';
import type { HttpFunction } from './table';
import type { BodyOf } from '../shared/schema-matches';

/**
 * The document `GET /api/openapi.json` answers with, as far as its own description needs to say: an OpenAPI
 * 3.1 document (the rest is the OpenAPI specification's to define).
 */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: z.string(), version: z.string(), description: z.string() }),
  servers: z.array(z.looseObject({ url: z.string() })),
  tags: z.array(z.looseObject({ name: z.string() })),
  paths: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))),
  components: z.looseObject({
    schemas: z.record(z.string(), z.record(z.string(), z.unknown())),
    securitySchemes: z.record(z.string(), z.record(z.string(), z.unknown())),
  }),
});

export const OPENAPI_ROUTE = 'openapi.json';

/**
 * `GET /api/openapi.json` (anonymous: it describes the API, it holds no data): the OpenAPI 3.1 document of
 * every HTTP route, built on the first request (`describe`) and kept. Pure: it needs no services, so it
 * answers even when storage is down.
 */
export function openApiFunction(describe: () => OpenApiDocument): HttpFunction {
  let document: OpenApiDocument | undefined;
  return {
    kind: 'http',
    name: 'openApi',
    route: OPENAPI_ROUTE,
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: (): Promise<HttpResponseInit> => {
      document ??= describe();
      const body: BodyOf<typeof openApiDocumentSchema> = document;
      return Promise.resolve({ status: 200, jsonBody: body });
    },
  };
}
