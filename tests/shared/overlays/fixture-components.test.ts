import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsDistroFiles } from '../../../infra/distro/fs-distro-files';
import { effectiveComponentOverlays } from '../../../infra/overlays/component-file';
import { loadDistroTree, resolveComponent } from '../../../shared/distro';
import { renderComponent } from '../../../shared/overlays';
import { fixtures, upstream } from './support';
import { fixturePath } from '../../../testing/fixtures/fixture-path';

// The fixture distro tree, loaded once. It holds the comp.toml files but not the overlays' source files:
// those are supplied from tests/fixtures/overlays/components/<name>/.
const distro = loadDistroTree(new FsDistroFiles(), fixturePath('azurelinux'));

function sources(name: string): Map<string, string> {
  const dir = join(fixtures, 'components', name);
  if (!existsSync(dir)) return new Map();
  return new Map(
    readdirSync(dir)
      .filter((file) => !file.endsWith('.comp.toml'))
      .map((file) => [file, readFileSync(join(dir, file), 'utf8')]),
  );
}

/** Renders a fixture component's upstream folder with its effective overlays and build config. */
function render(name: string): { spec: string; files: ReadonlyMap<string, string>; count: number } {
  const effective = resolveComponent(distro, name);
  const config = effectiveComponentOverlays(effective.config, effective.file, name, dirname(effective.file));
  const out = renderComponent({
    component: name,
    ...(config.upstreamName === undefined ? {} : { upstreamName: config.upstreamName }),
    tree: { files: upstream(name), overlayFiles: sources(name) },
    overlays: config.overlays,
    build: config.build,
  });
  return { spec: out.files.get(out.specPath) ?? '', files: out.files, count: config.overlays.length };
}

const covered = [
  'anaconda',
  'apache-sshd',
  'edk2',
  'firewalld',
  'gcc',
  'golang-mongodb-mongo-driver',
  'grub2',
  'gt',
  'javapackages-tools',
  'kdump-utils',
  'kiwi',
  'libsoup3',
  'libspf2',
  'mesa',
  'mock-core-configs',
  'onnx',
  'opencv',
  'rpm',
  'rust-nix',
  'rust-vm-memory',
  'shim',
  'sssd',
  'unicode-ucd',
  'yggdrasil',
  'zbar',
];

const original = (name: string): string => upstream(name).get(`${name}.spec`) ?? '';

describe('fixture components rendered with their effective overlays', () => {
  it('gcc: disables Ada, Objective-C, Go, D, Modula-2, Cobol and the offload compilers', () => {
    const { spec, count } = render('gcc');
    expect(count).toBe(8);
    for (const flag of ['ada', 'objc', 'go', 'd', 'm2', 'cobol', 'offload_nvptx', 'offload_amdgcn']) {
      expect(spec).toContain(`%global build_${flag} 0\n`);
      expect(spec).not.toContain(`%global build_${flag} 1\n`);
    }
    expect(spec).toContain('%global build_libstdcxx_docs 1\n');
  });

  it('libsoup3: disables the mingw sub-packages', () => {
    const { spec } = render('libsoup3');
    expect(spec).toContain('%global with_mingw 0\n');
    expect(spec).not.toContain('%global with_mingw 1');
  });

  it('rpm: sets the vendor to azurelinux', () => {
    const { spec } = render('rpm');
    expect(spec).toContain('\t-DRPM_VENDOR=azurelinux \\\n');
    expect(spec).not.toContain('RPM_VENDOR=redhat');
  });

  it('gt: prepends -std=gnu89 to CFLAGS at the top of %build', () => {
    const { spec } = render('gt');
    expect(spec).toContain('%build\nexport CFLAGS="$CFLAGS -std=gnu89"\n%configure');
  });

  it('golang-mongodb-mongo-driver: adds the go-jmespath BuildRequires at the end of the preamble', () => {
    const { spec } = render('golang-mongodb-mongo-driver');
    expect(spec).toContain(
      'BuildRequires:  golang(github.com/klauspost/compress/zstd)\n\nBuildRequires: golang(github.com/jmespath/go-jmespath)\n%description\n',
    );
  });

  it('kiwi: drops Requires: dnf4 from systemdeps-core only', () => {
    const { spec } = render('kiwi');
    expect(spec).not.toContain('dnf4');
    expect(spec).toContain('Summary:        KIWI - Core host system dependencies\nRequires:       dnf5\n');
    expect(original('kiwi')).toContain('Requires:       dnf4\n');
    // kiwi is in the check-skip-initial-failures group: azldev puts exit 0 at the top of %check.
    expect(spec).toContain('%check\n');
    expect(spec).toMatch(/%check\n(#.*\n)?exit 0\n/);
  });

  it('unicode-ucd: installs Unihan.zip with mode 0644 and bumps Release', () => {
    const { spec } = render('unicode-ucd');
    expect(spec).toContain('install -m 0644 %{SOURCE1} %{buildroot}%{ucddir}\n');
    expect(spec).not.toContain('cp -p %{SOURCE1}');
    expect(spec).toContain('cp -p %{SOURCE2} .\n');
    expect(spec).toMatch(/^Release: +2%\{\?dist\}$/m);
  });

  it('javapackages-tools: drops the openjdk21 flavours and fixes the ivy-local and compat Requires', () => {
    const { spec } = render('javapackages-tools');
    expect(original('javapackages-tools')).toContain('%package -n maven-local-openjdk21\n');
    expect(spec).not.toMatch(/^%(package|description|files) -n (maven|javapackages)-local-openjdk21/m);
    expect(spec).toContain('%files -n maven-local-openjdk25\n');
    expect(spec).toContain('%package -n javapackages-local-openjdk25\n');
    expect(spec).toContain(
      '    --m2home=%{maven_home} \\\n    \\\n    --jvm=openjdk25=%{_jvmdir}/java-25-openjdk\n',
    );
    expect(spec).toContain(
      '%package -n ivy-local\nSummary:        Local mode for Apache Ivy\nRequires:       javapackages-local-openjdk25 = %{version}-%{release}\n',
    );
    expect(spec).toContain(
      'Summary:        Previously deprecated macros and scripts for Java packaging support\nRequires:       javapackages-tools = %{version}-%{release}\n',
    );
    expect(spec).not.toContain('Requires:       javapackages-local = ');
  });

  it('apache-sshd: adds the compiler-release patch, switches to %autosetup and drops %patch', () => {
    const { spec, files } = render('apache-sshd');
    expect(files.get('add-maven-compiler-release.patch')).toContain('+        <maven.compiler.release>');
    expect(spec).toMatch(/^Patch1: +add-maven-compiler-release\.patch$/m);
    expect(spec).toContain('%prep\n%autosetup -p1\n\n\n# Build the core modules only\n');
    expect(spec).not.toContain('%patch -P0');
    expect(spec).toContain(
      '%pom_remove_plugin :apache-rat-plugin\n\n%pom_remove_plugin :maven-remote-resources-plugin\n%build\n',
    );
  });

  it('rust-vm-memory: removes the +xen-devel sub-package', () => {
    const { spec } = render('rust-vm-memory');
    expect(spec).not.toContain('xen');
    expect(spec).toContain('%package     -n %{name}+default-devel\n');
    expect(spec).toContain('%files       -n %{name}+default-devel\n');
  });

  it('zbar: drops the GIR typelib and data from the gtk sub-packages', () => {
    const { spec } = render('zbar');
    expect(spec).not.toContain('girepository-1.0');
    expect(spec).not.toContain('gir-1.0/');
    expect(spec).toContain('%files gtk\n%{_libdir}/libzbargtk.so.0*\n');
    expect(spec).toContain('%{_includedir}/zbar/zbargtk.h\n');
  });

  it('mesa: swaps rust-toolset for cargo-rpm-macros, with rhel and with_va defined', () => {
    const { spec, files } = render('mesa');
    expect(spec).not.toContain('rust-toolset');
    expect(spec).toMatch(/^BuildRequires: cargo-rpm-macros\n%description\n/m);
    expect(files.get('mesa.azl.macros')).toContain('%rhel 10\n');
    expect(files.get('mesa.azl.macros')).toContain('%with_va 1\n');
  });

  it('anaconda: drops the flatpak Requires from anaconda-core', () => {
    const { spec } = render('anaconda');
    expect(spec).not.toContain('flatpak');
    expect(spec).toContain('Requires: python3-dnf >= %{dnfver}\nRequires: python3-blivet >= 1:3.9.0\n');
  });

  it('yggdrasil: installs the Go sources and adds %gopkgfiles after the examples %files', () => {
    const { spec } = render('yggdrasil');
    expect(spec).toContain('%meson_install\n\n%gopkginstall\n%check\n');
    expect(spec).toContain('%{_libexecdir}/yggdrasil/echo-worker\n\n\n%gopkgfiles\n%changelog\n');
  });

  it('grub2: disables the Xen and Xen PVH builds in grub.macros', () => {
    const { files } = render('grub2');
    const macros = files.get('grub.macros') ?? '';
    expect(macros).toContain(
      '%global with_xen_arch 0\n%global with_xen_pvh_arch 0\n%global with_emu_arch 1\n',
    );
    expect(macros).not.toMatch(/with_xen(_pvh)?_arch 1/);
  });

  it('firewalld: drops the Fedora-only mDNS patch tag and file', () => {
    const { spec, files } = render('firewalld');
    expect(files.has('fedora-only-MDNS-default.patch')).toBe(false);
    expect(spec).not.toContain('Patch0');
    expect(spec).toContain('Source2: FedoraWorkstation.xml\nBuildArch: noarch\n');
  });

  it('onnx: makes the setup.py patch read VPATH_BUILDDIR and exports it in %build', () => {
    const { spec, files } = render('onnx');
    expect(files.get('0002-Let-pyproject_wheel-use-binaries-from-cmake_build.patch')).toContain(
      '+CMAKE_BUILD_DIR = os.path.join(TOP_DIR, os.environ.get("VPATH_BUILDDIR", "redhat-linux-build"))\n',
    );
    expect(spec).toContain('%build\nexport VPATH_BUILDDIR=%{_vpath_builddir}\n%cmake ');
  });

  it('edk2: disables the Xen OVMF build and the igvm image', () => {
    const { spec, files } = render('edk2');
    expect(files.get('edk2-build.fedora')).toContain('[disabled.ovmf.xen]\ndesc = ovmf build for Xen\n');
    expect(files.get('edk2-build.fedora')).toContain('[build.ovmf.x86_64]\n');
    expect(spec).not.toContain('ovmf-xen');
    expect(spec).not.toContain('BuildRequires:  virt-firmware-rs');
    expect(spec).toContain('BuildRequires:  python3-virt-firmware >= 24.2\nBuildRequires:  nasm\n');
    expect(spec).toContain(': igvm-wrap --input Fedora/ovmf/OVMF.fd');
    expect(spec).toContain(
      '%{_datadir}/%{name}/ovmf/OVMF_CODE.fd\n# %{_datadir}/%{name}/ovmf/OVMF.igvm — disabled, no virt-firmware-rs\n',
    );
  });

  it('libspf2: keeps SHORT_NAMES at its default and adds and applies the call-graph patch', () => {
    const { spec, files } = render('libspf2');
    expect(spec).not.toContain('SHORT_NAMES = YES');
    expect(spec).toContain(
      '# Generate the documentation\n# SHORT_NAMES left at default (NO) for reproducible noarch builds\ndoxygen\n',
    );
    expect(spec).toMatch(/^Patch4: +disable-call-graphs\.patch$/m);
    expect(files.get('disable-call-graphs.patch')).toContain('+CALL_GRAPH             = NO\n');
    expect(spec).toContain('%patch -P3 -p1\n\n%patch -P4 -p1\n%build\n');
  });

  it('sssd: adds the platform.m4 VERSION patch (and skips %check, as its group does)', () => {
    const { spec, files } = render('sssd');
    expect(spec).toMatch(/^Patch0: +fix-platform-m4-version-overwrite\.patch$/m);
    expect(files.get('fix-platform-m4-version-overwrite.patch')).toContain('(. /etc/os-release;');
    expect(spec).toMatch(/%check\n(#.*\n)?exit 0\n/);
  });

  it('kdump-utils: adds the _find_kernel_path_by_release patch', () => {
    const { spec, files } = render('kdump-utils');
    expect(spec).toMatch(/^Patch0: +kdumpctl-Use-only-first-match-in-_find_kernel_path_b\.patch$/m);
    expect(files.get('kdumpctl-Use-only-first-match-in-_find_kernel_path_b.patch')).toContain('grep -m 1');
  });

  it('opencv: drops the bundled-openjpeg CVE patch and its %patch line, without openni', () => {
    const { spec, files } = render('opencv');
    expect(files.has('a39db41390de546d18962ee1278bd6dbb715f466.patch')).toBe(false);
    expect(spec).not.toContain('a39db41390de546d18962ee1278bd6dbb715f466');
    expect(spec).not.toContain('.cve2025-53644');
    expect(spec).toContain('%patch -P1 -p1 -b .python\n');
    expect(spec).toMatch(/^Patch1: +opencv\.python\.patch$/m);
    expect(files.get('opencv.azl.macros')).toContain('%_without_openni 1\n');
  });

  it('rust-nix: adds the 4-part kernel version patch and skips the inotify tests', () => {
    const { spec, files } = render('rust-nix');
    expect(files.get('fix-4part-kernel-version.patch')).toContain('four parts');
    expect(spec).toMatch(/^Patch9999: +fix-4part-kernel-version\.patch$/m);
    expect(spec).toContain(
      "    --skip sys::test_ptrace\n    --skip sys::test_inotify\n    --skip 'src/sys/socket/mod.rs'\n}\n",
    );
  });

  it('mock-core-configs: adds, installs and defaults to the Azure Linux 4.0 configs', () => {
    const { spec, files } = render('mock-core-configs');
    expect(spec).toMatch(/^Release: +3%\{\?dist\}$/m);
    for (const [n, file] of [
      [10, 'azure-linux-4.tpl'],
      [11, 'azure-linux-4-x86_64.cfg'],
      [12, 'azure-linux-4-aarch64.cfg'],
    ] as const) {
      expect(files.get(file)).toContain('azure-linux-4');
      expect(spec).toMatch(new RegExp(`^Source${String(n)}: +${file.replace(/\./g, '\\.')}$`, 'm'));
      expect(spec).toContain(`install -m 0644 %{SOURCE${String(n)}} `);
    }
    expect(spec).toContain(
      'echo "%%config(noreplace) %{_sysconfdir}/mock/azure-linux-4-aarch64.cfg" >> %{name}.cfgs\n',
    );
    expect(spec).toContain(
      'cfg=unknown-distro.cfg\ncfg=azure-linux-$ver-$mock_arch.cfg\n\nif [ -e %{_sysconfdir}/mock/$cfg ]; then\n',
    );
  });

  it('shim: drops the dist override, pins the unsigned shims to 15.8 and copies them in %prep', () => {
    const { spec } = render('shim');
    expect(spec).not.toContain('%global dist');
    for (const arch of ['x64', 'ia32', 'aa64']) {
      expect(spec).toContain(`BuildRequires: %{unsigned${arch}} = 15.8\n`);
    }
    expect(spec).not.toContain('.fc43');
    expect(spec).toContain(
      'test -e %{shimdiraa64}/$(basename %{shimefiaa64}) && cp -vf %{shimdiraa64}/$(basename %{shimefiaa64}) %{shimefiaa64} ||:\n%build\n',
    );
  });

  it('covers, with render.test.ts, every fixture component that has overlays', () => {
    const elsewhere = ['azurelinux-rpm-config', 'cloud-init', 'dnf5', 'kernel', 'open-vm-tools', 'systemd'];
    const withOverlays = [...distro.components.keys()]
      .filter(
        (name) =>
          ((resolveComponent(distro, name).config as { overlays?: unknown[] }).overlays ?? []).length > 0,
      )
      .sort();
    expect(withOverlays).toEqual([...covered, ...elsewhere].sort());
  });
});
