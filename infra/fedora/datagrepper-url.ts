import { isIPv4 } from 'node:net';
import { PipelineError } from '../../shared/errors';
import type { SearchQuery } from '../../shared/fedora/catch-up';

/**
 * The datagrepper base URL (e.g. `https://apps.fedoraproject.org/datagrepper`), checked once: https, or
 * plain http to a loopback host (local fakes and tests). Messages read here trigger rebuilds, so they must
 * not travel unauthenticated over a network; credentials, a query or a fragment in the base are refused as
 * well, since they would leak into every request URL and log line.
 */
export function parseDatagrepperBaseUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw invalid(input.includes('@') ? '(not shown)' : input, 'not an absolute URL');
  }
  const fail = (why: string) => invalid(withoutCredentials(url), why);
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw fail('plain http is only allowed to a loopback host; use https');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw fail('must be https');
  if (url.username !== '' || url.password !== '') throw fail('must not carry credentials');
  if (url.search !== '' || url.hash !== '') throw fail('must not have a query or fragment');
  return url;
}

function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  return isIPv4(hostname) && hostname.startsWith('127.');
}

function withoutCredentials(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

function invalid(shown: string, why: string): PipelineError {
  return PipelineError.permanent('datagrepper.invalid-base-url', `datagrepper base URL ${shown}: ${why}`, {
    baseUrl: shown,
  });
}

/**
 * Always explicit `start`/`end` (production defaults to the last 24 h otherwise) and `order=asc` (the default
 * is `desc`). `start`/`end` are whole epoch seconds, inclusive on both ends, as the window is.
 */
export function searchUrl(base: URL, query: SearchQuery): string {
  const url = new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}/v2/search`);
  const params = url.searchParams;
  params.set('start', String(query.window.from));
  params.set('end', String(query.window.to));
  params.set('order', 'asc');
  params.set('rows_per_page', String(query.rowsPerPage));
  params.set('page', String(query.page));
  for (const topic of query.topics ?? []) params.append('topic', topic);
  for (const category of query.categories ?? []) params.append('category', category);
  return url.toString();
}
