import { expect, test } from 'vitest';
import { WaveCursor } from '../../../shared/build-worker';
import type { WaveItem } from '../../../shared/build-worker';

/** A plan's items by wave, and which are final; every read yields to the event loop first, as a table read does. */
function source(waves: readonly (readonly string[])[], final: Set<string>) {
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    itemsOf: async (_plan: string, wave: number): Promise<WaveItem[]> => {
      await tick();
      return (waves[wave] ?? []).map((component) => ({ component, fingerprint: `sha256:${component}` }));
    },
    isFinal: async (item: WaveItem): Promise<boolean> => {
      await tick();
      return final.has(item.component);
    },
  };
}

test('names the earliest unfinished wave before the asked one, resuming where it stopped', async () => {
  const final = new Set(['a1', 'a2']);
  const cursor = new WaveCursor(source([['a1', 'a2'], ['b1', 'b2'], ['c1']], final));
  expect(await cursor.unfinishedBefore('p', 1)).toEqual([]);
  expect(await cursor.unfinishedBefore('p', 2)).toEqual(['b1', 'b2']);
  final.add('b1');
  final.add('b2');
  expect(await cursor.unfinishedBefore('p', 3)).toEqual(['c1']);
});

test('many checks at once never pass over a wave that has not run (the race that skipped a whole wave)', async () => {
  // Wave 0 is final, wave 1 (shorter) has not started: 32 concurrent checks, as 32 build sessions make.
  const wave0 = Array.from({ length: 24 }, (_, i) => `w0-${i}`);
  const wave1 = Array.from({ length: 12 }, (_, i) => `w1-${i}`);
  const cursor = new WaveCursor(source([wave0, wave1, ['w2-0']], new Set(wave0)));
  const answers = await Promise.all(Array.from({ length: 32 }, () => cursor.unfinishedBefore('p', 2)));
  for (const answer of answers) expect(answer.length).toBeGreaterThan(0);
  expect(answers[0]).toEqual(wave1.slice(0, 5).sort());
  expect(await cursor.unfinishedBefore('p', 3)).toEqual(wave1.slice(0, 5).sort());
});

test('asked whether anything is unfinished (at most one name), reads no item past the first unfinished', async () => {
  const reads: string[] = [];
  const waves = [['a1', 'a2', 'a3', 'a4'], ['b1']];
  const cursor = new WaveCursor({
    itemsOf: (_plan: string, wave: number) =>
      Promise.resolve((waves[wave] ?? []).map((component) => ({ component, fingerprint: component }))),
    isFinal: (item: WaveItem) => {
      reads.push(item.component);
      return Promise.resolve(item.component === 'a1');
    },
  });
  expect(await cursor.unfinishedBefore('p', 1, 1)).toEqual(['a2']);
  expect(reads).toEqual(['a1', 'a2']);
  expect(await cursor.unfinishedBefore('p', 1)).toEqual(['a2', 'a3', 'a4']);
});
