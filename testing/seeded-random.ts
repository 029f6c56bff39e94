/**
 * mulberry32: a small, fast, seeded generator of numbers in [0, 1). Generated data (fuzz inputs, hostile
 * bodies, repodata at scale) depends only on the seed, so a failure can be replayed and a bench run repeats.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
