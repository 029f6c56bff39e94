import { z } from 'zod';

/**
 * Shapes of single app-setting values. Every message is a complete sentence fragment that reads well after
 * "<SettingName>: ". Messages never echo the value: connection strings and URLs can carry secrets.
 */

/** A setting's text, or undefined when it is absent or blank (Azure keeps empty app settings around). */
export function readSetting(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

const isLoopback = (hostname: string): boolean =>
  hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);

/**
 * An endpoint URL: https anywhere, plain http only on loopback (Azurite, the local broker). No credentials,
 * query or fragment: a SAS belongs in a connection string. Trailing slashes are dropped so URLs compare equal.
 */
export const serviceUrl = z.string().transform((text, ctx) => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an absolute URL such as https://account.blob.core.windows.net',
    });
    return z.NEVER;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    ctx.addIssue({
      code: 'custom',
      message: 'must use https (plain http is accepted only for loopback hosts)',
    });
    return z.NEVER;
  }
  if (url.username || url.password || url.search || url.hash) {
    ctx.addIssue({ code: 'custom', message: 'must not carry credentials, a query or a fragment' });
    return z.NEVER;
  }
  return url.href.replace(/\/+$/, '');
});

export const clientId = z.guid({
  error: 'must be a client id (a GUID such as 00000000-0000-0000-0000-000000000000)',
});

/** `<name>.servicebus.windows.net`: a bare host name, no scheme, port or path. */
export const namespaceHost = z
  .string()
  .toLowerCase()
  .pipe(
    z.hostname({
      error: 'must be a host name such as mynamespace.servicebus.windows.net (no sb://, port or path)',
    }),
  )
  .refine((host) => host.includes('.'), {
    error: 'must be a fully qualified host name such as mynamespace.servicebus.windows.net',
  });

/** Azure storage account names: 3-24 lower-case letters and digits. */
export const storageAccountName = z.string().regex(/^[a-z0-9]{3,24}$/, {
  error: 'must be a storage account name (3-24 lower-case letters and digits)',
});

/** The only credential value the Functions host understands for identity-based connections. */
export const managedIdentityCredential = z
  .string()
  .toLowerCase()
  .refine((value) => value === 'managedidentity', { error: 'must be "managedidentity" when set' });

/**
 * `Key=Value;Key=Value` as Azure connection strings are written. Keys are case-insensitive (stored lower-case);
 * a value may itself contain '=' (base64 keys). Returns undefined when a segment has no key.
 */
export function parseConnectionString(text: string): Map<string, string> | undefined {
  const pairs = new Map<string, string>();
  for (const segment of text.split(';')) {
    if (segment.trim() === '') continue;
    const at = segment.indexOf('=');
    if (at <= 0) return undefined;
    pairs.set(segment.slice(0, at).trim().toLowerCase(), segment.slice(at + 1).trim());
  }
  return pairs;
}
