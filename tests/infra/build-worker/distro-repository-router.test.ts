import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DistroRepositoryRouter } from '../../../infra/build-worker/distro-repository-router';
import { DISTRO_TREE_RECHECK_MS, sharedDistroTree } from '../../../infra/distro/distro-tree-cache';
import { DISTROS, writeTree } from '../../../testing/fixtures/distro-tree';

const pkg = {
  path: '/out/curl-8-1.x86_64.rpm',
  name: 'curl',
  arch: 'x86_64',
  isSource: false,
  nevra: 'curl-8-1.x86_64',
};
const tree = (channel: string) =>
  `${DISTROS}[components.curl]\n[components.curl.publish]\nchannel = "${channel}"\n`;
const dir = writeTree({ 'azldev.toml': tree('base') });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('DistroRepositoryRouter over the shared tree cache', () => {
  it('routes build after build from one load, and a changed channel routes the builds after the recheck', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const router = new DistroRepositoryRouter(dir);
      for (let i = 0; i < 5; i++) expect([...router.route('curl', [pkg]).keys()]).toEqual(['base/x86_64']);
      expect(sharedDistroTree(dir).loadCount).toBe(1);

      writeFileSync(join(dir, 'azldev.toml'), tree('extras-longer'));
      vi.advanceTimersByTime(DISTRO_TREE_RECHECK_MS); // the cache looks at the folder again after this long

      expect([...router.route('curl', [pkg]).keys()]).toEqual(['extras-longer/x86_64']);
      expect(sharedDistroTree(dir).loadCount).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
