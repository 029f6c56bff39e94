import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Nevra } from '../../shared/rpm/nevra';
import { parseNevraLine } from '../../shared/rpm/nevra';
import { describeError, PipelineError } from '../../shared/errors';

const run = promisify(execFile);
const QUERY = '%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n';

/** The NEVRA of each package file, read from its header with `rpm -qp` (in the order given). */
export async function readNevras(paths: readonly string[], rpmPath = 'rpm'): Promise<Nevra[]> {
  if (paths.length === 0) return [];
  let stdout: string;
  try {
    ({ stdout } = await run(rpmPath, ['-qp', '--nosignature', '--qf', QUERY, ...paths], {
      encoding: 'utf8',
    }));
  } catch (error) {
    throw PipelineError.permanent('build.unreadable-package', `rpm -qp failed: ${describeError(error)}`, {
      file: paths.join(' '),
    });
  }
  const lines = stdout.split('\n').filter((line) => line !== '');
  return lines.map((line, index) => {
    const nevra = parseNevraLine(line);
    if (!nevra) {
      throw PipelineError.permanent('build.unreadable-package', `rpm -qp printed ${JSON.stringify(line)}`, {
        file: paths[index] ?? '',
      });
    }
    return nevra;
  });
}
