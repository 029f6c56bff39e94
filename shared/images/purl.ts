/**
 * The package URL (purl) of an installed RPM, as the purl specification's `rpm` type defines it:
 * `pkg:rpm/<vendor>/<name>@<version>-<release>?arch=<arch>&epoch=<epoch>`. The namespace is the vendor, lower
 * case; the version is version and release together; `epoch` is a qualifier, written only when the epoch is
 * not 0 (the spec: optional, but encouraged when it exists); qualifiers come sorted by key, as the canonical
 * form requires. Name, version and qualifier values are percent-encoded except the characters the spec keeps
 * (`A-Z a-z 0-9 . - _ ~` and `:`), so `gcc-c++` is `gcc-c%2B%2B` and `1.2^git3` is `1.2%5Egit3`.
 */
export interface RpmIdentity {
  readonly name: string;
  readonly epoch: number;
  readonly version: string;
  readonly release: string;
  readonly arch: string;
}

/** Azure Linux's purl namespace. */
export const AZURE_LINUX_PURL_VENDOR = 'azurelinux';

export function rpmPurl(pkg: RpmIdentity, vendor: string = AZURE_LINUX_PURL_VENDOR): string {
  const qualifiers: [string, string][] = [['arch', pkg.arch]];
  if (pkg.epoch !== 0) qualifiers.push(['epoch', String(pkg.epoch)]);
  const query = qualifiers
    .filter(([, value]) => value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${purlEncode(value)}`)
    .join('&');
  const path = `pkg:rpm/${purlEncode(vendor.toLowerCase())}/${purlEncode(pkg.name)}`;
  return `${path}@${purlEncode(`${pkg.version}-${pkg.release}`)}${query ? `?${query}` : ''}`;
}

/** Percent-encodes every UTF-8 octet outside the purl spec's kept characters (RFC 3986 triplets, upper case). */
export function purlEncode(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9.\-_~:]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
