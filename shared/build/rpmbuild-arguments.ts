import { PipelineError } from '../errors';

/**
 * The `rpmbuild` command line of one build: `-ba` (SRPM and binary RPMs) of the spec in a private `_topdir`,
 * the macros as `--define 'name value'`, the bconds as `--with` / `--without`.
 *
 * `--nodeps`: the BuildRequires are not checked. This machine's rpm database is empty (Debian's rpm), so no
 * BuildRequires could ever be satisfied from it; the build uses the system's compilers and tools instead. The
 * specs keep their BuildRequires all the same, because the planner reads them from repodata. A builder that
 * builds in a chroot with its BuildRequires installed (mock) would drop `--nodeps`.
 *
 * Names and values come from configuration: a macro name must be a macro identifier, a value one line, a
 * bcond a word; anything else is `build.invalid-input` (permanent), so no input can smuggle in an option.
 */
export interface RpmbuildCommand {
  readonly topdir: string;
  readonly specPath: string;
  readonly macros: Readonly<Record<string, string>>;
  readonly with: readonly string[];
  readonly without: readonly string[];
}

const MACRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BCOND = /^[A-Za-z0-9_]+$/;

export function rpmbuildArguments(command: RpmbuildCommand): string[] {
  const args = ['-ba', '--nodeps'];
  const defines: [string, string][] = [
    ['_topdir', command.topdir],
    ['_tmppath', `${command.topdir}/tmp`],
    ...Object.entries(command.macros),
  ];
  for (const [name, value] of defines) {
    if (!MACRO_NAME.test(name))
      throw invalid(`macro name ${JSON.stringify(name)} is not an identifier`, name);
    if (/[\r\n]/.test(value)) throw invalid(`macro ${name}: the value must be one line`, name);
    args.push('--define', `${name} ${value === '' ? '%{nil}' : value}`);
  }
  for (const [option, names] of [
    ['--with', command.with],
    ['--without', command.without],
  ] as const) {
    for (const name of names) {
      if (!BCOND.test(name)) throw invalid(`${option} ${JSON.stringify(name)} is not a bcond name`, name);
      args.push(option, name);
    }
  }
  args.push(command.specPath);
  return args;
}

const invalid = (message: string, field: string): PipelineError =>
  PipelineError.permanent('build.invalid-input', message, { field });
