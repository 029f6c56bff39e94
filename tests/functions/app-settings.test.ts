import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDistroDirFromAppRoot } from '../../functions/app-settings';
import { projectRoot } from '../../infra/os/project-paths';
import { loadSettings } from '../../shared/settings/load-settings';
import type { Env } from '../../shared/settings/load-settings';

/**
 * The Azure entry reads a relative `AZL_DISTRO_DIR` against the app's root (where the package puts
 * `distro/`), not against the working directory the Functions host happens to give the worker.
 */
const base: Env = {
  AzureWebJobsStorage__accountName: 'azlstate',
  ServiceBusConnection__fullyQualifiedNamespace: 'azl.servicebus.windows.net',
};
const appRoot = '/home/site/wwwroot';

describe('withDistroDirFromAppRoot', () => {
  it('resolves the deployed setting AZL_DISTRO_DIR=distro against the app root, keeping the rest', () => {
    const settings = loadSettings({ ...base, AZL_DISTRO_DIR: 'distro', AZL_PLANNER_BUDGET: '7' });
    const anchored = withDistroDirFromAppRoot(settings, appRoot);
    expect(anchored.planner).toEqual({ ...settings.planner, distroDir: '/home/site/wwwroot/distro' });
    expect(anchored.planner?.budget).toBe(7);
    expect({ ...anchored, planner: undefined }).toEqual({ ...settings, planner: undefined });
    expect(anchored.planner?.distroDir).not.toBe(resolve('distro')); // not the working directory
  });

  it('resolves nested and dotted relative paths against the app root too', () => {
    const anchored = withDistroDirFromAppRoot(
      loadSettings({ ...base, AZL_DISTRO_DIR: './trees/../distro' }),
      appRoot,
    );
    expect(anchored.planner?.distroDir).toBe('/home/site/wwwroot/distro');
  });

  it('leaves an absolute tree and a missing one as they are', () => {
    const absolute = loadSettings({ ...base, AZL_DISTRO_DIR: '/srv/distro' });
    expect(withDistroDirFromAppRoot(absolute, appRoot)).toBe(absolute);
    const none = loadSettings(base);
    expect(withDistroDirFromAppRoot(none, appRoot)).toBe(none);
    expect(withDistroDirFromAppRoot(none, appRoot).planner).toBeUndefined();
  });
});

describe("the Azure entry's app root", () => {
  it('is the folder holding host.json and package.json above functions/, as in the package', () => {
    // From the sources the entry is functions/index.ts; in the package, dist/functions/index.js. Both find
    // the folder that holds host.json (tests/package/package.test.ts checks the packaged one).
    const root = resolve(__dirname, '..', '..');
    expect(projectRoot(join(root, 'functions'))).toBe(root);
    expect(projectRoot(join(root, 'dist', 'functions'))).toBe(root);
  });
});
