import type { Command } from 'commander';
import { resolve } from 'node:path';
import { resolveComponent } from '../../shared/distro/effective';
import { fingerprintComponent } from '../../shared/distro/fingerprint';
import { loadDistroTree } from '../../shared/distro/load';
import { summarizeTree } from '../../shared/distro/summary';
import { resolveSpecOrigin } from '../../shared/distro/upstream';
import { describeError, PipelineError } from '../../shared/errors';
import { FsDistroFiles } from '../distro/fs-distro-files';

/**
 * `azl-rebuilder config check <dir>`: loads the tree at `<dir>/azldev.toml`, resolves every component, and
 * prints the counts as one JSON object. `azl-rebuilder config show <dir> <component>`: prints the component's
 * effective config, spec origin and fingerprint as JSON.
 * On failure both print `{"error":{code,message,...context}}` on stdout and a one-line reason on stderr, and
 * exit 1 (an unknown component is `distro.unknown-component`).
 */
export function registerConfigCommand(program: Command, setExitCode: (code: number) => void): void {
  const config = program
    .command('config')
    .description('Azure Linux style distro configuration (azldev.toml)');
  config
    .command('check')
    .description('load and validate a distro tree; print its counts as JSON')
    .argument('<dir>', 'the directory holding azldev.toml')
    .action(async (dir: string) => setExitCode(await run('check', () => summarizeTree(load(dir)))));
  config
    .command('show')
    .description("print a component's effective config and fingerprint as JSON")
    .argument('<dir>', 'the directory holding azldev.toml')
    .argument('<component>', 'the component name')
    .action(async (dir: string, name: string) =>
      setExitCode(
        await run('show', () => {
          const files = new FsDistroFiles();
          const tree = loadDistroTree(files, resolve(dir));
          const component = resolveComponent(tree, name);
          const { fingerprint } = fingerprintComponent(tree, files, component);
          return {
            component: component.name,
            file: component.file,
            distro: component.distro ?? null,
            groups: component.groups,
            origin: resolveSpecOrigin(tree, component),
            config: component.config,
            fingerprint,
          };
        }),
      ),
    );
}

const load = (dir: string) => loadDistroTree(new FsDistroFiles(), resolve(dir));

async function run(name: string, produce: () => unknown): Promise<number> {
  try {
    await write(process.stdout, `${JSON.stringify(produce(), null, 2)}\n`);
    return 0;
  } catch (error) {
    const details = PipelineError.is(error)
      ? { code: error.code, message: error.message, ...error.context }
      : { code: 'internal', message: describeError(error) };
    await write(process.stdout, `${JSON.stringify({ error: details }, null, 2)}\n`);
    await write(process.stderr, `azl-rebuilder config ${name}: ${details.code}: ${details.message}\n`);
    return 1;
  }
}

/** Writes and waits until the stream took the data, so exiting right after loses nothing. */
const write = (stream: NodeJS.WritableStream, text: string): Promise<void> =>
  new Promise((done, fail) => stream.write(text, (error) => (error ? fail(error) : done())));
