import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { runPublish } from '../../../hosts/cli/repo-publish-run';
import { packageHref } from '../../../shared/publishing';
import { reposContainer } from '../../../shared/storage';
import { useTwoAccountAzurite } from '../../../testing/azurite-accounts';
import { generateRpm } from '../../../testing/rpm/rpm-generator';
import { readRepository } from '../../../testing/rpm/published-repository';
import { useTempDir } from '../../../testing/temp-dirs';
import { RecordingProgress } from '../../../testing/fakes/recording-progress';

/**
 * `repo publish --storage <main> --publishing-storage <publishing>`: the artifacts go to the main account,
 * the repository to the publishing one. Run in process (the e2e suite runs the built CLI for one account).
 */
const accounts = useTwoAccountAzurite();
const work = useTempDir('azl-cli-accounts-');

afterEach(() => {
  vi.restoreAllMocks();
});

/** What `runPublish` printed on stdout, and its exit code. */
async function publish(
  files: string[],
  options: Parameters<typeof runPublish>[1],
  progress?: Parameters<typeof runPublish>[2],
) {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string, done?: () => void) => {
    out += chunk;
    done?.();
    return true;
  }) as typeof process.stdout.write);
  const code = await runPublish(files, options, progress);
  return { code, out };
}

test('publishes into the publishing account, with the artifacts in the main one', async () => {
  const { main, publishing } = accounts();
  const bytes = generateRpm({ name: 'delta', version: '4.0', release: '1.azl4', arch: 'x86_64' });
  const file = join(work, 'delta-4.0-1.azl4.x86_64.rpm');
  writeFileSync(file, bytes);
  const { code, out } = await publish([file], {
    repo: 'base/x86_64',
    storage: main.connectionString,
    publishingStorage: publishing.connectionString,
  });
  expect(code, out).toBe(0);
  const summary = JSON.parse(out) as { baseUrl: string; repoFile: string };
  expect(summary.baseUrl).toBe(`${publishing.blobs.url(reposContainer.name)}/base/x86_64/`);
  expect(summary.repoFile).toContain(`baseurl=${summary.baseUrl}`);
  expect((await readRepository(summary.baseUrl)).nevras).toEqual(['delta-0:4.0-1.azl4.x86_64']);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  expect(await main.blobs.head('artifacts', `cli/${sha256}/delta-4.0-1.azl4.x86_64.rpm`)).toBeDefined();
  const served = await fetch(`${summary.baseUrl}${packageHref('delta-4.0-1.azl4.x86_64.rpm', sha256)}`);
  expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
});

test('with --storage alone the repository stays in that account, whatever AZL_PUBLISHING_STORAGE says', async () => {
  const { main, publishing } = accounts();
  vi.stubEnv('AZL_PUBLISHING_STORAGE', publishing.connectionString);
  try {
    const file = join(work, 'epsilon-1.0-1.azl4.x86_64.rpm');
    writeFileSync(file, generateRpm({ name: 'epsilon', version: '1.0', release: '1.azl4' }));
    const { code, out } = await publish([file], { repo: 'extra/x86_64', storage: main.connectionString });
    expect(code, out).toBe(0);
    const { baseUrl } = JSON.parse(out) as { baseUrl: string };
    expect(baseUrl).toBe(`${main.blobs.url(reposContainer.name)}/extra/x86_64/`);
  } finally {
    vi.unstubAllEnvs();
  }
});

test('without --storage it reads AzureWebJobsStorage and AZL_PUBLISHING_STORAGE, naming a bad one', async () => {
  const { main, publishing } = accounts();
  vi.stubEnv('AzureWebJobsStorage', main.connectionString);
  vi.stubEnv('AZL_PUBLISHING_STORAGE', publishing.connectionString);
  try {
    const file = join(work, 'zeta-1.0-1.azl4.x86_64.rpm');
    writeFileSync(file, generateRpm({ name: 'zeta', version: '1.0', release: '1.azl4' }));
    const good = await publish([file], { repo: 'zeta/x86_64' });
    expect(good.code, good.out).toBe(0);
    expect((JSON.parse(good.out) as { baseUrl: string }).baseUrl).toBe(
      `${publishing.blobs.url(reposContainer.name)}/zeta/x86_64/`,
    );
    vi.stubEnv('AZL_PUBLISHING_STORAGE', 'AccountName=nokey');
    vi.spyOn(process.stderr, 'write').mockImplementation(((_chunk: string, done?: () => void) => {
      done?.();
      return true;
    }) as typeof process.stderr.write);
    const bad = await publish([file], { repo: 'zeta/x86_64' });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({
      error: { code: 'settings.invalid', setting: 'AZL_PUBLISHING_STORAGE' },
    });
  } finally {
    vi.unstubAllEnvs();
  }
});

test('reports each uploaded file as progress, finished before the summary', async () => {
  const { main } = accounts();
  const files = ['eta', 'theta'].map((name) => {
    const file = join(work, `${name}-1.0-1.azl4.x86_64.rpm`);
    writeFileSync(file, generateRpm({ name, version: '1.0', release: '1.azl4' }));
    return file;
  });
  const progress = new RecordingProgress();
  const { code, out } = await publish(
    files,
    { repo: 'progress/x86_64', storage: main.connectionString },
    progress,
  );
  expect(code, out).toBe(0);
  expect((JSON.parse(out) as { added: unknown[] }).added).toHaveLength(2);
  expect(progress.tasks).toEqual([{ total: 2, unit: 'RPMs uploaded', advances: [1, 1], finished: true }]);
});
