import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runKiwiBuild } from '../../../infra/images/kiwi-run';
import { imageJobRequestSchema } from '../../../shared/images/image-job-request';
import { failure } from '../../../testing/failures';
import { tempDirForTest } from '../../../testing/temp-dirs';

/**
 * runKiwiBuild against a stand-in `kiwi-ng` (a shell script): it records the arguments it was given and does
 * what the test asks (write a VHD and the image root, fail with output, write nothing), so the run, the
 * result paths and the failures are real process behaviour without kiwi-ng installed.
 */
const request = imageJobRequestSchema.parse({
  image: 'vm-base',
  version: '4.0.7',
  arch: 'x86_64',
  fingerprint: `sha256:${'77'.repeat(32)}`,
  repositories: [
    { repository: 'base/x86_64', revision: 5, baseUrl: 'http://127.0.0.1:10000/repos/base/x86_64/' },
  ],
  output: { container: 'images', vhdBlobName: 'vm-base/4.0.7/vm-base-4.0.7.vhd' },
});

function fakeKiwi(root: string, body: string): string {
  const file = join(root, 'kiwi-ng');
  writeFileSync(
    file,
    `#!/bin/bash\nprintf '%s\\n' "$@" > "${join(root, 'argv')}"\n# --target-dir's value\nwhile [ "$1" != --target-dir ]; do shift; done; target="$2"\n${body}\n`,
  );
  chmodSync(file, 0o755);
  return file;
}

function setup(body: string) {
  const root = tempDirForTest('kiwi-run-');
  const description = join(root, 'distro', 'base', 'images', 'vm-base');
  mkdirSync(description, { recursive: true });
  const targetDir = join(root, 'out');
  mkdirSync(targetDir);
  return {
    root,
    targetDir,
    options: {
      request,
      descriptionFile: join(description, 'vm-base.kiwi'),
      targetDir,
      kiwiExecutable: fakeKiwi(root, body),
    },
    argv: () => readFileSync(join(root, 'argv'), 'utf8').trimEnd().split('\n'),
  };
}

describe('runKiwiBuild', () => {
  test("runs kiwi-ng on the description's folder with the pipeline's repositories and finds its VHD", async () => {
    const { options, targetDir, argv } = setup(
      'mkdir -p "$target/build/image-root"; echo building; head -c 1024 /dev/zero > "$target/vm-base.x86_64-4.0.7.vhd"',
    );
    const output: string[] = [];
    const result = await runKiwiBuild({ ...options, onOutput: (chunk) => output.push(chunk) });
    expect(result.vhdFile).toBe(join(targetDir, 'vm-base.x86_64-4.0.7.vhd'));
    expect(result.imageRoot).toBe(join(targetDir, 'build', 'image-root'));
    expect(argv()).toEqual([
      'system',
      'build',
      '--description',
      join(options.descriptionFile, '..'),
      '--target-dir',
      targetDir,
      '--ignore-repos',
      '--add-repo',
      'http://127.0.0.1:10000/repos/base/x86_64/,rpm-md,azl-base-x86_64,1',
    ]);
    expect(result.command.slice(1)).toEqual(argv());
    expect(output.join('')).toContain('building');
  });

  test('a kiwi-ng that exits non-zero is image.kiwi-failed carrying its last output', async () => {
    const { options } = setup('echo "[ ERROR ]: Package zlib-ng not found" >&2; exit 1');
    const error = await failure(runKiwiBuild(options));
    expect([error.code, error.retryable, error.context.exitCode]).toEqual(['image.kiwi-failed', false, 1]);
    expect(error.message).toMatch(/exited 1; its last output:\n\[ ERROR \]: Package zlib-ng not found$/);
  });

  test('a kiwi-ng that cannot start is image.kiwi-failed', async () => {
    const { options, root } = setup('exit 0');
    const error = await failure(runKiwiBuild({ ...options, kiwiExecutable: join(root, 'no-such-kiwi') }));
    expect(error.code).toBe('image.kiwi-failed');
    expect(error.message).toMatch(/could not start: .*ENOENT/);
  });

  test('a kiwi-ng that succeeds without one VHD is image.kiwi-output-missing', async () => {
    const none = setup('exit 0');
    expect((await failure(runKiwiBuild(none.options))).message).toMatch(/left no \.vhd/);
    const two = setup('touch "$target/a.vhd" "$target/b.vhd"');
    const error = await failure(runKiwiBuild(two.options));
    expect([error.code, error.context.vhdFiles]).toEqual(['image.kiwi-output-missing', 2]);
  });
});
