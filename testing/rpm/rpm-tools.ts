import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builds RPMs from spec texts with the real `rpmbuild` (binary and source packages) under `dir`; returns the
 * paths of the built files (RPMS/<arch>/*.rpm and SRPMS/*.src.rpm).
 */
export function buildRpms(dir: string, specs: Record<string, string>): string[] {
  const top = join(dir, 'rpmbuild');
  mkdirSync(join(top, 'SPECS'), { recursive: true });
  for (const [name, text] of Object.entries(specs)) {
    const spec = join(top, 'SPECS', `${name}.spec`);
    writeFileSync(spec, text);
    execFileSync('rpmbuild', ['--define', `_topdir ${top}`, '--define', 'dist .t1', '-ba', spec], {
      stdio: 'pipe',
    });
  }
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.rpm')) found.push(path);
    }
  };
  walk(join(top, 'RPMS'));
  walk(join(top, 'SRPMS'));
  return found.sort();
}

/** `rpm -qp --queryformat <format>` of one file. */
export function rpmQuery(file: string, format: string): string {
  return execFileSync('rpm', ['-qp', '--nosignature', '--nodigest', '--queryformat', format, file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Signs RPMs in place with a throwaway RSA key made in a temp GNUPGHOME under `dir` (`rpmsign --addsign`).
 */
export function signRpms(dir: string, files: string[]): void {
  const home = join(dir, 'gnupg');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const env = { ...process.env, GNUPGHOME: home };
  execFileSync(
    'gpg',
    [
      '--batch',
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      '',
      '--quick-gen-key',
      'Test Signer <signer@example.invalid>',
      'rsa2048',
      'sign',
      'never',
    ],
    { env, stdio: 'pipe' },
  );
  execFileSync(
    'rpmsign',
    [
      '--define',
      '__gpg /usr/bin/gpg',
      '--define',
      '_gpg_name Test Signer',
      '--define',
      `_gpg_path ${home}`,
      '--addsign',
      ...files,
    ],
    { env, stdio: 'pipe' },
  );
}

/** `createrepo_c --no-database` into `dir/repodata`, with fixed revision and timestamps. */
export function createrepo(dir: string, revision = '1704412800'): void {
  execFileSync(
    'createrepo_c',
    ['--no-database', '--revision', revision, '--set-timestamp-to-revision', dir],
    {
      stdio: 'pipe',
    },
  );
}

/** A spec set exercising what repodata cares about (see each line). */
export const SAMPLE_SPECS: Record<string, string> = {
  alpha: `Name: alpha
Epoch: 3
Version: 2.5
Release: 4%{?dist}
Summary: Alpha & <omega> "tools"
License: MIT AND (Apache-2.0 OR BSD-3-Clause)
URL: https://example.invalid/alpha?x=1&y=2
Vendor: Test Vendor
Packager: Test Packager <packager@example.invalid>
Group: Development/Tools
BuildArch: noarch
Provides: alpha-api(v2) = 2.5
Requires: /usr/bin/beta-tool
Requires: beta >= 1.2-3
Requires: %{name}-libs = %{epoch}:%{version}-%{release}
Requires(pre): shadow-utils
Requires(post): coreutils
Recommends: gamma
Suggests: delta > 1
Supplements: (beta and alpha-libs)
Enhances: beta
Conflicts: alpha-legacy < 1:1.0
Obsoletes: alpha-old <= 2.0-1

%description
Alpha does things.
Second line with <markup> & entities.

%package libs
Summary: Alpha libraries
Provides: libalpha.so.2

%description libs
The library part.

%package devel
Summary: Alpha development files
Requires: %{name}-libs%{?_isa} = %{epoch}:%{version}-%{release}

%description devel
Headers.

%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/etc/alpha/conf.d %{buildroot}/usr/share/alpha %{buildroot}/opt/alpha/bin
mkdir -p %{buildroot}/usr/lib/alpha %{buildroot}/usr/include/alpha %{buildroot}/var/log/alpha
printf '#!/bin/sh\\necho alpha\\n' > %{buildroot}/usr/bin/alpha
printf '#!/bin/sh\\necho helper\\n' > %{buildroot}/opt/alpha/bin/helper
echo 'setting=1' > %{buildroot}/etc/alpha/alpha.conf
echo 'data' > %{buildroot}/usr/share/alpha/data.txt
echo 'lib' > %{buildroot}/usr/lib/alpha/libalpha.so.2
echo 'hdr' > %{buildroot}/usr/include/alpha/alpha.h
chmod 755 %{buildroot}/usr/bin/alpha %{buildroot}/opt/alpha/bin/helper

%pre
true

%post
true

%files
%dir /etc/alpha
%dir /etc/alpha/conf.d
%config(noreplace) /etc/alpha/alpha.conf
/usr/bin/alpha
/opt/alpha/bin/helper
/usr/share/alpha
%ghost /var/log/alpha/alpha.log
%dir /var/log/alpha

%files libs
/usr/lib/alpha

%files devel
/usr/include/alpha

%changelog
${Array.from({ length: 12 }, (_, i) => {
  const day = 28 - (i === 4 ? 3 : i) * 2; // entries 3 and 4 share a date
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][
    new Date(Date.UTC(2024, 0, day)).getUTCDay()
  ];
  return `* ${weekday} Jan ${String(day).padStart(2, '0')} 2024 Dev ${i} <dev${i}@example.invalid> - 2.5-${12 - i}\n- Change ${12 - i} with <b> & more\n- second line\n`;
}).join('\n')}
`,
  beta: `Name: beta
Version: 1.2
Release: 3%{?dist}
Summary: Beta
License: GPL-2.0-or-later
BuildArch: noarch
Requires: alpha-api(v2)
Requires: libc.so.6(GLIBC_2.4)
Requires: libc.so.6(GLIBC_2.17)
Requires(pretrans): setup
Requires: beta-data = %{version}-%{release}

%description
Beta provides a file others require.

%package data
Summary: Beta data
%description data
Data.

%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/share/beta %{buildroot}/usr/sbin
printf '#!/bin/sh\\n' > %{buildroot}/usr/bin/beta-tool
printf '#!/bin/sh\\n' > %{buildroot}/usr/sbin/betad
echo d > %{buildroot}/usr/share/beta/d.txt
chmod 755 %{buildroot}/usr/bin/beta-tool %{buildroot}/usr/sbin/betad

%files
/usr/bin/beta-tool
/usr/sbin/betad

%files data
/usr/share/beta

%changelog
* Mon Jan 01 2024 Beta Dev <beta@example.invalid>   
- Initial
`,
};
