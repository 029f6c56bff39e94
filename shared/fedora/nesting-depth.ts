/**
 * How deep a kept copy of a message may nest. Fedora's messages nest a handful of levels; a body nested
 * thousands deep is hostile. Normalization reads only the fields it needs and is safe at any depth (a deep
 * field it skips does not matter), but every recursive walk of the whole message — serializing a rejected
 * one into the quarantine, answering it on the status API — ends in a stack overflow. So the quarantine keeps
 * a rejected message cut at this depth.
 */
export const MAX_MESSAGE_DEPTH = 64;

/** What the quarantined copy holds where a message nested deeper than it may. */
export const CUT_MARKER = `(cut: nested deeper than ${MAX_MESSAGE_DEPTH} levels)`;

/**
 * The path (keys from the top) of the first array or object nested deeper than `max` levels (the top is
 * level 1), or undefined. Walks without recursion, so any depth is safe to ask about.
 */
export function pathDeeperThan(value: unknown, max: number): PropertyKey[] | undefined {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: node, path } = stack.pop() as { value: unknown; path: PropertyKey[] };
    if (typeof node !== 'object' || node === null) continue;
    if (path.length >= max) return path;
    for (const [key, child] of entriesOf(node)) stack.push({ value: child, path: [...path, key] });
  }
  return undefined;
}

/**
 * A copy of `value` in which every array or object deeper than `max` levels is replaced by `marker`; values
 * that nest less are copied as they are. Without recursion, like `pathDeeperThan`.
 */
export function cutDeeperThan(value: unknown, max: number, marker: string = CUT_MARKER): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const rootCopy: Record<PropertyKey, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  const stack: { source: object; copy: Record<PropertyKey, unknown> | unknown[]; depth: number }[] = [
    { source: value, copy: rootCopy, depth: 1 },
  ];
  while (stack.length > 0) {
    const { source, copy, depth } = stack.pop() as (typeof stack)[number];
    for (const [key, child] of entriesOf(source)) {
      let out: unknown = child;
      if (typeof child === 'object' && child !== null) {
        if (depth >= max) out = marker;
        else {
          const childCopy: Record<PropertyKey, unknown> | unknown[] = Array.isArray(child) ? [] : {};
          stack.push({ source: child, copy: childCopy, depth: depth + 1 });
          out = childCopy;
        }
      }
      (copy as Record<PropertyKey, unknown>)[key as string] = out;
    }
  }
  return rootCopy;
}

function entriesOf(node: object): [PropertyKey, unknown][] {
  return Array.isArray(node) ? node.map((child, i): [number, unknown] => [i, child]) : Object.entries(node);
}
