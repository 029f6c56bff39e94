import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirForTest } from '../../testing/temp-dirs';

/**
 * scripts/push-builder-image.sh, the azd postprovision hook, run from a copy of the repository layout it
 * needs, with a stand-in `az` on PATH that records its arguments (no Azure here).
 */
const SCRIPT = join(__dirname, '..', '..', 'scripts', 'push-builder-image.sh');

function checkout(withTree: boolean): { root: string; calls: string } {
  const root = tempDirForTest('push-image-');
  mkdirSync(join(root, 'scripts'));
  copyFileSync(SCRIPT, join(root, 'scripts', 'push-builder-image.sh'));
  if (withTree) {
    mkdirSync(join(root, 'distro'));
    writeFileSync(join(root, 'distro', 'azldev.toml'), '');
  }
  const bin = join(root, 'bin');
  mkdirSync(bin);
  const calls = join(root, 'az-calls');
  writeFileSync(join(bin, 'az'), `#!/bin/sh\nprintf '%s\\n' "$PWD" "$@" > '${calls}'\n`);
  chmodSync(join(bin, 'az'), 0o755);
  return { root, calls };
}

function run(root: string, env: Record<string, string>) {
  return spawnSync('bash', [join(root, 'scripts', 'push-builder-image.sh')], {
    encoding: 'utf8',
    env: { PATH: `${join(root, 'bin')}:${process.env.PATH ?? ''}`, HOME: root, ...env },
  });
}

describe('scripts/push-builder-image.sh', () => {
  it('builds builder/Dockerfile with ACR Tasks in the environment registry, from the repository root', () => {
    const { root, calls } = checkout(true);
    const result = run(root, { AZURE_CONTAINER_REGISTRY_NAME: 'crabc' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual([
      root,
      'acr',
      'build',
      '--registry',
      'crabc',
      '--image',
      'azl-rebuilder-builder:latest',
      '--file',
      'builder/Dockerfile',
      '.',
    ]);
  });

  it('skips, with a warning and success, when there is no tree to build into the image', () => {
    const { root } = checkout(false);
    const result = run(root, { AZURE_CONTAINER_REGISTRY_NAME: 'crabc' });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/no distribution tree at distro\/.*not built/);
  });

  it('fails naming the missing registry setting, and skips when told to', () => {
    const { root } = checkout(true);
    const missing = run(root, {});
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('AZURE_CONTAINER_REGISTRY_NAME is not set');
    const skipped = run(root, { AZL_SKIP_BUILDER_IMAGE: '1' });
    expect(skipped.status).toBe(0);
    expect(skipped.stdout).toContain('skipped (AZL_SKIP_BUILDER_IMAGE=1)');
  });
});
