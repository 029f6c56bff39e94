import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';

/**
 * `npm run deps:cycles` (part of `npm run lint`) fails on modules that import each other: dependency-cruiser
 * with the project's rule set, run here on a small tree that holds one cycle and one import that is none.
 */
interface Violation {
  readonly rule: { readonly name: string };
  readonly cycle?: readonly { readonly name: string }[];
}

const dir = mkdtempSync(join(tmpdir(), 'azl-cycles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the no-circular rule names the modules of a cycle and passes a plain import', async () => {
  writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nexport const a = () => b;\n");
  writeFileSync(join(dir, 'b.ts'), "import { c } from './c';\nexport const b = () => c;\n");
  writeFileSync(join(dir, 'c.ts'), "import { a } from './a';\nexport const c = () => a;\n");
  writeFileSync(join(dir, 'd.ts'), "import { a } from './a';\nexport const d = () => a;\n");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { forbidden } = require('../../.dependency-cruiser.cjs') as { forbidden: unknown[] };
  const { cruise } = await import('dependency-cruiser');

  const result = await cruise(['.'], { validate: true, ruleSet: { forbidden }, baseDir: dir } as never);

  const { violations } = (result.output as { summary: { violations: Violation[] } }).summary;
  expect(violations.map((v) => v.rule.name)).toEqual(['no-circular']);
  expect(violations[0]?.cycle?.map((step) => step.name).sort()).toEqual(['a.ts', 'b.ts', 'c.ts']);
});
