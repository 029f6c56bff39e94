import type { z } from 'zod';
import type { ErrorCode } from '../error-codes';

/**
 * How one HTTP operation is described for the OpenAPI document (`buildOpenApiDocument`): its parameters,
 * body and answers as the zod schemas the handler parses with or answers in, with examples typed by those
 * schemas (so an example that does not fit its schema does not compile, and the test validates them again
 * against the generated JSON Schema).
 */

/** An HTTP route as the function table declares it (`functions/table.ts` `HttpFunction` fits this). */
export interface HttpRoute {
  /** The function's name; the operation's `operationId`. */
  readonly name: string;
  /** Route template below the `/api` prefix, e.g. `builds/{id}`. */
  readonly route: string;
  readonly methods: readonly string[];
  readonly authLevel: 'anonymous' | 'function' | 'admin';
}

/** A JSON body: a schema named in the document's components, and examples of it. */
export interface JsonBody {
  readonly schema: z.ZodType;
  readonly examples: Readonly<Record<string, unknown>>;
}

/** A body that is not JSON (the dashboard's page and files). */
export interface OtherBody {
  readonly contentType: string;
  readonly description: string;
}

export interface ResponseDescription {
  readonly description: string;
  readonly body?: JsonBody | OtherBody;
  /**
   * An error answer (`functions/problem.ts`): the codes it names, each of the catalogue with this status (a
   * 503 may also carry any other retryable code). Each gets an example.
   */
  readonly errorCodes?: readonly ErrorCode[];
  /** The answer carries `Retry-After` (seconds). */
  readonly retryAfter?: boolean;
}

export interface OperationDescription {
  readonly summary: string;
  readonly description?: string;
  /** The API the operation belongs to (`status`, `webhooks`, …): OpenAPI tags. */
  readonly tag: string;
  /** One property per path parameter of the route template. */
  readonly path?: z.ZodObject;
  /** One property per query parameter. */
  readonly query?: z.ZodObject;
  readonly requestBody?: JsonBody & { readonly required: boolean };
  /** By HTTP status. */
  readonly responses: Readonly<Record<number, ResponseDescription>>;
}

/** Descriptions by operation key, `<METHOD> /<route>` (`GET /builds/{id}`). */
export type OperationDescriptions = Readonly<Record<string, OperationDescription>>;

export const operationKey = (method: string, route: string): string => `${method.toUpperCase()} /${route}`;

/** A JSON body whose examples must fit the schema (checked by the compiler). */
export const jsonBody = <S extends z.ZodType>(
  schema: S,
  examples: Readonly<Record<string, z.input<S>>>,
): JsonBody => ({ schema, examples });

/** A JSON answer: `json(description, schema, {name: example})`. */
export const json = <S extends z.ZodType>(
  description: string,
  schema: S,
  examples: Readonly<Record<string, z.input<S>>>,
): ResponseDescription => ({ description, body: jsonBody(schema, examples) });

/** An error answer, `{code, message}`, with the codes it may carry. */
export const problemAnswer = (
  description: string,
  errorCodes: readonly ErrorCode[],
  options: { readonly retryAfter?: boolean } = {},
): ResponseDescription => ({ description, errorCodes, ...options });
