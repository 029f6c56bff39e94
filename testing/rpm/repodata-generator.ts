import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { mulberry32 } from '../seeded-random';

/**
 * Deterministic Fedora-like repodata for the dependency index: `<dir>/binary` and `<dir>/source`, each with
 * `repodata/repomd.xml` and `repodata/primary.xml[.gz]`. Same options → same bytes (seeded PRNG). Shape:
 * a few hub sources (glibc, gcc, zlib, openssl, …) required by most packages, a long tail picked with a
 * skewed distribution, sonames (`libfoo.so.1()(64bit)`), versioned `pkgconfig()` provides and requires,
 * file provides (`/usr/bin/foo`), and cycles (glibc ↔ gcc, plus whatever the random tail closes).
 */
export interface RepodataOptions {
  /** Number of source packages; binaries are about three per source. Default 25,000. */
  sources?: number;
  seed?: number;
  gzip?: boolean;
  /**
   * The source package names, instead of `HUBS` followed by `pkg<base36>`: a real distribution's component
   * list (the scale fixture's). The first `HUBS.length` names play the hubs' roles in `HUBS` order (odds,
   * BuildRequires; `names[4]` provides `/usr/bin/<name>` as perl does): real names like `zlib-ng` for zlib.
   * Overrides `sources`.
   */
  names?: readonly string[];
}

export interface GeneratedRepodata {
  binary: string;
  source: string;
  binaries: number;
  sources: number;
}

export const HUBS = [
  'glibc',
  'gcc',
  'zlib',
  'openssl',
  'perl',
  'python3',
  'ncurses',
  'libffi',
  'xz',
  'systemd',
];
const HUB_ODDS = [0.95, 0.95, 0.6, 0.5, 0.3, 0.3, 0.2, 0.15, 0.15, 0.25];

export async function generateRepodata(
  dir: string,
  options: RepodataOptions = {},
): Promise<GeneratedRepodata> {
  const names = options.names ? [...options.names] : defaultNames(options.sources ?? 25_000);
  if (names.length < HUBS.length + 2 || new Set(names).size !== names.length)
    throw new Error(
      `generateRepodata: names must be distinct, the ${HUBS.length} hubs and at least two more`,
    );
  const count = names.length;
  const rand = mulberry32(options.seed ?? 42);
  const binary = join(dir, 'binary');
  const source = join(dir, 'source');
  const gz = options.gzip ?? true;
  const bins = await writePrimary(binary, gz, (emit) => {
    for (let i = 0; i < count; i++) for (const p of binariesOf(names[i] ?? '', i, rand)) emit(p);
  });
  const srcs = await writePrimary(source, gz, (emit) => {
    for (let i = 0; i < count; i++) emit(sourceXml(names[i] ?? '', i, buildRequires(i, names, rand)));
  });
  return { binary, source, binaries: bins, sources: srcs };
}

const defaultNames = (sources: number): string[] =>
  Array.from({ length: Math.max(sources, HUBS.length + 2) }, (_, i) => HUBS[i] ?? `pkg${i.toString(36)}`);

const evr = (i: number): string => `epoch="0" ver="${1 + (i % 7)}.${i % 13}" rel="${1 + (i % 3)}.fc41"`;

function binariesOf(name: string, i: number, rand: () => number): string[] {
  const srpm = `${name}-${1 + (i % 7)}.${i % 13}-${1 + (i % 3)}.fc41.src.rpm`;
  const so = `lib${name}.so.${1 + (i % 3)}()(64bit)`;
  const pc = `pkgconfig(${name})" flags="EQ" epoch="0" ver="${1 + (i % 7)}.${i % 13}"`;
  // about three binaries per source: main and -devel always, -libs mostly, a noarch subpackage sometimes
  const libs = rand() < 0.8;
  const out = [
    pkgXml(
      name,
      'x86_64',
      evr(i),
      srpm,
      [`${name}" flags="EQ" ${evr(i)}`, ...(libs ? [] : [so])],
      ['libc.so.6()(64bit)'],
      [`/usr/bin/${name}`, `/etc/${name}.conf`],
    ),
    pkgXml(
      `${name}-devel`,
      'x86_64',
      evr(i),
      srpm,
      [`${name}-devel" flags="EQ" ${evr(i)}`, `${name}-devel(x86-64)`, pc],
      [libs ? `${name}-libs` : name],
      [],
    ),
  ];
  if (libs)
    out.push(
      pkgXml(
        `${name}-libs`,
        'x86_64',
        evr(i),
        srpm,
        [`${name}-libs" flags="EQ" ${evr(i)}`, so],
        ['libc.so.6()(64bit)'],
        [],
      ),
    );
  if (rand() < 0.2) out.push(pkgXml(`${name}-doc`, 'noarch', evr(i), srpm, [`${name}-doc`], [name], []));
  return out;
}

/** Hubs with fixed odds, then a skewed long tail (index ~ n·r³ favours the low, "popular" indexes). */
function buildRequires(i: number, names: string[], rand: () => number): string[] {
  const req: string[] = [];
  HUBS.forEach((_, h) => {
    const hub = names[h] ?? '';
    if (h !== i && rand() < (HUB_ODDS[h] ?? 0))
      req.push(h === 4 ? `/usr/bin/${hub}` : h === 2 ? `${hub}-devel` : `${hub}-devel(x86-64)`);
  });
  if (i === 0) req.push(names[1] ?? 'gcc'); // glibc ↔ gcc: the classic toolchain cycle
  const tail = 1 + Math.floor(rand() * 6);
  for (let k = 0; k < tail; k++) {
    const j = HUBS.length + Math.floor((names.length - HUBS.length) * rand() ** 3);
    const dep = names[j];
    if (j === i || dep === undefined) continue;
    const r = rand();
    if (r < 0.3) req.push(`pkgconfig(${dep})" flags="GE" epoch="0" ver="1.0"`);
    else if (r < 0.5) req.push(`lib${dep}.so.${1 + (j % 3)}()(64bit)`);
    else req.push(`${dep}-devel`);
  }
  return req;
}

const entries = (tag: string, list: string[]): string =>
  list.length
    ? `<rpm:${tag}>${list.map((e) => `<rpm:entry name="${e}${e.includes('"') ? '' : '"'}/>`).join('')}</rpm:${tag}>`
    : '';

function pkgXml(
  name: string,
  arch: string,
  v: string,
  srpm: string,
  provides: string[],
  requires: string[],
  files: string[],
): string {
  const id = createHash('sha256').update(`${name}.${arch}`).digest('hex');
  return `<package type="rpm"><name>${name}</name><arch>${arch}</arch><version ${v}/><checksum type="sha256" pkgid="YES">${id}</checksum><summary>${name}</summary><location href="Packages/${name}.${arch}.rpm"/><format><rpm:license>MIT</rpm:license><rpm:sourcerpm>${srpm}</rpm:sourcerpm>${entries('provides', provides)}${entries('requires', requires)}${files.map((f) => `<file>${f}</file>`).join('')}</format></package>\n`;
}

const sourceXml = (name: string, i: number, req: string[]): string =>
  pkgXml(name, 'src', evr(i), '', [], req, []);

async function writePrimary(
  repo: string,
  gz: boolean,
  fill: (emit: (xml: string) => void) => void,
): Promise<number> {
  mkdirSync(join(repo, 'repodata'), { recursive: true });
  const chunks: string[] = [];
  fill((xml) => chunks.push(xml));
  const count = chunks.length;
  const head = `<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="${count}">\n`;
  const href = `repodata/primary.xml${gz ? '.gz' : ''}`;
  const open = createHash('sha256');
  const packed = createHash('sha256');
  const out = createWriteStream(join(repo, href));
  const zip = gz ? createGzip({ level: 1 }) : undefined;
  const sink = zip ?? out;
  if (zip) zip.on('data', (b: Buffer) => packed.update(b)).pipe(out);
  for (const text of [head, ...chunks.splice(0), '</metadata>\n']) {
    open.update(text);
    if (!zip) packed.update(text);
    if (!sink.write(text)) await once(sink, 'drain');
  }
  sink.end();
  await once(out, 'close');
  const [o, p] = [open.digest('hex'), packed.digest('hex')];
  writeFileSync(
    join(repo, 'repodata', 'repomd.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>\n<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm"><revision>1</revision><data type="primary"><checksum type="sha256">${p}</checksum><open-checksum type="sha256">${o}</open-checksum><location href="${href}"/></data></repomd>\n`,
  );
  return count;
}
