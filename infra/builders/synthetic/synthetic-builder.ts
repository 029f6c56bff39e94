import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Builder, BuildInput, BuildOutcome, BuiltFile } from '../../../shared/build/builder';
import { describeError } from '../../../shared/errors';
import { generateRpm } from '../../../shared/rpm';
import type { SyntheticBuilderSettings } from '../../../shared/settings/builder';
import { syntheticBuildFails } from './synthetic-failure';
import { readSyntheticSpec } from './synthetic-spec';

/** The machine architecture of the synthetic binary packages (the repositories' default arch). */
const BUILD_ARCH = 'x86_64';

/**
 * Builds nothing: after `buildMs` it writes one binary RPM and one source RPM for the NEVR its spec names
 * (see synthetic-spec.ts), with the project's RPM writer, into `workDir` — or fails the build with
 * `build.synthetic-failure` when `syntheticBuildFails` says so. Everything around it (records, artifacts,
 * publish requests, events) is the build worker's real code path. For tests and benchmarks only: the
 * settings refuse it unless `AZL_ALLOW_SYNTHETIC_BUILDER=1`.
 *
 * The packages' contents depend only on the spec (build time: none, 0), so the same request gives the same
 * bytes; a request of a later plan has a later release (the preparer's choice), hence new contents.
 */
export class SyntheticBuilder implements Builder {
  readonly name = 'synthetic';

  constructor(private readonly settings: Pick<SyntheticBuilderSettings, 'buildMs' | 'failureRate'>) {}

  async build(input: BuildInput): Promise<BuildOutcome> {
    await mkdir(input.workDir, { recursive: true });
    const logPath = join(input.workDir, 'build.log');
    const log: string[] = [`synthetic build of ${input.component} at ${input.fingerprint}`];
    const fail = async (
      message: string,
      code: 'build.spec-error' | 'build.synthetic-failure' | 'build.cancelled',
    ) => {
      log.push(message);
      await writeFile(logPath, `${log.join('\n')}\n`);
      return {
        state: 'failed' as const,
        code,
        retryable: code === 'build.cancelled',
        message,
        logPath,
        logExcerpt: log.join('\n'),
      };
    };
    try {
      if (this.settings.buildMs > 0)
        await sleep(this.settings.buildMs, undefined, input.signal ? { signal: input.signal } : {});
    } catch {
      return fail('the build was cancelled', 'build.cancelled');
    }
    if (syntheticBuildFails(input.component, input.fingerprint, this.settings.failureRate)) {
      return fail(`failed on purpose (failure rate ${this.settings.failureRate})`, 'build.synthetic-failure');
    }
    let specText: string;
    try {
      specText = await readFile(join(input.sourceDir, input.specFile), 'utf8');
    } catch (error) {
      return fail(`cannot read ${input.specFile}: ${describeError(error)}`, 'build.spec-error');
    }
    const spec = readSyntheticSpec(specText, input.macros);
    if (!spec)
      return fail(`${input.specFile} names no literal Name, Version and Release`, 'build.spec-error');
    const nvr = `${spec.name}-${spec.version}-${spec.release}`;
    const arch = spec.buildArch ?? BUILD_ARCH;
    const common = { name: spec.name, version: spec.version, release: spec.release, buildTime: 0 };
    const files: BuiltFile[] = [
      await write(join(input.workDir, 'SRPMS', `${nvr}.src.rpm`), 'srpm', {
        ...common,
        arch: BUILD_ARCH,
        source: true,
      }),
      await write(join(input.workDir, 'RPMS', arch, `${nvr}.${arch}.rpm`), 'rpm', {
        ...common,
        arch,
        files: [`/usr/share/${spec.name}/synthetic`],
      }),
    ];
    log.push(...files.map((file) => `wrote ${file.path}`));
    await writeFile(logPath, `${log.join('\n')}\n`);
    return { state: 'succeeded', files: [...files, { path: logPath, kind: 'log' }], logPath };
  }
}

async function write(
  path: string,
  kind: BuiltFile['kind'],
  pkg: Parameters<typeof generateRpm>[0],
): Promise<BuiltFile> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, generateRpm(pkg));
  return { path, kind };
}
