import { invalidUrl } from './source-errors';

/**
 * Which URLs source preparation may fetch from. Input decides them (distro templates, `source-files` origins,
 * expanded with package and file names), so each is checked before use:
 *
 * - `https:` to any host;
 * - `http:` only to a loopback host (`localhost`, 127.0.0.0/8, `::1`): local test servers;
 * - `file:` only without a host (or `localhost`): local test repositories and files;
 * - nothing else (no `ssh:`, `ext::`, `git:`, option-like strings, credentials in the URL).
 *
 * A refused URL is a permanent `sources.invalid-url` error naming the field and the URL.
 */
export function validateFetchUrl(value: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidUrl(field, value, 'not an absolute URL');
  }
  if (url.username !== '' || url.password !== '') throw invalidUrl(field, value, 'credentials in URL');
  switch (url.protocol) {
    case 'https:':
      if (url.hostname === '') throw invalidUrl(field, value, 'no host');
      return url;
    case 'http:':
      if (!isLoopbackHost(url.hostname)) throw invalidUrl(field, value, 'plain http only to a loopback host');
      return url;
    case 'file:':
      if (url.hostname !== '' && url.hostname !== 'localhost')
        throw invalidUrl(field, value, 'file URL with a remote host');
      return url;
    default:
      throw invalidUrl(field, value, `scheme ${url.protocol} not allowed`);
  }
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
