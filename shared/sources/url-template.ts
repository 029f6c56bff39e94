import { invalidUrl } from './source-errors';

/**
 * Expansion of azldev's URI templates (distro `dist-git-base-uri` and `lookaside-base-uri`):
 *
 *   https://src.fedoraproject.org/rpms/$pkg.git
 *   https://src.fedoraproject.org/repo/pkgs/$pkg/$filename/$hashtype/$hash/$filename
 *
 * Placeholders are `$pkg`, `$filename`, `$hashtype` (lower case) and `$hash`. azldev replaces them in turn,
 * `$hashtype` before `$hash` (a prefix of it); here one pass with the longer alternative first gives the same
 * result and never re-expands a placeholder that appears inside a substituted value. Values are escaped as
 * one URL path segment (like Go's url.PathEscape, which keeps `+`). Unknown `$words` stay as they are.
 */
export interface TemplateValues {
  readonly pkg: string;
  readonly filename?: string;
  readonly hashtype?: string;
  readonly hash?: string;
}

const PLACEHOLDER = /\$(pkg|filename|hashtype|hash)/g;

export function expandUrlTemplate(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_whole, key: keyof TemplateValues) => {
    const value = values[key];
    if (value === undefined) throw invalidUrl('template', template, `no value for $${key}`);
    return escapeSegment(value);
  });
}

/** Percent-encodes one path segment; `+`, `@`, `:`, `=`, `&`, `$` and `,` are allowed there and kept. */
export function escapeSegment(value: string): string {
  return encodeURIComponent(value).replace(/%(2B|40|3A|3D|26|24|2C)/g, (m) => decodeURIComponent(m));
}
