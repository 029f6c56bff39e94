import { resolve } from 'node:path';
import { buildScaleFixture, writeScaleFixture } from '../testing/scale/scale-fixture';

/**
 * `node dist/scripts/scale-fixture.js <outDir> [--components <n>] [--seed <n>] [--burst <n>]`: (re)generates
 * the distribution-scale fixture (issue 20): the dependency index over the real tree's components and the
 * three recorded workloads, for `azl-rebuilder replay`. Prints the manifest's figures as one JSON line.
 */
async function main(argv: readonly string[]): Promise<void> {
  const positional: string[] = [];
  const numbers: Record<string, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const option = /^--(components|seed|burst)$/.exec(arg)?.[1];
    if (option === undefined) {
      positional.push(arg);
      continue;
    }
    const value = Number(argv[++i]);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${arg} takes a positive integer`);
    numbers[option] = value;
  }
  if (positional.length !== 1)
    throw new Error('usage: scale-fixture <outDir> [--components <n>] [--seed <n>] [--burst <n>]');
  const started = performance.now();
  const fixture = await buildScaleFixture({
    components: numbers.components,
    seed: numbers.seed,
    burst: numbers.burst,
  });
  const written = writeScaleFixture(fixture, resolve(positional[0] as string));
  const totalMs = Math.round(performance.now() - started);
  process.stdout.write(
    `${JSON.stringify({ dir: written.dir, components: fixture.names.length, messages: written.messages, burstLeaves: fixture.burst.leaves, files: written.files, timingsMs: fixture.timings, totalMs })}\n`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`scale-fixture: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
