import type { RenderedTree } from '../../shared/overlays';
import { applyOverlays } from '../overlays/apply-overlays';

export interface RenderForBuildOptions {
  /** The distro tree (folder of `azldev.toml`). */
  readonly config: string;
  readonly component: string;
  /** A dist-git checkout with its sources downloaded (spec, `sources`, patches, tarballs). */
  readonly upstream: string;
  /** The folder to write the build's sources to (created). */
  readonly out: string;
}

/**
 * Renders a component for a build: exactly `overlays apply --config` (`applyOverlays`), the one render path.
 * The downloaded sources and every other file no overlay edits reach `out` byte for byte, unread; overlay
 * globs see the downloads too, as in azldev, which renders in the folder it fetched them into; archive-scoped
 * overlays repack the downloaded archive they name and re-hash its `sources` line.
 */
export function renderForBuild(options: RenderForBuildOptions): Promise<RenderedTree> {
  return applyOverlays(options);
}
