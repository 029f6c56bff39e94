/**
 * The JSON text of an image's documents (`manifest.json`, the SPDX SBOM): every object's keys in code-unit
 * order at every depth, two-space indentation, a final newline. Arrays keep their order, so the builders sort
 * them. The same value gives the same bytes whatever order its objects were assembled in, so two builds of
 * one image with the same inputs write identical files and a stored document's hash means something.
 */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}
