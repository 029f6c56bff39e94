import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { preProcessFile } from 'typescript';
import { expect, test } from 'vitest';

/**
 * `npm run bench` runs the compiled bench outside vitest, and vitest cannot even be loaded there (its CommonJS
 * entry throws). So no module bench/ reaches, through testing/ or otherwise, may import vitest: the `use*`
 * helpers that need its hooks live in modules of their own.
 */
const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

function imports(file: string): string[] {
  return preProcessFile(readFileSync(file, 'utf8')).importedFiles.map((imported) => imported.fileName);
}

function resolveLocal(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  return (
    [`${base}.ts`, join(base, 'index.ts')].find((candidate) => {
      try {
        readFileSync(candidate);
        return true;
      } catch {
        return false;
      }
    }) ?? base
  );
}

test('nothing bench/ imports, directly or not, imports vitest', () => {
  const seen = new Set<string>();
  const chains: string[] = [];
  const visit = (file: string, chain: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of imports(file)) {
      if (specifier === 'vitest' || specifier.startsWith('vitest/')) {
        chains.push([...chain, file].map((f) => relative(root, f)).join(' → '));
      } else if (specifier.startsWith('.')) {
        visit(resolveLocal(file, specifier), [...chain, file]);
      }
    }
  };
  const benchFiles = sources(join(root, 'bench'));
  for (const file of benchFiles) visit(file, []);

  expect(benchFiles.length).toBeGreaterThan(10);
  expect([...seen].some((file) => file.includes(`${join(root, 'testing')}`))).toBe(true);
  expect(chains).toEqual([]);
});
