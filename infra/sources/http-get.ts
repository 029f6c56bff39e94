import type { ErrorContext } from '../../shared/errors';
import { invalidUrl, sourcesPermanent } from '../../shared/sources/source-errors';
import { validateFetchUrl } from '../../shared/sources/url-policy';

const MAX_REDIRECTS = 5;

/**
 * GET with redirects followed by hand, so that every hop passes the URL policy: origins such as GitHub
 * archive links redirect (to codeload), but a redirect must not lead to a scheme or host the policy refuses,
 * to a local file, or from https down to plain http (which would let a remote server point us at loopback).
 * More than five hops is `sources.rejected`. The caller classifies the final status.
 */
export async function getFollowingRedirects(
  fetchImpl: typeof fetch,
  url: URL,
  signal: AbortSignal,
  place: ErrorContext,
): Promise<Response> {
  let current = url;
  for (let hop = 0; ; hop += 1) {
    const response = await fetchImpl(current, { redirect: 'manual', signal });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) return response;
    await response.body?.cancel().catch(() => undefined);
    if (hop >= MAX_REDIRECTS) {
      throw sourcesPermanent('sources.rejected', `too many redirects from ${url.href}`, {
        ...place,
        url: url.href,
      });
    }
    const next = validateFetchUrl(new URL(location, current).href, `redirect from ${current.href}`);
    if (next.protocol === 'file:' || (current.protocol === 'https:' && next.protocol !== 'https:')) {
      throw invalidUrl(`redirect from ${current.href}`, next.href, 'redirect to a weaker scheme');
    }
    current = next;
  }
}
