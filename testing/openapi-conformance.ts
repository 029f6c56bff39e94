import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import type { OpenApiDocument } from '../shared/openapi/document';
import { COMPONENT_SCHEMAS } from '../shared/openapi/document';

/**
 * Checks JSON against the schemas of an OpenAPI document (`shared/openapi/`), as a client validating with
 * the published description would: Ajv for JSON Schema 2020-12 (the dialect of OpenAPI 3.1) in strict mode,
 * so an unknown keyword or format in a generated schema is an error. The components become one schema
 * resource, so the document's `#/components/schemas/<name>` references resolve as they do in the document.
 */
export interface OpenApiConformance {
  /** A validator of a schema as the document writes it (`{$ref: '#/components/schemas/X'}`, or inline). */
  validatorOf(schema: Record<string, unknown>): ValidateFunction;
  /**
   * What is wrong with an answer to the operation at `path` (a template of the document, `/builds/{id}`):
   * `undocumented status …` when the operation lists no such answer, a content type it does not list for
   * that answer, the schema's errors when a JSON body does not fit; empty when it fits. `contentType` is the
   * answer's header (parameters such as `charset` are ignored); absent or empty: the answer has no body.
   */
  problemsWith(path: string, method: string, status: number, body: unknown, contentType?: string): string[];
}

const RESOURCE = 'urn:azl-rebuilder:openapi';

/** RFC 3339 date-time, with the offset JSON Schema requires (ajv-formats is not a dependency). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

export function openApiConformance(document: OpenApiDocument): OpenApiConformance {
  const ajv = new Ajv2020({
    strict: true,
    // `type: [..]` (e.g. a value that is a string, number, boolean or null) is plain JSON Schema.
    allowUnionTypes: true,
    allErrors: true,
    formats: {
      'date-time': (value: string) => RFC3339.test(value) && !Number.isNaN(Date.parse(value)),
      uri: (value: string) => URL.canParse(value),
    },
  });
  const rebase = <T>(schema: T): T =>
    JSON.parse(JSON.stringify(schema).split(`"${COMPONENT_SCHEMAS}`).join(`"${RESOURCE}#/$defs/`)) as T;
  ajv.addSchema({ $id: RESOURCE, $defs: rebase(document.components.schemas) });
  const validatorOf = (schema: Record<string, unknown>): ValidateFunction => ajv.compile(rebase(schema));

  return {
    validatorOf,
    problemsWith(path, method, status, body, contentType = 'application/json') {
      const operation = document.paths[path]?.[method.toLowerCase()];
      if (!operation) return [`no operation ${method} ${path}`];
      const responses = operation.responses as Record<string, { content?: Record<string, unknown> }>;
      const response = responses[String(status)];
      if (!response) return [`undocumented status ${status} of ${method} ${path}`];
      const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
      const listed = Object.keys(response.content ?? {});
      if (type === '') return listed.length === 0 ? [] : [`no body, described with ${listed.join(', ')}`];
      const matching = listed.find((range) => mediaRangeMatches(range, type));
      if (matching === undefined)
        return [`content type ${type} of ${status} is not described (${listed.join(', ') || 'no body'})`];
      if (type !== 'application/json') return [];
      const media = response.content?.[matching] as { schema: Record<string, unknown> };
      const validate = validatorOf(media.schema);
      return validate(body) ? [] : (validate.errors ?? []).map(describeError);
    },
  };
}

// A media range of the description (any type, a type family such as text, or one exact type) against a type.
const mediaRangeMatches = (range: string, type: string): boolean =>
  range === '*/*' || range === type || (range.endsWith('/*') && type.startsWith(range.slice(0, -1)));

const describeError = (error: ErrorObject): string =>
  `${error.instancePath || '/'} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`;
