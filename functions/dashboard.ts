import type { HttpResponseInit } from '@azure/functions';
import type { DashboardAssets } from '../shared/dashboard/assets';
import { describeError } from '../shared/errors';
import type { ServicesProvider } from '../shared/services';
import { problem } from './problem';
import type { HttpFunction } from './table';

/** The function serving the page itself (`GET /api/dashboard`). */
export const DASHBOARD_PAGE_FUNCTION = 'dashboard';
/**
 * Paths outside the `/api` route prefix that the local host answers with the page, as if they were its route
 * (`/`, `/dashboard`). The Functions host in Azure keeps `/` for its own home page while the route prefix is
 * `api` (host.json's default), so there the page is `/api/dashboard`.
 */
export const DASHBOARD_ROOT_PATHS = ['/', '/dashboard'] as const;

/** `DASHBOARD_ROOT_PATHS` as the local host's `rootPaths`: each answered as the page's route. */
export const dashboardRootPaths = (): Record<string, string> =>
  Object.fromEntries(DASHBOARD_ROOT_PATHS.map((path) => [path, 'dashboard']));

/**
 * The page may load only its own files and talk only to its own origin (the status API): no inline script,
 * no CDN, never framed. `data:` images are chart.js's canvas exports.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The dashboard page (`GET /api/dashboard`) and its files (`GET /api/dashboard/{file}`): anonymous, since they
 * hold no data. The page reads the status API with the function key the user gives it, which it keeps in the
 * browser (URL fragment, then session storage) so the key never travels in a URL a server logs.
 */
export function dashboardFunctions(services: ServicesProvider): HttpFunction[] {
  return [
    {
      kind: 'http',
      name: DASHBOARD_PAGE_FUNCTION,
      route: 'dashboard',
      methods: ['GET'],
      authLevel: 'anonymous',
      handler: async () => serve(services, 'index.html'),
    },
    {
      kind: 'http',
      name: 'dashboardAsset',
      route: 'dashboard/{file}',
      methods: ['GET'],
      authLevel: 'anonymous',
      handler: async (request) => serve(services, request.params['file'] ?? ''),
    },
  ];
}

async function serve(services: ServicesProvider, name: string): Promise<HttpResponseInit> {
  let assets: DashboardAssets | undefined;
  try {
    ({ dashboard: assets } = await services());
  } catch (error) {
    return problem(503, 'status.not-configured', `the services could not start: ${describeError(error)}`);
  }
  if (!assets) return problem(503, 'status.not-configured', 'this instance serves no dashboard');
  const asset = await assets.read(name);
  if (!asset) return problem(404, 'dashboard.unknown-asset', `the dashboard has no file '${name}'`);
  return {
    status: 200,
    body: asset.body,
    headers: {
      'content-type': asset.contentType,
      // Always revalidated: a new deployment's page must not run an old cached script.
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': CONTENT_SECURITY_POLICY,
    },
  };
}
