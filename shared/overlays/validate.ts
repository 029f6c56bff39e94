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
 * rules). Reports one problem, in azldev's order: `archive` / `archive-root` first, then the type's own
 * fields (missing, malformed or contradictory), then `metadata`, and last a field the type does not take
 * (which azldev ignores). Messages read as azldev's: "overlay type `spec-add-tag` requires `tag` field".
 */
export function validateOverlay(raw: unknown): OverlayValidation {
  const result = overlaySchema.safeParse(raw);
  if (result.success) return { ok: true, overlay: result.data };
  const type = typeOf(raw);
  const issues = result.error.issues;
  const issue = [...issues].sort((a, b) => rank(a) - rank(b))[0];
  return {
    ok: false,
    problem: issue ? describe(issue, type, raw) : { field: '', message: 'invalid overlay' },
  };
}

const ARCHIVE_FIELDS: readonly PropertyKey[] = ['archive', 'archive-root'];

/** Where azldev checks an issue's field: archive scoping, the type's fields, metadata, then extras. */
function rank(issue: z.core.$ZodIssue): number {
  if (issue.code === 'unrecognized_keys') return issue.keys.some((k) => ARCHIVE_FIELDS.includes(k)) ? 0 : 3;
  const head = issue.path[0];
  if (head !== undefined && ARCHIVE_FIELDS.includes(head)) return 0;
  return head === 'metadata' ? 2 : 1;
}

function describe(issue: z.core.$ZodIssue, type: string, raw: unknown): OverlayProblem {
  const field = issue.path.map(String).join('.');
  const typed = (tail: string): string => `overlay type \`${type}\` ${tail}`;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys.find((k) => ARCHIVE_FIELDS.includes(k)) ?? issue.keys[0] ?? '';
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
