import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { imageEntries, imageEntry } from '../../../shared/images/image-entry';
import { PipelineError } from '../../../shared/errors';
import { DISTROS, loadTree, writeTree } from '../../../testing/fixtures/distro-tree';

const written: string[] = [];
afterAll(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

/** A tree whose azldev.toml holds `images` (TOML text) after the minimal distro definition. */
function treeWith(images: string) {
  const dir = writeTree({ 'azldev.toml': `${DISTROS}\n${images}`, 'images/a.kiwi': '<image/>' });
  written.push(dir);
  return loadTree(dir);
}

describe('allow-missing on an image entry', () => {
  it('is carried as allowMissing, false when the entry does not say', () => {
    const tree = treeWith(`
[images.lenient]
definition = { type = "kiwi", path = "images/a.kiwi" }
allow-missing = true

[images.strict]
definition = { type = "kiwi", path = "images/a.kiwi" }

[images.said-no]
definition = { type = "kiwi", path = "images/a.kiwi" }
allow-missing = false
`);
    expect(imageEntries(tree).map((entry) => [entry.name, entry.allowMissing])).toEqual([
      ['lenient', true],
      ['said-no', false],
      ['strict', false],
    ]);
    expect(imageEntry(tree, 'lenient').config['allow-missing']).toBe(true);
  });

  it('must be a boolean', () => {
    let error: unknown;
    try {
      treeWith(`
[images.odd]
definition = { type = "kiwi", path = "images/a.kiwi" }
allow-missing = "yes"
`);
    } catch (caught) {
      error = caught;
    }
    expect(PipelineError.is(error)).toBe(true);
    expect(String((error as Error).message)).toContain('allow-missing');
  });
});
