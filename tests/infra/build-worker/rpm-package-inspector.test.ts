import { copyFileSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RpmPackageInspector } from '../../../infra/build-worker/rpm-package-inspector';
import { contentDigest } from '../../../shared/build/content-digest';
import { PipelineError } from '../../../shared/errors';
import { generateRpm, measureRpmHeader, readRpmPackage } from '../../../shared/rpm';
import { useTempDir } from '../../../testing/temp-dirs';

const fixtureDir = join(__dirname, '../../fixtures/repodata-example/packages');
const root = useTempDir('azl-inspector-');

describe('RpmPackageInspector', () => {
  test("reads rpmbuild's packages to the same NEVRAs and content digest as reading them whole", async () => {
    const paths = readdirSync(fixtureDir).map((name) => join(fixtureDir, name));
    const inspected = await new RpmPackageInspector().inspect(paths);
    const whole = paths.map((path) => readRpmPackage(readFileSync(path)));
    expect(inspected.nevras).toEqual([
      'ovl-hello-1.0-1.fx1.noarch',
      'ovl-lib-2:3.1.4-7.fx1.noarch',
      'ovl-tool-0.2-3.fx1.noarch',
    ]);
    expect(inspected.contentDigest).toBe(contentDigest(whole));
    expect(inspected.packages.map((p) => [p.name, p.arch, p.isSource])).toEqual([
      ['ovl-hello', 'noarch', false],
      ['ovl-lib', 'noarch', false],
      ['ovl-tool', 'noarch', false],
    ]);
  });

  test('reads only the header: a package whose payload is 3 GiB (a sparse file) is inspected', async () => {
    // Larger than one read of 64 KiB, so the header takes a second read; readFile refuses files over 2 GiB.
    const files = Array.from({ length: 4000 }, (_, i) => `/usr/share/big/data-file-number-${i}.txt`);
    const bytes = generateRpm({ name: 'big', version: '1', release: '1', files });
    const measured = measureRpmHeader(bytes);
    if (!measured.complete) throw new Error('fixture incomplete');
    expect(measured.layout.header.end).toBeGreaterThan(64 * 1024);
    const path = join(root, 'big-1-1.x86_64.rpm');
    writeFileSync(path, bytes);
    truncateSync(path, 3 * 2 ** 30);

    const inspected = await new RpmPackageInspector().inspect([path]);
    expect(inspected.nevras).toEqual(['big-1-1.x86_64']);
    expect(inspected.contentDigest).toBe(contentDigest([readRpmPackage(bytes)]));
  });

  test('a package that ends inside its header fails as rpm.truncated, naming the file', async () => {
    const [first] = readdirSync(fixtureDir);
    const path = join(root, 'cut.rpm');
    copyFileSync(join(fixtureDir, first ?? ''), path);
    truncateSync(path, 2000);
    const failure = await new RpmPackageInspector().inspect([path]).catch((error: unknown) => error);
    expect(PipelineError.is(failure, 'rpm.truncated')).toBe(true);
    expect((failure as PipelineError).context).toMatchObject({ href: path });
  });
});
