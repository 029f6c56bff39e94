import type { z } from 'zod';
import type { Overlay } from './schema';
import { overlaySchema } from './schema';

/** Why an overlay is refused: the field at fault (dotted, inside the overlay) and azldev's wording. */
export interface OverlayProblem {
  readonly field: string;
  readonly message: string;
}

export type OverlayValidation =
  { readonly ok: true; readonly overlay: Overlay } | { readonly ok: false; readonly problem: OverlayProblem };

/**
 * azldev's `ComponentOverlay.Validate` for one overlay as written in a config file (schema.ts holds the
 * rules). Reports the first problem: a missing, malformed or contradictory field before a field the type
 * does not take, the way azldev checks required fields first. Messages read as azldev's:
 * "overlay type `spec-add-tag` requires `tag` field".
 */
export function validateOverlay(raw: unknown): OverlayValidation {
  const result = overlaySchema.safeParse(raw);
  if (result.success) return { ok: true, overlay: result.data };
  const type = typeOf(raw);
  const issues = result.error.issues;
  const issue = issues.find((i) => i.code !== 'unrecognized_keys') ?? issues[0];
  return {
    ok: false,
    problem: issue ? describe(issue, type, raw) : { field: '', message: 'invalid overlay' },
  };
}

function describe(issue: z.core.$ZodIssue, type: string, raw: unknown): OverlayProblem {
  const field = issue.path.map(String).join('.');
  const typed = (tail: string): string => `overlay type \`${type}\` ${tail}`;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '';
      return {
        field: [...issue.path.map(String), key].join('.'),
        message: typed(`does not accept \`${key}\` field`),
      };
    }
    case 'invalid_union':
      return field === 'type' || field === ''
        ? { field: 'type', message: typeProblem(raw) }
        : { field, message: issue.message };
    case 'invalid_type':
      if (valueAt(raw, issue.path) === undefined)
        return { field, message: typed(`requires \`${field}\` field`) };
      return { field, message: `\`${field}\` must be ${article(issue.expected)}` };
    case 'too_small':
      return { field, message: typed(`requires \`${field}\` field`) };
    default:
      return {
        field,
        message: /^(requires|does not accept) /.test(issue.message) ? typed(issue.message) : issue.message,
      };
  }
}

/** The value at `path` inside the overlay as written (zod's issues do not carry the input). */
const valueAt = (raw: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key], raw);

const typeOf = (raw: unknown): string => {
  const type = (raw as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : String(type);
};

const typeProblem = (raw: unknown): string => {
  const type = (raw as { type?: unknown } | null)?.type;
  return type === undefined || type === ''
    ? 'an overlay needs a type'
    : `unknown overlay type \`${String(type)}\``;
};

const article = (expected: string): string =>
  /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
