import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DashboardAsset, DashboardAssets } from '../../shared/dashboard/assets';
import { isDashboardAssetName } from '../../shared/dashboard/assets';

/** Where the page's files live below the app root (the repository, or the deployed package's root). */
export const DASHBOARD_STATIC_DIR = join('dashboard', 'static');
/** The compiled page script (`dashboard/src/*.ts` built by `dashboard/tsconfig.json`). */
export const DASHBOARD_SCRIPT_DIR = join('dist', 'dashboard');
/** chart.js's self-contained build, served under this name (no CDN). */
export const CHART_LIBRARY_ASSET = 'chart.umd.min.js';

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
};

/**
 * The dashboard's files from disk: HTML and CSS from `dashboard/static/`, script modules from `dist/dashboard/`
 * and chart.js's UMD build from the installed package (a production dependency, so it is in the deployed
 * `node_modules` too). Read on every request: they are few and small, and a rebuild shows without a restart.
 */
export function fileDashboardAssets(appRoot: string): DashboardAssets {
  return {
    async read(name) {
      if (!isDashboardAssetName(name)) return undefined;
      const extension = name.slice(name.lastIndexOf('.') + 1);
      const path =
        name === CHART_LIBRARY_ASSET
          ? join(chartLibraryDir(), CHART_LIBRARY_ASSET)
          : extension === 'js'
            ? join(appRoot, DASHBOARD_SCRIPT_DIR, name)
            : join(appRoot, DASHBOARD_STATIC_DIR, name);
      const body = await readIfPresent(path);
      const contentType = CONTENT_TYPES[extension];
      return body && contentType ? ({ body, contentType } satisfies DashboardAsset) : undefined;
    },
  };
}

/** `node_modules/chart.js/dist`, resolved as Node resolves the package (its `require` export is in `dist/`). */
const chartLibraryDir = (): string => dirname(require.resolve('chart.js'));

async function readIfPresent(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
