import { describe, expect, test } from 'vitest';
import { generateRpm } from '../../../testing/rpm/rpm-generator';
import { PipelineError } from '../../../shared/errors';
import { readPackageHeader } from '../../../shared/publishing/header-reader';
import { measureRpmHeader } from '../../../shared/rpm';

/** A ranged reader over bytes that records every range asked for. */
function rangedReader(bytes: Buffer) {
  const reads: [number, number][] = [];
  const read = (offset: number, count: number) => {
    reads.push([offset, count]);
    return Promise.resolve(bytes.subarray(offset, offset + count));
  };
  return { reads, read };
}

const place = { repository: 'base/x86_64', href: 'Packages/b/big.rpm' };

describe('reading an RPM header by ranged reads', () => {
  test('a header larger than the first read takes exactly one more read, ending at the header end', async () => {
    const files = Array.from({ length: 4000 }, (_, i) => `/usr/share/big/data-file-number-${i}.txt`);
    const bytes = generateRpm({ name: 'big', version: '1', release: '1', files });
    const { reads, read } = rangedReader(bytes);
    const pkg = await readPackageHeader(read, place);
    expect(pkg.name).toBe('big');
    expect(pkg.files).toHaveLength(4000);
    const measured = measureRpmHeader(bytes);
    if (!measured.complete) throw new Error('fixture incomplete');
    expect(measured.layout.header.end).toBeGreaterThan(64 * 1024);
    expect(reads).toHaveLength(2);
    const [offset, count] = reads[1] ?? [0, 0];
    expect(offset).toBe(64 * 1024);
    expect(offset + count).toBe(measured.layout.header.end);
  });

  test('a small package needs one read', async () => {
    const { reads, read } = rangedReader(generateRpm({ name: 'small', version: '1', release: '1' }));
    expect((await readPackageHeader(read, place)).name).toBe('small');
    expect(reads).toHaveLength(1);
  });

  test('a blob that ends inside its header is rpm.truncated naming it', async () => {
    const files = Array.from({ length: 4000 }, (_, i) => `/usr/share/big/f${i}`);
    const bytes = generateRpm({ name: 'big', version: '1', release: '1', files }).subarray(0, 70_000);
    const error = await readPackageHeader(rangedReader(bytes).read, place).catch((e: unknown) => e);
    expect(PipelineError.is(error, 'rpm.truncated')).toBe(true);
    expect((error as PipelineError).context.href).toBe(place.href);
  });
});
