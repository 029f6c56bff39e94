/**
 * azldev's merge of two configuration values (Go `mergo.Merge(dst, src, WithOverride[, WithAppendSlice])`):
 * - a later scalar overrides only when non-empty: `false`, `0` and `""` never override (so a component cannot
 *   undo a group's `check.skip = true`);
 * - lists are appended (`appendLists`) or, without it, replaced by a non-empty later list;
 * - tables (structs and maps alike) merge key by key, recursively.
 * Inputs are never mutated; the result shares no tables or lists with them.
 */
export function mergeValues<T>(base: T, later: T, appendLists: boolean): T {
  return merge(base, later, appendLists) as T;
}

function merge(base: unknown, later: unknown, appendLists: boolean): unknown {
  if (isEmpty(later)) return copy(base);
  if (Array.isArray(later)) {
    if (appendLists && Array.isArray(base)) return [...base.map(copy), ...later.map(copy)];
    return later.map(copy);
  }
  if (isTable(later)) {
    const out: Record<string, unknown> = isTable(base) ? (copy(base) as Record<string, unknown>) : {};
    for (const [key, value] of Object.entries(later)) out[key] = merge(out[key], value, appendLists);
    return out;
  }
  return later;
}

/** Go's zero values: what mergo treats as "not set". */
function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === false ||
    value === 0 ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

const isTable = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (isTable(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = copy(inner);
    return out;
  }
  return value;
}
