import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadDistroTree } from '../../shared/distro/load';
import { summarizeTree } from '../../shared/distro/summary';
import { componentView } from '../../shared/distro/component-view';
import { FsDistroFiles } from '../../infra/distro/fs-distro-files';
import { runJsonCommand } from './json-output';

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
      setExitCode(await run('show', () => componentView(load(dir), new FsDistroFiles(), name))),
    );
}

const load = (dir: string) => loadDistroTree(new FsDistroFiles(), resolve(dir));

const run = (name: string, produce: () => unknown): Promise<number> =>
  runJsonCommand(`config ${name}`, produce);
