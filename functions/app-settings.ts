import { isAbsolute, resolve } from 'node:path';
import type { Settings } from '../shared/settings/load-settings';

/**
 * The Azure entry's reading of a relative `AZL_DISTRO_DIR`: against the app's root (the package root, the
 * folder holding host.json), where `npm run package` puts the tree (`distro/`, app setting
 * `AZL_DISTRO_DIR=distro`). The Functions host starts the worker in a working directory of its own choosing,
 * so the working directory, which the CLI and the local host resolve against, means nothing here. An absolute
 * path, or no tree at all, is left as it is.
 */
export function withDistroDirFromAppRoot(settings: Settings, appRoot: string): Settings {
  const planner = settings.planner;
  if (planner === undefined || isAbsolute(planner.distroDir)) return settings;
  return { ...settings, planner: { ...planner, distroDir: resolve(appRoot, planner.distroDir) } };
}
