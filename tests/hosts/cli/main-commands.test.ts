import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { chosenCommand, createProgram, LAZY_COMMANDS } from '../../../hosts/cli/main';

const noExitCode = () => undefined;
const named = (program: Command, name: string) => program.commands.find((command) => command.name() === name);
const subcommandNames = (command: Command | undefined) => command?.commands.map((sub) => sub.name()) ?? [];

describe('the CLI program with lazily loaded commands', () => {
  it('lists in --help exactly what the program with every command module loaded lists', async () => {
    const declared = await createProgram([], noExitCode);
    const loaded = await createProgram([], noExitCode, 'all');
    expect(declared.helpInformation()).toBe(loaded.helpInformation());
    for (const { name } of LAZY_COMMANDS) expect(named(declared, name)?.description()).toBeTruthy();
  });

  it('declares every lazy command under the name its module registers', async () => {
    const loaded = await createProgram([], noExitCode, 'all');
    const names = loaded.commands.map((command) => command.name());
    expect(names).toEqual(['start', ...LAZY_COMMANDS.map((command) => command.name), 'bridge', 'worker']);
  });

  it('registers the named command from its module and only declares the others', async () => {
    const program = await createProgram(['--log-level', 'debug', 'config', 'check', 'x'], noExitCode);
    expect(subcommandNames(named(program, 'config'))).toEqual(['check', 'show']);
    expect(subcommandNames(named(program, 'repo'))).toEqual([]);
    expect(named(program, 'plan')?.registeredArguments).toEqual([]);

    const repo = await createProgram(['help', 'repo'], noExitCode);
    expect(subcommandNames(named(repo, 'repo'))).toEqual(['index', 'publish']);
    expect(subcommandNames(named(repo, 'config'))).toEqual([]);
  });
});

describe('--version', () => {
  it("is the program's only without a command: after one it is that command's (image publish --version <v>)", async () => {
    const versionOption = (program: Command) => program.options.find((option) => option.long === '--version');
    expect(versionOption(await createProgram(['--version'], noExitCode))?.short).toBe('-V');
    const publish = await createProgram(['image', 'publish', '--version', '2026.1', 'disk.vhd'], noExitCode);
    expect(versionOption(publish)).toBeUndefined();
    const image = named(publish, 'image');
    expect(versionOption(image!.commands.find((command) => command.name() === 'publish')!)?.required).toBe(
      true,
    );
  });
});

describe('chosenCommand', () => {
  it('finds the first operand, skipping the options and the values of those that take one', async () => {
    const program = await createProgram([], noExitCode);
    const cases: [string[], string | undefined][] = [
      [['config', 'check', 'dir'], 'config'],
      [['--log-level', 'debug', 'repo', 'index', 'dir'], 'repo'],
      [['--progress-interval', '0', '--no-progress', 'replay', 'a.json'], 'replay'],
      [['--log-level=warn', 'build'], 'build'],
      [['help', 'plan'], 'plan'],
      [['help'], undefined],
      [['--version'], undefined],
      [['--help'], undefined],
      [[], undefined],
      [['--', 'config'], undefined],
    ];
    for (const [argv, expected] of cases) expect(chosenCommand(program, argv), argv.join(' ')).toBe(expected);
  });
});
