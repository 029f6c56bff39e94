import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAZY_COMMANDS } from '../../hosts/cli/main';
import { projectRoot } from '../../infra/os/project-paths';
import { runCli } from '../../testing/pipeline/cli-process';

const root = projectRoot();
const EVERY_COMMAND = ['start', ...LAZY_COMMANDS.map((command) => command.name), 'bridge', 'worker'];

async function cli(args: string[]): Promise<{ code: number | null; stdout: string; output: string }> {
  const run = runCli(args);
  const code = await run.exited;
  return { code, stdout: run.stdout(), output: run.output() };
}

/**
 * The modules the built CLI has loaded once `main(argv)` has registered and parsed, relative to the root (the
 * command's own output is dropped; the list is the only thing on stdout).
 */
function modulesLoadedBy(argv: string[]): string[] {
  const script = `
    const main = require(${JSON.stringify(join(root, 'dist', 'hosts', 'cli', 'main.js'))}).main;
    process.stdout.write = () => true;
    main(${JSON.stringify(argv)}).then(() => {
      require('node:fs').writeSync(1, JSON.stringify(Object.keys(require.cache)));
    });`;
  const stdout = execFileSync(process.execPath, ['-e', script], {
    cwd: root,
    encoding: 'utf8',
    stdio: 'pipe',
  });
  return (JSON.parse(stdout) as string[]).map((file) => file.replace(`${root}/`, ''));
}

describe('azl-rebuilder, quick commands (dist/)', () => {
  it('--version and -V print the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await cli([flag]);
      expect(run.code, run.output).toBe(0);
      expect(run.stdout).toBe(`${version}\n`);
    }
  });

  it('--help lists every command', async () => {
    const run = await cli(['--help']);
    expect(run.code, run.output).toBe(0);
    const listed = [...run.stdout.split('Commands:')[1]!.matchAll(/^ {2}(\S+)/gm)].map((match) => match[1]);
    expect(listed).toEqual([...EVERY_COMMAND, 'help']);
  });

  it("each lazily loaded command's own help comes from its module", async () => {
    for (const { name } of LAZY_COMMANDS) {
      const run = await cli([name, '--help']);
      expect(run.code, run.output).toBe(0);
      expect(run.stdout).toContain(`Usage: azl-rebuilder ${name} [options]`);
    }
    const repo = await cli(['help', 'repo']);
    expect(repo.stdout).toMatch(/^ {2}index \[options\] <dir>/m);
    expect(repo.stdout).toMatch(/^ {2}publish \[options\] <rpm\.\.\.>/m);
  });

  it('--version loads no command module and no zod; config check and repo index load their own modules only', () => {
    const forVersion = modulesLoadedBy(['--version']);
    expect(forVersion.filter((file) => file.endsWith('-command.js'))).toEqual([]);
    expect(forVersion.filter((file) => file.includes('node_modules/zod/'))).toEqual([]);

    const forConfig = modulesLoadedBy(['config', 'check', '--help']);
    expect(forConfig.filter((file) => file.endsWith('-command.js'))).toEqual([
      'dist/hosts/cli/config-command.js',
    ]);
    expect(forConfig.filter((file) => file.includes('node_modules/@azure/'))).toEqual([]);

    // `repo publish` is declared beside `repo index`, but its publisher and SDKs load only when it runs.
    const forRepo = modulesLoadedBy(['repo', 'index', '--help']);
    expect(forRepo).toContain('dist/hosts/cli/repo-publish-command.js');
    expect(
      forRepo.filter((file) => /node_modules\/@azure\/|repository-publisher|repo-publish-run/.test(file)),
    ).toEqual([]);
  });

  it('an unknown command is still a usage error with a suggestion', async () => {
    const run = await cli(['confg']);
    expect(run.code).toBe(2);
    expect(run.output).toContain('(Did you mean config?)');
  });
});
