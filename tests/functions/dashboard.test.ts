import { afterAll, beforeAll, expect, test } from 'vitest';
import { dashboardFunctions, dashboardRootPaths } from '../../functions/dashboard';
import { startHttpServer } from '../../hosts/local/functions-host/http-server';
import type { RunningHttpServer } from '../../hosts/local/functions-host/http-server';
import { fileDashboardAssets } from '../../infra/dashboard/file-dashboard-assets';
import { projectRoot } from '../../infra/os/project-paths';
import { silentLogger } from '../../shared/logger';
import type { Services } from '../../shared/services';
import { fakeServices } from '../../testing/fakes/services';

/**
 * The dashboard functions with the real files (`dashboard/static`, the built `dist/dashboard`, chart.js from
 * node_modules) behind the local host, with its root paths: what a browser gets for each URL.
 */
let server: RunningHttpServer;
let bare: RunningHttpServer;

const serve = (services: () => Promise<Services>) =>
  startHttpServer({
    functions: dashboardFunctions(services),
    port: 0,
    functionKeys: { default: 'key' },
    rootPaths: dashboardRootPaths(),
    logger: silentLogger,
  });

beforeAll(async () => {
  server = await serve(async () => fakeServices({ dashboard: fileDashboardAssets(projectRoot()) }));
  bare = await serve(async () => fakeServices());
});
afterAll(async () => {
  await server.close();
  await bare.close();
});

const get = (path: string, on = server) => fetch(`${on.url}${path}`);

test('/, /dashboard and /api/dashboard answer the page without a key, never cached, locked to its own origin', async () => {
  const pages = await Promise.all(['/', '/dashboard', '/api/dashboard'].map((path) => get(path)));
  const bodies = await Promise.all(pages.map((page) => page.text()));
  for (const page of pages) {
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
  }
  expect(new Set(bodies).size).toBe(1);
  expect(bodies[0]).toContain('<main id="main"');
  // No script or style from anywhere else, and none inline.
  expect(bodies[0]).not.toMatch(/(src|href)="(https?:)?\/\//);
  expect(bodies[0]).not.toMatch(/<script>|<style>|\sstyle="/);
});

test('the files the page loads answer with their content types, chart.js from the installed package', async () => {
  const expected = {
    '/api/dashboard/dashboard.css': 'text/css; charset=utf-8',
    '/api/dashboard/main.js': 'text/javascript; charset=utf-8',
    '/api/dashboard/status-client.js': 'text/javascript; charset=utf-8',
    '/api/dashboard/chart.umd.min.js': 'text/javascript; charset=utf-8',
  };
  for (const [path, type] of Object.entries(expected)) {
    const response = await get(path);
    expect(response.status, path).toBe(200);
    expect(response.headers.get('content-type'), path).toBe(type);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  }
  expect(await (await get('/api/dashboard/chart.umd.min.js')).text()).toContain('Chart.js v4.6.2');
});

test('an unknown file, or a name that tries to leave the asset folders, is 404 dashboard.unknown-asset', async () => {
  for (const path of [
    '/api/dashboard/nope.js',
    '/api/dashboard/..%2F..%2Fpackage.json',
    '/api/dashboard/..%2Fhost.json',
    '/api/dashboard/index.js.map',
    '/api/dashboard/Main.js',
  ]) {
    const response = await get(path);
    expect(response.status, path).toBe(404);
    expect(await response.json(), path).toMatchObject({ code: 'dashboard.unknown-asset' });
  }
});

test('other paths outside /api stay 404, and an instance without the dashboard says so with 503', async () => {
  expect((await get('/health')).status).toBe(404);
  expect((await get('/dashboard/main.js')).status).toBe(404);
  const none = await get('/', bare);
  expect(none.status).toBe(503);
  expect(await none.json()).toMatchObject({ code: 'status.not-configured' });
});
