import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import { measureRpmHeader, readRpmPackage } from '../../../shared/rpm';
import { mulberry32 } from '../../../testing/seeded-random';
import { fixturePath } from '../../../testing/fixtures/fixture-path';

const bytes = new Uint8Array(
  readFileSync(fixturePath('repodata-example', 'packages', 'ovl-hello-1.0-1.fx1.noarch.rpm')),
);

/** Runs the reader; anything thrown must be a PipelineError with an rpm.* code and an offset. */
function outcome(input: Uint8Array): string {
  try {
    measureRpmHeader(input);
    readRpmPackage(input);
    return 'ok';
  } catch (error) {
    if (!PipelineError.is(error)) throw error;
    expect(error.code).toMatch(/^rpm\./);
    expect(typeof error.context.offset).toBe('number');
    return error.code;
  }
}

describe('readRpmPackage on damaged input', () => {
  it('names the truncation point for every prefix shorter than the header', () => {
    const end = readRpmPackage(bytes).layout.header.end;
    for (let length = 0; length < end; length += 7) {
      const error = (() => {
        try {
          readRpmPackage(bytes.subarray(0, length));
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(PipelineError.is(error, 'rpm.truncated')).toBe(true);
    }
  });

  it('rejects a wrong lead magic and a wrong header magic', () => {
    const lead = bytes.slice();
    lead[0] = 0;
    expect(outcome(lead)).toBe('rpm.bad-magic');
    const header = bytes.slice();
    header[4504] = 0;
    expect(outcome(header)).toBe('rpm.bad-magic');
  });

  it('throws nothing but PipelineError for 3,000 random bit flips and truncations', () => {
    const rand = mulberry32(7);
    const seen = new Set<string>();
    for (let round = 0; round < 3_000; round++) {
      const damaged = bytes.slice(0, 7261);
      const flips = 1 + Math.floor(rand() * 4);
      for (let i = 0; i < flips; i++) {
        const at = Math.floor(rand() * damaged.length);
        damaged[at] = (damaged[at] ?? 0) ^ (1 << Math.floor(rand() * 8));
      }
      const cut = rand() < 0.3 ? Math.floor(rand() * damaged.length) : damaged.length;
      seen.add(outcome(damaged.subarray(0, cut)));
    }
    expect(seen.has('rpm.truncated')).toBe(true);
    expect(seen.has('rpm.corrupt-header')).toBe(true);
  });
});
