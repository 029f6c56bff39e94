import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../testing/pipeline/cli-process';
import { tempCopyOf, tempDirForTest } from '../../testing/temp-dirs';
import { fixturePath } from '../../testing/fixtures/fixture-path';

const fixtures = fixturePath('overlays');
const tempDir = (): string => tempDirForTest('azl-overlays-');

async function apply(overlays: string, component: string, out: string, upstreamName = component) {
  const upstream = join(fixtures, 'upstream', upstreamName);
  const run = runCli([
    'overlays',
    'apply',
    '--overlays',
    overlays,
    '--component',
    component,
    '--upstream',
    upstream,
    '--out',
    out,
  ]);
  return { code: await run.exited, output: run.output() };
}

describe('azl-rebuilder overlays apply', () => {
  it("with --config renders from the distro tree's effective config, as from the component file alone", async () => {
    // The fixture tree holds the comp.toml files but not the overlay sources: add cloud-init's patch to a copy.
    const tree = tempCopyOf(fixturePath('azurelinux'), 'azl-overlays-');
    const patch = 'fix-avoid-incorrect-CPE-parsing-on-Azure-Linux.patch';
    cpSync(
      join(fixtures, 'components', 'cloud-init', patch),
      join(tree, 'base', 'comps', 'cloud-init', patch),
    );
    const fromTree = tempDir();
    const run = runCli([
      'overlays',
      'apply',
      '--config',
      tree,
      '--component',
      'cloud-init',
      '--upstream',
      join(fixtures, 'upstream', 'cloud-init'),
      '--out',
      fromTree,
    ]);
    expect(await run.exited).toBe(0);
    const fromFile = tempDir();
    const toml = join(fixtures, 'components', 'cloud-init', 'cloud-init.comp.toml');
    expect((await apply(toml, 'cloud-init', fromFile)).code).toBe(0);
    const spec = readFileSync(join(fromTree, 'cloud-init.spec'), 'utf8');
    expect(spec).toContain('%py3_install -- --init-system=systemd --distro=fedora\n');
    expect(spec).toBe(readFileSync(join(fromFile, 'cloud-init.spec'), 'utf8'));
  });

  it('with --config, an unknown component is a clear error (exit 1)', async () => {
    const run = runCli([
      'overlays',
      'apply',
      '--config',
      fixturePath('azurelinux'),
      '--component',
      'no-such-component',
      '--upstream',
      join(fixtures, 'upstream', 'cloud-init'),
      '--out',
      tempDir(),
    ]);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('no-such-component');
  });

  it('renders cloud-init from its real comp.toml: patch added as Patch tag and file, %install edited', async () => {
    const out = tempDir();
    const toml = join(fixtures, 'components', 'cloud-init', 'cloud-init.comp.toml');
    const { code, output } = await apply(toml, 'cloud-init', out);
    expect(output).toContain('"spec":"cloud-init.spec"');
    expect(code).toBe(0);
    const spec = readFileSync(join(out, 'cloud-init.spec'), 'utf8');
    expect(spec.startsWith('# This spec file has been modified by azldev')).toBe(true);
    expect(spec).toContain(
      'BuildRequires:  python3-pytest\n%endif\n\nPatch: fix-avoid-incorrect-CPE-parsing-on-Azure-Linux.patch\n%description',
    );
    expect(spec).toContain('%py3_install -- --init-system=systemd --distro=fedora\n');
    expect(readFileSync(join(out, 'fix-avoid-incorrect-CPE-parsing-on-Azure-Linux.patch'), 'utf8')).toContain(
      'CPE',
    );
  });

  it('renders azurelinux-rpm-config from redhat-rpm-config (upstream-name, inline overlays, file overlays)', async () => {
    const out = tempDir();
    const toml = join(fixtures, 'components', 'azurelinux-rpm-config', 'azurelinux-rpm-config.comp.toml');
    const { code, output } = await apply(toml, 'azurelinux-rpm-config', out, 'redhat-rpm-config');
    expect(output).toContain('"spec":"azurelinux-rpm-config.spec"');
    expect(code).toBe(0);
    expect(existsSync(join(out, 'redhat-rpm-config.spec'))).toBe(false);
    const spec = readFileSync(join(out, 'azurelinux-rpm-config.spec'), 'utf8');
    expect(spec).toContain('Name: azurelinux-rpm-config\nVersion: 1004\nRelease: 2%{?dist}\n');
    expect(spec).toContain('%endif\n\nProvides: redhat-rpm-config = %{version}-%{release}\n');
    expect(spec).toContain('%install\nmkdir -p %{buildroot}/usr/lib/rpm\nln -sf redhat');
    expect(readFileSync(join(out, 'macros'), 'utf8')).toContain('%_vendor azurelinux\n');
    expect(readFileSync(join(out, 'macros.fedora-misc-srpm'), 'utf8')).toContain('swidtag/microsoft.com');
    expect(readFileSync(join(out, 'dist.sh'), 'utf8')).toContain('.azl4');
  });

  it('renders kernel from its real comp.toml: macros file from build defines, Source tags, %prep block', async () => {
    const out = tempDir();
    const toml = join(fixtures, 'components', 'kernel', 'kernel.comp.toml');
    const { code, output } = await apply(toml, 'kernel', out);
    expect(output).toContain('"spec":"kernel.spec"');
    expect(code).toBe(0);
    expect(readFileSync(join(out, 'kernel.azl.macros'), 'utf8')).toBe(
      '# Macros file automatically generated by azldev.\n# Do not edit manually; changes will be overwritten.\n' +
        '%_without_debug 1\n%azl_pkgrelease 8\n%azurelinux_version 3\n%kextraversion 1\n',
    );
    const spec = readFileSync(join(out, 'kernel.spec'), 'utf8');
    expect(spec).toContain('\n%{load:%{_sourcedir}/kernel.azl.macros}\n');
    expect(spec).toContain('%define specrelease %{kextraversion}.%{azl_pkgrelease}%{?buildid}%{?dist}\n');
    expect(spec).toContain(
      'Source21: kernel-aarch64-fedora.config\nSource9999: kernel.azl.macros\nSource5000: 6.18-x86_64-azl.config\n',
    );
    expect(spec).toContain('\n# Patch1: patch-%{patchversion}-redhat.patch (disabled for AzureLinux)\n');
    expect(spec).toContain('./process_configs.sh $OPTS %{specrpmversion}\ncd ../..\n%endif\n%build\n');
    expect(readFileSync(join(out, '6.18-x86_64-azl.config'), 'utf8')).toContain('CONFIG_X86_64=y');
  });

  it('exits 3 on overlay drift, naming the overlay', async () => {
    const dir = tempDir();
    const file = join(dir, 'c.json');
    writeFileSync(
      file,
      JSON.stringify({ overlays: [{ type: 'spec-update-tag', tag: 'Epoch', value: '2' }] }),
    );
    const { code, output } = await apply(file, 'systemd', join(dir, 'out'));
    expect(code).toBe(3);
    expect(output).toContain('overlay #0 (spec-update-tag) no longer applies: tag "Epoch" not found in spec');
    expect(output).toContain('"code":"overlay.drift"');
  });

  it('exits 1 on an invalid overlay', async () => {
    const dir = tempDir();
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ overlays: [{ type: 'spec-add-tag', tag: 'Provides' }] }));
    const { code, output } = await apply(file, 'systemd', join(dir, 'out'));
    expect(code).toBe(1);
    expect(output).toContain('overlays.0.value');
  });
});
