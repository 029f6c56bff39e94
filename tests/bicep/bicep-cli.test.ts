import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Runs the real, pinned Bicep CLI (scripts/install-bicep.sh, run by scripts/setup.sh, puts it in .tools/) through
// scripts/bicep.sh, the wrapper behind `npm run bicep:build` / `npm run bicep:lint` that fails on any warning.
const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'bicep', 'main.bicep');
const work = mkdtempSync(join(tmpdir(), 'bicep-cli-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function bicep(...args: string[]): Run {
  const run = spawnSync('bash', [join(ROOT, 'scripts', 'bicep.sh'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** "file(line,col) : Warning|Error CODE: message" lines, as the CLI prints them on stderr. */
function diagnostics(run: Run): { level: string; code: string }[] {
  return [...run.stderr.matchAll(/\) : (Warning|Error) ([\w-]+):/g)].map((match) => ({
    level: match[1] as string,
    code: match[2] as string,
  }));
}

describe('the Bicep CLI on bicep/main.bicep', () => {
  it('is installed (scripts/bicep-path.sh finds the pinned build)', () => {
    const run = spawnSync('bash', [join(ROOT, 'scripts', 'bicep-path.sh')], { encoding: 'utf8' });
    expect(run.stderr, 'run scripts/install-bicep.sh (scripts/setup.sh runs it)').toBe('');
    expect(run.status).toBe(0);
    const version = spawnSync(run.stdout.trim(), ['--version'], { encoding: 'utf8' });
    expect(version.stdout).toMatch(/^Bicep CLI version 0\.49\.2 /);
  });

  it('builds to an ARM template with no warnings or errors', () => {
    const run = bicep('build', MAIN, '--outdir', work);
    expect(diagnostics(run)).toEqual([]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const template = JSON.parse(readFileSync(join(work, 'main.json'), 'utf8')) as {
      parameters: Record<string, { minLength?: number }>;
      resources: { type: string }[] | Record<string, { type: string }>;
    };
    expect(template.parameters['environmentName']?.minLength).toBe(3);
    const types = Object.values(template.resources).map((resource) => resource.type);
    expect(types[0]).toBe('Microsoft.ManagedIdentity/userAssignedIdentities');
    expect(new Set(types.slice(1))).toEqual(new Set(['Microsoft.Resources/deployments'])); // the modules
  });

  it('lints clean under the strict bicepconfig.json', () => {
    const run = bicep('lint', MAIN);
    expect(diagnostics(run)).toEqual([]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('fails on a misspelled resource property, reporting the warning', () => {
    const dir = mkdtempSync(join(work, 'typo-'));
    const source = readFileSync(MAIN, 'utf8');
    expect(source).toContain('  location: location\n');
    writeFileSync(join(dir, 'main.bicep'), source.replace('  location: location\n', '  locaton: location\n'));
    copyFileSync(join(ROOT, 'bicepconfig.json'), join(dir, 'bicepconfig.json'));
    const run = bicep('lint', join(dir, 'main.bicep'));
    expect(diagnostics(run)).toEqual(
      expect.arrayContaining([
        { level: 'Warning', code: 'BCP035' },
        { level: 'Error', code: 'BCP089' },
      ]),
    );
    expect(run.status).not.toBe(0);
  });

  it('fails on a warning alone (bicep itself exits 0 for warnings)', () => {
    const dir = mkdtempSync(join(work, 'unused-'));
    cpSync(join(ROOT, 'bicep'), join(dir, 'bicep'), { recursive: true }); // main.bicep with its modules
    const source = readFileSync(MAIN, 'utf8');
    writeFileSync(join(dir, 'bicep', 'main.bicep'), `${source}\nparam unusedSetting string = 'x'\n`);
    copyFileSync(join(ROOT, 'bicepconfig.json'), join(dir, 'bicepconfig.json'));
    const run = bicep('lint', join(dir, 'bicep', 'main.bicep'));
    expect(diagnostics(run)).toEqual([{ level: 'Warning', code: 'no-unused-params' }]);
    expect(run.stderr).toContain('warnings count as failures');
    expect(run.status).toBe(1);
  });
});
