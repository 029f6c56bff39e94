/**
 * The engine's own flat copy of `value`: a property key is stored once (internalized) and `Object.keys`
 * hands that copy out. Names and BuildRequires read from the dependency index are slices of its packed
 * strings or joins of such pieces (a versioned capability is formatted per call); kept as they are, each
 * keeps its parent alive, costs the garbage collector a link per piece, and equal texts are stored once per
 * edge. Lookups by the shared copy (a property, a Map key) compare pointers before characters.
 */
export function engineCopy(value: string): string {
  return Object.keys({ [value]: 0 })[0] ?? value;
}
