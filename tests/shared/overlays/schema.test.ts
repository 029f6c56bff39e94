import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { overlaySchema } from '../../../shared/overlays';
import { fixtures } from './support';

describe('overlaySchema', () => {
  it('accepts every overlay of the Azure Linux 4.0 fixture components', () => {
    const all = JSON.parse(readFileSync(join(fixtures, 'azurelinux-overlays.json'), 'utf8')) as Record<
      string,
      { overlays: unknown[] }
    >;
    const overlays = Object.values(all).flatMap((c) => c.overlays);
    expect(overlays.length).toBeGreaterThan(100);
    for (const overlay of overlays) expect(overlaySchema.safeParse(overlay).error).toBeUndefined();
  });

  it.each([
    [{ type: 'spec-add-tag', tag: 'Provides' }, 'value'],
    [{ type: 'spec-add-tag', tag: 'Provides', value: 'x', section: '%files' }, 'section'],
    [{ type: 'spec-append-lines', lines: [] }, 'lines'],
    [{ type: 'spec-remove-section' }, 'section'],
    [{ type: 'spec-remove-subpackage', package: 'x', section: '%files' }, 'section'],
    [{ type: 'patch-add', source: '/etc/passwd' }, 'source'],
    [{ type: 'file-add', file: 'x.spec', source: 'x.spec' }, 'file'],
    [{ type: 'file-rename', file: 'a', replacement: 'dir/b' }, 'replacement'],
    [{ type: 'spec-frobnicate' }, 'type'],
    [{ type: 'spec-search-replace', regex: '(?<=a)b' }, 'regex'],
    [{ type: 'file-search-replace', file: 'x', regex: '(' }, 'regex'],
    [{ type: 'spec-search-replace', regex: 'a', package: 'devel' }, 'package'],
    [{ type: 'spec-append-lines', lines: ['x'], package: 'devel' }, 'package'],
  ])('refuses %j (field %s)', (overlay, field) => {
    const result = overlaySchema.safeParse(overlay);
    expect(result.success).toBe(false);
    const paths = result.error?.issues.flatMap((i) => [...i.path, ...('keys' in i ? i.keys : [])]);
    expect(paths).toContain(field);
  });
});
