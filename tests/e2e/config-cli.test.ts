import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../testing/pipeline/cli-process';
import { fixturePath } from '../../testing/fixtures/fixture-path';

// `azl-rebuilder config check|show` run as a user runs it: the built CLI (`npm run build`) in a real process.

const fixture = fixturePath('azurelinux');

/** Runs the CLI; splits its output into the JSON document (stdout) and the trailing stderr line, if any. */
async function config(
  args: readonly string[],
): Promise<{ code: number | null; json: unknown; stderr: string }> {
  const run = runCli(['config', ...args]);
  const code = await run.exited;
  const output = run.output();
  const end = output.lastIndexOf('\n}\n') + 3;
  return { code, json: JSON.parse(output.slice(0, end)) as unknown, stderr: output.slice(end) };
}

describe('azl-rebuilder config', () => {
  it('check prints the counts of the fixture tree', async () => {
    const { code, json } = await config(['check', fixture]);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      files: 54,
      components: 7426,
      componentsWithOverlays: 31,
      overlays: 123,
      componentGroups: 1,
      packageGroups: 1,
      images: 5,
    });
    const byType = (json as { overlaysByType: Record<string, number> }).overlaysByType;
    expect(Object.keys(byType)).toHaveLength(15);
    expect(Object.values(byType).reduce((a, b) => a + b, 0)).toBe(123);
  });

  it('check exits 1 with the code, message, file and line of an invalid tree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'azl-cli-'));
    writeFileSync(join(dir, 'azldev.toml'), '[components.a]\n\n[components.b]\nspecc = {}\n');
    const { code, json, stderr } = await config(['check', dir]);
    expect(code).toBe(1);
    expect(json).toEqual({
      error: {
        code: 'distro.unknown-key',
        message: `${join(dir, 'azldev.toml')}:4: unknown key "specc" in components.b`,
        file: join(dir, 'azldev.toml'),
        field: 'components.b.specc',
        key: 'specc',
        line: 4,
      },
    });
    expect(stderr).toContain('azl-rebuilder config check: distro.unknown-key');
  });

  it('check and show refuse the fixture tree with one overlay broken, naming where', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'azl-cli-'));
    cpSync(fixture, dir, { recursive: true });
    const file = join(dir, 'base/comps/javapackages-tools/javapackages-tools.comp.toml');
    const text = readFileSync(file, 'utf8');
    const broken = text.replace('section = "%description"\n', '');
    expect(broken).not.toBe(text);
    writeFileSync(file, broken);
    const expected = {
      code: 'distro.invalid-overlay',
      message:
        `${file}:18: component javapackages-tools: overlay 1 (Remove maven-local-openjdk21 %description section): ` +
        'overlay type `spec-remove-section` requires `section` field',
      file,
      line: 18,
      component: 'javapackages-tools',
      overlayIndex: 1,
      description: 'Remove maven-local-openjdk21 %description section',
      field: 'components.javapackages-tools.overlays.1.section',
    };
    const check = await config(['check', dir]);
    expect(check.code).toBe(1);
    expect(check.json).toEqual({ error: expected });
    expect(check.stderr).toContain('azl-rebuilder config check: distro.invalid-overlay');
    const show = await config(['show', dir, 'ImageMagick']);
    expect(show.code).toBe(1);
    expect(show.json).toEqual({ error: expected });
  });

  it('show prints the effective config, origin and fingerprint of a component', async () => {
    const { code, json } = await config(['show', fixture, 'ImageMagick']);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      component: 'ImageMagick',
      distro: { name: 'azurelinux', version: '4.0-stage2' },
      origin: {
        kind: 'upstream',
        branch: 'f43',
        commit: 'd19ffa4ff6561de088a5d92bfe95950591aa82f8',
        choice: 'pinned',
      },
      config: { release: { calculation: 'auto' } },
      fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    const again = await config(['show', fixture, 'ImageMagick']);
    expect((again.json as { fingerprint: string }).fingerprint).toBe(
      (json as { fingerprint: string }).fingerprint,
    );
  });

  it('show exits 1 with a clear message for an unknown component', async () => {
    const { code, json, stderr } = await config(['show', fixture, 'no-such-thing']);
    expect(code).toBe(1);
    expect(json).toMatchObject({ error: { code: 'distro.unknown-component', component: 'no-such-thing' } });
    expect(stderr).toContain('no component named no-such-thing');
  });
});
