import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DISTROS, writeTree } from '../../shared/distro/tree-builder';

/**
 * A small distro tree (zlib-ng, libpng, curl, unrelated) and the Fedora repodata around it, written as
 * rpm-md folders: libpng and curl BuildRequire zlib-ng's `zlib-ng-compat-devel`, unrelated needs nothing.
 */
export function writeSmallDistro(): string {
  return writeTree({
    'azldev.toml': `${DISTROS}
[components.zlib-ng]
[components.libpng]
[components.curl]
[components.unrelated]
`,
  });
}

const entry = (name: string, extra = ''): string => `<rpm:entry name="${name}"${extra}/>`;

function pkg(
  name: string,
  arch: string,
  sourceRpm: string | undefined,
  provides: string[],
  requires: string[],
) {
  return `<package type="rpm"><name>${name}</name><arch>${arch}</arch>
<version epoch="0" ver="1.0" rel="1.fc43"/><format>
${sourceRpm ? `<rpm:sourcerpm>${sourceRpm}</rpm:sourcerpm>` : ''}
<rpm:provides>${provides.map((p) => entry(p)).join('')}</rpm:provides>
<rpm:requires>${requires.map((r) => entry(r)).join('')}</rpm:requires>
</format></package>`;
}

function repo(dir: string, packages: string[]): string {
  mkdirSync(join(dir, 'repodata'), { recursive: true });
  writeFileSync(
    join(dir, 'repodata', 'primary.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="${packages.length}">
${packages.join('\n')}
</metadata>`,
  );
  writeFileSync(
    join(dir, 'repodata', 'repomd.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo"><data type="primary"><location href="repodata/primary.xml"/></data></repomd>`,
  );
  return dir;
}

export function writeSmallRepodata(root: string): { binary: string; source: string } {
  const src = (name: string) => `${name}-1.0-1.fc43.src.rpm`;
  const binary = repo(join(root, 'binary'), [
    pkg('zlib-ng-compat', 'x86_64', src('zlib-ng'), ['zlib-ng-compat', 'libz.so.1()(64bit)'], []),
    pkg('zlib-ng-compat-devel', 'x86_64', src('zlib-ng'), ['zlib-ng-compat-devel', 'pkgconfig(zlib)'], []),
    pkg('libpng', 'x86_64', src('libpng'), ['libpng', 'libpng16.so.16()(64bit)'], []),
    pkg('curl', 'x86_64', src('curl'), ['curl'], []),
    pkg('unrelated', 'noarch', src('unrelated'), ['unrelated'], []),
  ]);
  const source = repo(join(root, 'source'), [
    pkg('zlib-ng', 'src', undefined, [], []),
    pkg('libpng', 'src', undefined, [], ['zlib-ng-compat-devel']),
    pkg('curl', 'src', undefined, [], ['pkgconfig(zlib)']),
    pkg('unrelated', 'src', undefined, [], []),
  ]);
  return { binary, source };
}
