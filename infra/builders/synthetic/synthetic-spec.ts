/**
 * The few spec fields the synthetic builder reads, and the spec its preparer writes. No rpmspec: a synthetic
 * build must take milliseconds, so only literal `Name:`, `Version:`, `Release:` and `BuildArch:` lines count,
 * and of macros only `%{?dist}` / `%{dist}` (and others given) in them are expanded.
 */
export interface SyntheticSpec {
  readonly name: string;
  readonly version: string;
  readonly release: string;
  /** `noarch` when the spec says `BuildArch: noarch`; else the build machine's (absent). */
  readonly buildArch?: string;
}

/**
 * The NEVR the synthetic preparer chooses, deterministic per request: the component's name, version `1.0`,
 * release the request time's digits (`2026-12-06T12:05:01.123Z` → `20261206120501123`) and `%{?dist}`. A retry
 * or redelivery of a request keeps its time, so it gives the same packages; a later plan's request gives a
 * higher release, so dnf and retention take the newest build as the newest package.
 */
export function syntheticSpecText(component: string, requestedAt: string): string {
  const release = new Date(requestedAt).toISOString().replace(/\D/g, '');
  return [
    `# Written by the synthetic builder's preparer: no sources, no build.`,
    `Name: ${component}`,
    'Version: 1.0',
    `Release: ${release}%{?dist}`,
    `Summary: Synthetic package of ${component}`,
    'License: MIT',
    '',
    '%description',
    `A generated stand-in for ${component}, for tests and benchmarks.`,
    '',
  ].join('\n');
}

export function readSyntheticSpec(
  text: string,
  macros: Readonly<Record<string, string>>,
): SyntheticSpec | undefined {
  const field = (tag: string): string | undefined => {
    const match = new RegExp(`^${tag}\\s*:\\s*(\\S+)\\s*$`, 'im').exec(text);
    return match?.[1] === undefined ? undefined : expandMacros(match[1], macros);
  };
  const [name, version, release] = [field('Name'), field('Version'), field('Release')];
  if (!name || !version || !release || /[%{}\s]/.test(`${name}${version}${release}`)) return undefined;
  const arch = field('BuildArch');
  return { name, version, release, ...(arch ? { buildArch: arch } : {}) };
}

/** `%{?name}` (empty when undefined), `%{name}` and `%name` with the given macros. */
function expandMacros(value: string, macros: Readonly<Record<string, string>>): string {
  return value
    .replace(/%\{\?(\w+)\}/g, (_, name: string) => macros[name] ?? '')
    .replace(/%\{(\w+)\}|%(\w+)/g, (whole, braced?: string, bare?: string) => {
      const name = braced ?? bare ?? '';
      return macros[name] ?? whole;
    });
}
