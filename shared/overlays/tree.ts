import { posix } from 'node:path';
import { OverlayRefused } from './overlay-signals';

/**
 * The in-memory model the engine works on. `files` is the component's flat sources directory (the dist-git
 * checkout: the spec, patches and other sidecar files), keyed by POSIX path relative to it. `overlayFiles`
 * are the files next to the component's TOML (sources of `patch-add` / `file-add`), keyed by path relative
 * to that folder. Contents are text: tarballs are not part of a rendered tree.
 */
export interface ComponentTree {
  readonly files: ReadonlyMap<string, string>;
  readonly overlayFiles?: ReadonlyMap<string, string>;
}

/**
 * A relative path inside its root, normalised, or an `overlay.path-escape` refusal when it is absolute or
 * climbs out (`../x`, `a/../../x`). `field` names the overlay field for the message.
 */
export function containedPath(path: string, field: string): string {
  const normalised = posix.normalize(path);
  if (path.startsWith('/') || normalised === '..' || normalised.startsWith('../') || normalised === '.') {
    throw new OverlayRefused('overlay.path-escape', `${field} "${path}" escapes the component's folder`);
  }
  return normalised;
}
