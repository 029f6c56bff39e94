import type { PipelineEvent } from '../../events';
import type { ChatLink } from './chat-message';

/**
 * The status API answer for an event's subject (the routes of `functions/status.ts` and
 * `functions/webhooks.ts`, under the pipeline's public base URL, `settings.webhooks.publicUrl`):
 * - `plan.created`: `/api/plans/<planId>`;
 * - `build.*`: `/api/builds/<buildId>`;
 * - `upstream.pinned`: `/api/components/<component>`;
 * - `repo.published`: `/api/repos` (the list; there is no route for one repository);
 * - `webhook.*`: `/api/webhooks/<endpointId>`.
 * Path segments are percent-encoded (`zlib-ng@3f2a…` → `zlib-ng%403f2a…`). The routes are behind the function
 * key; the link carries none (a key in a chat channel would be a key given to everyone in it), so a reader
 * adds it, or the API sits behind a gateway that signs people in. Undefined without a usable base URL.
 */
export function statusLinkOf(event: PipelineEvent, publicUrl: string | undefined): ChatLink | undefined {
  const base = baseUrlOf(publicUrl);
  if (base === undefined) return undefined;
  const path = statusPathOf(event);
  return { label: 'Open in the status API', url: `${base}/api/${path.map(encodeURIComponent).join('/')}` };
}

/** `publicUrl` without trailing slashes, if it is an http(s) URL with no query or fragment; else undefined. */
function baseUrlOf(publicUrl: string | undefined): string | undefined {
  if (publicUrl === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '')
    return undefined;
  return url.href.replace(/\/+$/, '');
}

function statusPathOf(event: PipelineEvent): string[] {
  switch (event.type) {
    case 'plan.created':
      return ['plans', event.data.planId];
    case 'build.started':
    case 'build.succeeded':
    case 'build.unchanged':
    case 'build.failed':
    case 'build.overlay-drift':
      return ['builds', event.data.buildId];
    case 'upstream.pinned':
      return ['components', event.data.component];
    case 'repo.published':
      return ['repos'];
    case 'image.published':
    case 'image.failed':
      return ['images', event.data.image];
    case 'webhook.endpoint-disabled':
    case 'webhook.ping':
      return ['webhooks', event.data.endpointId];
  }
}
