import { PipelineError } from '../../../shared/errors';

/**
 * Route templates as the Functions host reads them (the ASP.NET Core subset this app needs): literal segments
 * (case-insensitive), `{name}`, optional `{name?}` (only trailing), constrained `{id:int}` and a final
 * catch-all `{*rest}`. A parameter must fill its whole segment; anything else is rejected with
 * `host.invalid-route` when the host starts rather than silently never matching.
 */
export interface CompiledRoute {
  readonly template: string;
  /** Segment ranks for ordering: lower is more specific (literal < constrained < plain < catch-all). */
  readonly precedence: readonly number[];
  /** The decoded route parameters when `path` (the part after `/api/`) matches, else undefined. */
  match(path: string): Record<string, string> | undefined;
}

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string; optional: boolean; test: (value: string) => boolean; constrained: boolean }
  | { kind: 'catch-all'; name: string };

const constraints = new Map<string, (value: string) => boolean>([
  ['int', (v) => /^-?\d+$/.test(v) && Number(v) >= -(2 ** 31) && Number(v) < 2 ** 31],
  ['long', (v) => /^-?\d+$/.test(v)],
  ['bool', (v) => /^(true|false)$/i.test(v)],
  ['alpha', (v) => /^[a-z]+$/i.test(v)],
  ['guid', (v) => /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i.test(v)],
  ['double', (v) => v.trim() !== '' && Number.isFinite(Number(v))],
]);
const PARAM = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?(\?)?\}$/;

export function compileRoute(template: string): CompiledRoute {
  const invalid = (reason: string): PipelineError =>
    PipelineError.permanent('host.invalid-route', `route template '${template}': ${reason}`, { template });
  const parts = trimSlashes(template) === '' ? [] : trimSlashes(template).split('/');
  const segments = parts.map((part, index): Segment => {
    const param = PARAM.exec(part);
    if (!param) {
      if (part === '' || /[{}]/.test(part)) throw invalid(`unsupported segment '${part}'`);
      return { kind: 'literal', text: part.toLowerCase() };
    }
    const [, star, name = '', constraint, optional] = param;
    if (star) {
      if (index !== parts.length - 1 || constraint || optional)
        throw invalid('a catch-all must be a plain last segment');
      return { kind: 'catch-all', name };
    }
    const test = constraint === undefined ? () => true : constraints.get(constraint);
    if (!test) throw invalid(`unknown constraint '${constraint}'`);
    return { kind: 'param', name, optional: optional === '?', test, constrained: constraint !== undefined };
  });
  const names = segments.flatMap((s) => (s.kind === 'literal' ? [] : [s.name.toLowerCase()]));
  if (new Set(names).size !== names.length) throw invalid('a parameter name is used twice');
  const firstOptional = segments.findIndex((s) => s.kind === 'param' && s.optional);
  if (
    firstOptional >= 0 &&
    segments.slice(firstOptional).some((s) => s.kind === 'literal' || (s.kind === 'param' && !s.optional))
  ) {
    throw invalid('optional parameters may only be followed by optional parameters');
  }

  return {
    template,
    precedence: segments.map((s) =>
      s.kind === 'literal' ? 1 : s.kind === 'catch-all' ? 4 : s.constrained ? 2 : 3,
    ),
    match: (path) => matchSegments(segments, path),
  };
}

function matchSegments(segments: readonly Segment[], path: string): Record<string, string> | undefined {
  const trimmed = trimSlashes(path);
  const values = trimmed === '' ? [] : trimmed.split('/').map(decode);
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    if (segment.kind === 'catch-all') {
      const rest = values.slice(index);
      if (rest.some((v) => v === undefined)) return undefined;
      params[segment.name] = rest.join('/');
      return params;
    }
    const value = values[index];
    if (value === undefined || value === '') {
      if (segment.kind === 'param' && segment.optional && index >= values.length) continue;
      return undefined;
    }
    if (segment.kind === 'literal' && value.toLowerCase() !== segment.text) return undefined;
    if (segment.kind === 'param') {
      if (!segment.test(value)) return undefined;
      params[segment.name] = value;
    }
  }
  return values.length > segments.length ? undefined : params;
}

/** Percent-decodes one path segment; a malformed escape makes the path unmatchable (undefined). */
function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

const trimSlashes = (value: string): string => value.replace(/^\/+|\/+$/g, '');
