import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layering rule in eslint.config.mjs (hosts/ → functions/ → infra/ → shared/) catches what it forbids
 * and lets the allowed directions through. Each case lints one import as if it stood in the named file.
 */
const eslint = new ESLint({ cwd: join(__dirname, '..', '..') });

async function boundaryErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const used = [x];\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the import-boundary rule', () => {
  it.each([
    ['shared/planner/example.ts', "import { x } from '../../infra/storage';", /bottom layer/],
    ['shared/planner/example.ts', "import type { x } from '../../functions/table';", /bottom layer/],
    ['shared/example.ts', "import { x } from '../hosts/cli/main';", /bottom layer/],
    ['shared/distro/example.ts', "import { readFileSync as x } from 'node:fs';", /no I\/O/],
    ['shared/distro/example.ts', "import { readFile as x } from 'fs/promises';", /no I\/O/],
    ['shared/build/example.ts', "import { spawn as x } from 'node:child_process';", /no I\/O/],
    ['shared/build/example.ts', "import { BlobClient as x } from '@azure/storage-blob';", /no Azure SDK/],
    ['functions/example.ts', "import { x } from '../infra/composition';", /composition root/],
    ['functions/example.ts', "import type { x } from '../infra/telemetry/logger';", /composition root/],
    ['infra/storage/example.ts', "import { x } from '../../functions/catalog';", /below the function table/],
    ['infra/local/example.ts', "import { x } from '../../hosts/local/runtime/local-runtime';", /below/],
    ['hosts/cli/example.ts', "import { x } from '../../tests/e2e/demo.test';", /test kit/],
    ['hosts/local/example.ts', "import { x } from '../../testing/azurite';", /test kit/],
    ['testing/example.ts', "import { x } from '../tests/e2e/demo.test';", /tests\/ and bench\/ share/],
    ['testing/rpm/example.ts', "import { x } from '../../bench/run';", /tests\/ and bench\/ share/],
  ])('refuses in %s: %s', async (file, source, message) => {
    const errors = await boundaryErrors(file, source);

    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    ['shared/planner/example.ts', "import { x } from '../errors';"],
    ['shared/distro/example.ts', "import { join as x } from 'node:path';"],
    ['shared/repodata/example.ts', "import { gzipSync as x } from 'node:zlib';"],
    ['functions/example.ts', "import { x } from '../shared/services';"],
    ['functions/index.ts', "import { x } from '../infra/composition';"],
    ['infra/storage/example.ts', "import { x } from '../../shared/errors';"],
    ['hosts/cli/example.ts', "import { x } from '../../functions/catalog';"],
    ['hosts/local/example.ts', "import { x } from '../../infra/local/broker/broker';"],
    ['tests/shared/example.test.ts', "import { x } from '../../infra/storage';"],
    ['testing/example.ts', "import { x } from '../infra/local/broker/broker';"],
    ['testing/pipeline/example.ts', "import { x } from '../../hosts/local/runtime/endpoints-file';"],
    ['tests/e2e/example.test.ts', "import { x } from '../../testing/azurite';"],
    ['bench/example.ts', "import { x } from '../testing/rpm/rpm-generator';"],
  ])('allows in %s: %s', async (file, source) => {
    expect(await boundaryErrors(file, source)).toEqual([]);
  });
});
