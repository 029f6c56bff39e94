import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRequestSchema } from '../../../shared/build';
import { PipelineError } from '../../../shared/errors';
import { SyntheticComponentPreparer } from '../../../infra/builders/synthetic';
import { sharedDistroTree } from '../../../infra/distro/distro-tree-cache';
import { DISTROS, writeTree } from '../../../testing/fixtures/distro-tree';
import { useTempDir } from '../../../testing/temp-dirs';

const request = (component: string) =>
  buildRequestSchema.parse({
    planId: 'plan-1',
    component,
    fingerprint: `sha256:${'cd'.repeat(32)}`,
    wave: 0,
    priority: 0,
    reasons: [],
    requestedAt: '2026-12-06T12:00:00Z',
  });

describe('the synthetic preparer', () => {
  const tree = writeTree({ 'azldev.toml': `${DISTROS}[components.zlib]\n[components.curl]\n` });
  const work = useTempDir('azl-synthetic-prep-');

  it("takes the process's cached tree: many builds, one load of the tree", async () => {
    const preparer = new SyntheticComponentPreparer(tree, work);
    const loadsBefore = sharedDistroTree(tree).loadCount;

    for (const component of ['zlib', 'curl', 'zlib', 'curl', 'zlib']) {
      const prepared = await preparer.prepare(request(component));
      expect(readFileSync(join(prepared.sourceDir, prepared.specFile), 'utf8')).toContain(component);
      await prepared.release();
      expect(existsSync(prepared.sourceDir)).toBe(false);
    }

    expect(sharedDistroTree(tree).loadCount - loadsBefore).toBe(1);
  });

  it('fails a component the tree does not have, as the real preparer does', async () => {
    const preparer = new SyntheticComponentPreparer(tree, work);
    const error = await preparer.prepare(request('openssl')).catch((caught: unknown) => caught);
    expect(PipelineError.is(error, 'distro.unknown-component')).toBe(true);
  });
});
