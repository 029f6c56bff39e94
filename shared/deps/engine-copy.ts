/**
 * The engine's own flat copy of `value`: a property key is stored once (internalized) and `Object.keys`
 * hands that copy out. Strings read from repodata are slices of the parsed text and joins of such slices;
 * kept as they are, each one keeps its whole parent text alive and costs the garbage collector a link per
 * piece. Lookups by the shared copy (a property, a Map key) compare pointers before characters.
 */
export function engineCopy(value: string): string {
  return Object.keys({ [value]: 0 })[0] ?? value;
}
